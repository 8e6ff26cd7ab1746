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
