import pytest


@pytest.fixture
def draft_input():
    from clusterhub.opportunities.services import OpportunityIn

    return OpportunityIn(
        kind="partner_search", title="Partners for a floating wind pilot",
        summary="We look for two clusters with ports.", details="Port logistics, mooring.",
        sectoral_industries=["Electric Power Generation and Transmission"], target_countries=["PT", "Spain"],
        call="HORIZON-CL5-2027-D3-01",
    )  # fmt: skip
