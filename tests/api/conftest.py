from tests.calls.conftest import call_input  # noqa: F401
from tests.news.conftest import news_input  # noqa: F401
from tests.opportunities.conftest import draft_input, published  # noqa: F401
