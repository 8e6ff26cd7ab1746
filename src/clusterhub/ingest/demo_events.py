"""The demo's matchmaking events: one upcoming (registration open, requests in every
state, a schedule computed and not yet published) and one past (agendas published),
made through the services an organiser's and the participants' clicks go through.

A past event cannot be registered for, so it is made as an upcoming one and then moved
back in time, every date and session by the same number of days, as if it had happened.
"""

import random
from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from clusterhub.core.errors import DomainError
from clusterhub.events import scheduling
from clusterhub.events import services as events
from clusterhub.events.models import Event, Meeting, Session

PAST_DAYS = 120  # how far back the past event is moved


def _day(offset: int, hour: int = 0):
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return start + timedelta(days=offset, hours=hour)


def _event(moderator, title: str, description: str, place: str, online: bool, acceptance: str):
    data = events.EventIn(
        title=title, description=description, place=place, online=online,
        starts_on=_day(30).date(), ends_on=_day(31).date(),
        sessions=[
            {"name": "Day 1 morning", "starts_at": _day(30, 9), "ends_at": _day(30, 13)},
            {"name": "Day 1 afternoon", "starts_at": _day(30, 14), "ends_at": _day(30, 17)},
            {"name": "Day 2 morning", "starts_at": _day(31, 9), "ends_at": _day(31, 12)},
        ],
        meeting_minutes=25, pause_minutes=5, tables=6, registration_closes=_day(20),
        requests_close=_day(25), acceptance=acceptance, request_days=10, max_meetings=8,
    )  # fmt: skip
    event = events.create(moderator, data)
    return events.change_status(moderator, event.slug, "publish")


def _participants(event, owner, orgs, rng: random.Random) -> list:
    sessions = [s.pk for s in event.sessions.all()]
    slots = len(events.slots(event))
    made = []
    for org in orgs:
        team = events.team_names(org)
        if not team:
            continue
        attended = sessions if rng.random() < 0.7 else rng.sample(sessions, 2)
        made.append(events.register(owner, event.slug, events.RegistrationIn(
            organisation=org.slug, attendees=team[:2], sessions=attended,
            unavailable=rng.sample(range(1, slots + 1), rng.randint(0, 2)),
        )))  # fmt: skip
    return made


def _requests(event, owner, participants, rng: random.Random) -> None:
    """About three requests a participant, then answers: most accepted, some declined,
    some left waiting, one expired and one cancelled."""
    pairs = set()
    for p in participants:
        for q in rng.sample(participants, min(len(participants), 4)):
            if p.pk != q.pk and (q.pk, p.pk) not in pairs and len(pairs) < 3 * len(participants):
                pairs.add((p.pk, q.pk))
    by_pk = {p.pk: p for p in participants}
    made = []
    for a, b in sorted(pairs):
        try:
            made.append(events.ask(owner, event.slug, a, events.RequestIn(
                guest=b, priority=rng.randint(1, 5),
                message=f"{by_pk[a].organisation.name} would like to discuss joint projects.",
            )))  # fmt: skip
        except DomainError:
            continue  # a participant at its most meetings
    if event.acceptance == Event.Acceptance.OPT_OUT:
        return
    for number, meeting in enumerate(made):
        if number % 7 == 3:
            events.decide(owner, event.slug, meeting.pk, False)
        elif number % 7 == 5:
            continue  # left waiting for an answer
        elif number % 11 == 6:
            Meeting.objects.filter(pk=meeting.pk).update(expires_at=_day(-1))
        else:
            events.decide(owner, event.slug, meeting.pk, True)
    events.expire_due()
    accepted = [m for m in made if Meeting.objects.get(pk=m.pk).status == "accepted"]
    if accepted:
        events.cancel(owner, event.slug, accepted[-1].pk)


def _schedule(moderator, event) -> None:
    job = scheduling.start(moderator, event.slug, 20)
    scheduling.run(job.pk)  # here and now; the worker's copy of the job finds it done


def _move_back(event, days: int) -> None:
    shift = timedelta(days=days)
    Event.objects.filter(pk=event.pk).update(
        starts_on=F("starts_on") - shift, ends_on=F("ends_on") - shift,
        registration_closes=F("registration_closes") - shift,
        requests_close=F("requests_close") - shift,
        agendas_published_at=F("agendas_published_at") - shift,
    )  # fmt: skip
    Session.objects.filter(event=event).update(
        starts_at=F("starts_at") - shift, ends_at=F("ends_at") - shift
    )
    Meeting.objects.filter(event=event).update(expires_at=F("expires_at") - shift)


def load_demo_events(moderator, owner, organiser, orgs: list, seed: int = 1) -> int:
    """Two events among `orgs` (published profiles `owner` owns); `organiser` is made
    organiser of the upcoming one. Returns how many events were made."""
    rng = random.Random(seed)
    if len(orgs) < 4:
        return 0
    upcoming = _event(
        moderator, "Blue and green economy B2B days",
        "Two days of one-to-one meetings between clusters of the blue and green economy: "
        "ports, offshore wind, aquaculture and the circular economy.",
        "Vigo, Spain", False, Event.Acceptance.OPT_IN,
    )  # fmt: skip
    events.add_organiser(moderator, upcoming.slug, organiser.email)
    _requests(upcoming, owner, _participants(upcoming, owner, orgs, rng), rng)
    _schedule(moderator, upcoming)

    past = _event(
        moderator, "Euroclusters online matchmaking",
        "Virtual intra-EU matchmaking of cluster organisations looking for partners for "
        "Euroclusters and Interreg projects.",
        "", True, Event.Acceptance.OPT_IN,
    )  # fmt: skip
    _requests(past, owner, _participants(past, owner, orgs, rng), rng)
    _schedule(moderator, past)
    scheduling.publish_agendas(moderator, past.slug)
    _move_back(past, PAST_DAYS)
    events.expire_due()  # the past event's unanswered requests
    return 2
