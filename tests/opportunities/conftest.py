import pytest
from django.core import mail

from clusterhub.accounts import moderation


@pytest.fixture
def published(people):
    """The people's profile, published: anyone may contact it."""
    moderation.change_status(people.users["owner"], people.slug, "submit")
    moderation.change_status(people.users["moderator"], people.slug, "publish")
    mail.outbox.clear()  # the review's own mails (tests/accounts/test_review_mail.py)
    return people


@pytest.fixture
def draft_input():
    from clusterhub.opportunities.services import OpportunityIn

    return OpportunityIn(
        kind="partner_search", title="Partners for a floating wind pilot",
        summary="We look for two clusters with ports.", details="Port logistics, mooring.",
        sectoral_industries=["Electric Power Generation and Transmission"], target_countries=["PT", "Spain"],
        call="HORIZON-CL5-2027-D3-01",
    )  # fmt: skip
