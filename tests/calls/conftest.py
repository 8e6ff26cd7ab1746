from tests.opportunities.conftest import draft_input  # noqa: F401
