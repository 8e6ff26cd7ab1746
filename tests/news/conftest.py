from tests.opportunities.conftest import published  # noqa: F401
