from tests.opportunities.conftest import draft_input, published  # noqa: F401
