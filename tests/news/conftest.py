import pytest

from tests.opportunities.conftest import published  # noqa: F401


@pytest.fixture
def news_input():
    from clusterhub.news.services import NewsIn

    return NewsIn(
        kind="event", title="Offshore wind days in Esbjerg", text="Two days of site visits.",
        date="2027-05-12", link="https://wind.example/days",
    )  # fmt: skip
