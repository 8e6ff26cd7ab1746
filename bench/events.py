"""A matchmaking event at the size the European platform runs them (one virtual event:
112 cluster organisations, about 230 one-to-one meetings in two days).

    .venv/bin/python bench/events.py [--participants 112] [--meetings 230] [--requests 20] [--time-limit 60]

In a fresh data dir (the demo's 300 profiles): the writes through the services — a
registration, a request and its acceptance, each timed — then the pages through
Django's whole request stack (the catalogue, a participant's page with the partner
finder among the participants, the organiser's grid, an agenda, its iCalendar, the zip
of all agendas), then "Schedule all" (the job, run here) with its value, bound and
seconds, and the process's memory along the way.
"""

import argparse
import random
import sys
import time
from datetime import timedelta

from common import clusterhub, data_dir, django_on, moderator, percentiles, row, settled_mb


def _day(offset: int, hour: int = 0):
    from django.utils import timezone

    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return start + timedelta(days=offset, hours=hour)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=112)
    parser.add_argument("--meetings", type=int, default=230)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--time-limit", type=int, default=60)
    args = parser.parse_args()
    data = data_dir("events")
    clusterhub(data, "migrate", "-v0")
    clusterhub(data, "demo", "--profiles", "300", stdout=sys.stderr)
    django_on(data)
    from django.test import Client

    from clusterhub.accounts.models import Ownership
    from clusterhub.events import scheduling, services
    from clusterhub.profiles.models import ClusterOrganisation

    rng = random.Random(1)
    organiser = moderator()
    orgs = [o for o in ClusterOrganisation.objects.filter(status="published").order_by("pk")
            if services.team_names(o)][: args.participants]  # fmt: skip
    Ownership.objects.bulk_create(Ownership(user=organiser, organisation=o) for o in orgs)
    sessions = [
        {"name": f"Day {d + 1} {part}", "starts_at": _day(30 + d, start), "ends_at": _day(30 + d, end)}
        for d in range(2) for part, start, end in (("morning", 9, 13), ("afternoon", 14, 18))
    ]  # fmt: skip
    event = services.create(organiser, services.EventIn(
        title="Euroclusters B2B benchmark", online=True, starts_on=_day(30).date(),
        ends_on=_day(31).date(), sessions=sessions, meeting_minutes=20, pause_minutes=5,
        tables=40, registration_closes=_day(20), requests_close=_day(25), max_meetings=12,
    ))  # fmt: skip
    services.change_status(organiser, event.slug, "publish")
    all_sessions = [s.pk for s in event.sessions.all()]
    slot_count = len(services.slots(event))
    before = settled_mb()
    registering = []
    participants = []
    for org in orgs:
        started = time.perf_counter()
        participants.append(services.register(organiser, event.slug, services.RegistrationIn(
            organisation=org.slug, attendees=services.team_names(org)[:2],
            sessions=all_sessions if rng.random() < 0.8 else rng.sample(all_sessions, 3),
            unavailable=rng.sample(range(1, slot_count + 1), rng.randint(0, 3)),
        )))  # fmt: skip
        registering.append((time.perf_counter() - started) * 1000)
    asking, deciding, pairs = [], [], set()
    while len(pairs) < args.meetings:
        a, b = rng.sample(participants, 2)
        key = tuple(sorted((a.pk, b.pk)))
        if key in pairs:
            continue
        started = time.perf_counter()
        try:
            meeting = services.ask(organiser, event.slug, a.pk, services.RequestIn(
                guest=b.pk, priority=rng.randint(1, 5), message="Let us talk."))  # fmt: skip
        except services.Invalid:
            continue  # one of them at its most meetings
        asked = time.perf_counter()
        services.decide(organiser, event.slug, meeting.pk, True)
        asking.append((asked - started) * 1000)
        deciding.append((time.perf_counter() - asked) * 1000)
        pairs.add(key)
    after_writes = settled_mb()
    print(f"{len(participants)} participants, {len(pairs)} accepted meetings, "
          f"{slot_count} slots in 4 sessions, 40 tables\n")  # fmt: skip
    print("| step | p50 ms | p95 ms | max ms |\n|---|---|---|---|")
    print(row("register a participant", percentiles(registering)))
    print(row("ask for a meeting", percentiles(asking)))
    print(row("accept it", percentiles(deciding)))

    client = Client(SERVER_NAME="localhost")
    client.force_login(organiser)
    one = participants[0]
    for label, path in (
        ("the catalogue", f"/events/{event.slug}/participants/"),
        ("the catalogue, a word and a facet", f"/events/{event.slug}/participants/?q=cluster&country=ES"),
        ("a participant's page (partner finder among participants)", one.get_absolute_url()),
        ("the organiser's grid", f"/events/{event.slug}/schedule/"),
    ):  # fmt: skip
        samples = []
        for _ in range(args.requests):
            started = time.perf_counter()
            assert client.get(path).status_code == 200, path
            samples.append((time.perf_counter() - started) * 1000)
        print(row(label, percentiles(samples)))

    job = scheduling.start(organiser, event.slug, args.time_limit)
    started = time.perf_counter()
    scheduling.run(job.pk)
    job.refresh_from_db()
    solve = time.perf_counter() - started
    print(f"\nSchedule all: {job.status} {job.solver_status} {job.message}")
    scheduling.publish_agendas(organiser, event.slug)
    for label, path in (
        ("an agenda", f"/events/{event.slug}/participants/{one.pk}/agenda/"),
        ("its iCalendar file", f"/events/{event.slug}/participants/{one.pk}/agenda.ics"),
        ("every agenda as a zip", f"/events/{event.slug}/agendas.zip"),
        ("the organiser's grid, scheduled", f"/events/{event.slug}/schedule/"),
    ):  # fmt: skip
        samples = []
        for _ in range(max(3, args.requests // 4)):
            started = time.perf_counter()
            assert client.get(path).status_code == 200, path
            samples.append((time.perf_counter() - started) * 1000)
        print(row(label, percentiles(samples)))
    print(
        f"\nSchedule all: {job.status}, solver {job.solver_status}, {job.best_value} breaks, "
        f"proven bound {job.lower_bound}, {solve:.1f} s (limit {args.time_limit} s); "
        f"{len(job.left_out)} meetings left out"
    )
    print(f"memory: {before:.0f} MB before the writes, {after_writes:.0f} MB after them, "
          f"{settled_mb():.0f} MB at the end")  # fmt: skip


if __name__ == "__main__":
    main()
