"""An event a moderator organises, and two published clusters with their owners."""

from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from clusterhub.accounts import moderation
from clusterhub.accounts.editing import create_profile
from clusterhub.events import services
from clusterhub.events.services import EventIn, RegistrationIn
from clusterhub.profiles.schema import ProfileDoc
from tests.accounts.conftest import make_user


def day(offset: int, hour: int = 0, minute: int = 0) -> datetime:
    base = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return base + timedelta(days=offset, hours=hour, minutes=minute)


@pytest.fixture
def event_input() -> EventIn:
    """Two days out: one session of 09:00–10:00 (3 slots of 15 + 5 minutes), tables 2."""
    return EventIn(
        title="Blue Economy Matchmaking", description="Ports, wind and fisheries.",
        place="Vigo", starts_on=day(10).date(), ends_on=day(10).date(),
        sessions=[{"name": "Morning", "starts_at": day(10, 9), "ends_at": day(10, 10)}],
        meeting_minutes=15, pause_minutes=5, tables=2,
        registration_closes=day(5), requests_close=day(8), max_meetings=5,
    )  # fmt: skip


def publish(owner, moderator, slug):
    moderation.change_status(owner, slug, "submit")
    moderation.change_status(moderator, slug, "publish")


def cluster(owner, name: str, country: str, person: str):
    first, last = person.split()
    doc = ProfileDoc.model_validate({
        "name": name, "country": country, "mission": "Blue economy and offshore wind.",
        "sectoral_industries": ["Renewable Energy"],
        "management_team": [{"first_name": first, "last_name": last, "position": "Manager"}],
    })  # fmt: skip
    return create_profile(owner, doc)


@pytest.fixture
def clusters(people):
    """The people's profile and two more, each with its own owner, all published."""
    moderator = people.users["moderator"]
    publish(people.users["owner"], moderator, people.slug)
    porto, gdansk = make_user("porto"), make_user("gdansk")
    second = cluster(porto, "Porto Ocean Cluster", "PT", "Rui Sousa")
    third = cluster(gdansk, "Baltic Port Cluster", "PL", "Ewa Nowak")
    publish(porto, moderator, second.slug)
    publish(gdansk, moderator, third.slug)
    return SimpleNamespace(
        people=people, moderator=moderator, owners=[people.users["owner"], porto, gdansk],
        slugs=[people.slug, second.slug, third.slug],
        teams=["Ida Holm, Manager", "Rui Sousa, Manager", "Ewa Nowak, Manager"],
    )  # fmt: skip


@pytest.fixture
def open_event(clusters, event_input):
    event = services.create(clusters.moderator, event_input)
    return services.change_status(clusters.moderator, event.slug, "publish")


@pytest.fixture
def registered(clusters, open_event):
    """All three clusters registered for every session."""
    session = open_event.sessions.get().pk
    return [
        services.register(owner, open_event.slug, RegistrationIn(
            organisation=slug, attendees=[team], sessions=[session]))
        for owner, slug, team in zip(clusters.owners, clusters.slugs, clusters.teams, strict=True)
    ]  # fmt: skip
