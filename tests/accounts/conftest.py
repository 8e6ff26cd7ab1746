"""People around one profile: its owner and co-owner, a stranger, a moderator, staff."""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail

from clusterhub.accounts import moderation
from clusterhub.accounts.apps import MODERATORS
from clusterhub.accounts.editing import create_profile
from clusterhub.accounts.models import ApiToken, Ownership
from clusterhub.profiles.schema import ProfileDoc

ROLES = ("anonymous", "stranger", "owner", "co_owner", "moderator", "staff")


@dataclass
class People:
    users: dict[str, User | None]
    keys: dict[str, str | None]
    slug: str

    def auth(self, role: str) -> dict:
        key = self.keys[role]
        return {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}


def make_user(name: str, **flags) -> User:
    return User.objects.create_user(
        username=f"{name}@example.org", email=f"{name}@example.org", password="x-Pass-1234", **flags
    )


@pytest.fixture
def draft_doc() -> ProfileDoc:
    return ProfileDoc.model_validate(
        {
            "name": "Nordic Wind Cluster",
            "country": "DK",
            "mission": "Offshore wind supply chain.",
            "sectoral_industries": ["Renewable Energy"],
            "management_team": [
                {"first_name": "Ida", "last_name": "Holm", "position": "Manager",
                 "email": "ida@wind.example", "telephone": "+45 32 12 34 56"}
            ],
        }
    )  # fmt: skip


@pytest.fixture
def people(db, draft_doc) -> People:
    users = {role: make_user(role) for role in ROLES if role != "anonymous"}
    users["anonymous"] = None
    users["staff"].is_staff = True
    users["staff"].save()
    users["moderator"].groups.add(Group.objects.get(name=MODERATORS))
    org = create_profile(users["owner"], draft_doc)
    Ownership.objects.create(user=users["co_owner"], organisation=org)
    keys = {role: ApiToken.issue(u, "tests")[1] if u else None for role, u in users.items()}
    return People(users, keys, org.slug)


@pytest.fixture
def published(people):
    """The people's profile, published: anyone may contact it."""
    moderation.change_status(people.users["owner"], people.slug, "submit")
    moderation.change_status(people.users["moderator"], people.slug, "publish")
    mail.outbox.clear()  # the review's own mails (tests/accounts/test_review_mail.py)
    return people
