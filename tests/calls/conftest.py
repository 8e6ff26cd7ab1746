import pytest

from tests.opportunities.conftest import draft_input, published  # noqa: F401


@pytest.fixture
def call_input():
    from clusterhub.calls.services import CallIn

    return CallIn(
        identifier="HORIZON-CL5-2027-D3-01", programme="Horizon Europe",
        title="Offshore renewable energy demonstrators",
        summary="Demonstrate floating wind at scale with supply chain partners.",
        link="https://ec.europa.eu/info/funding-tenders/opportunities/HORIZON-CL5-2027-D3-01",
        kind="eu", opens_on="2026-09-01", closes_on="2027-03-15",
        eligible_countries=["ES", "Portugal"], sectoral_industries=["Electric Power Generation and Transmission"],
        budget_eur=25_000_000,
    )  # fmt: skip
