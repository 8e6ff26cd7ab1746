"""Event writes that race, from parallel API clients (SQLite and PostgreSQL): one
registration per organisation, one open request per pair whoever asks, the most
meetings per participant, one decision per request, one solve at a time."""

import time

import pytest
from django.core.management import call_command
from django.test import Client

from clusterhub.accounts.models import ApiToken
from clusterhub.events import scheduling
from clusterhub.events.models import Event, Meeting, Participant, ScheduleRun, Session

from ..accounts.test_parallel_writes import in_parallel

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def vocabularies(transactional_db):
    call_command("load_vocab", verbosity=0)  # a flushed test database has none


def api(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user, 'tests')[1]}")


def post(client: Client, url: str, body: dict) -> int:
    return client.post(url, body, content_type="application/json").status_code


def test_parallel_registrations_of_one_organisation_make_one(clusters, open_event):
    client = api(clusters.owners[1])
    body = {"organisation": clusters.slugs[1], "attendees": [clusters.teams[1]],
            "sessions": [Session.objects.get().pk]}  # fmt: skip
    url = f"/api/events/{open_event.slug}/participants"
    assert sorted(in_parallel(6, lambda i: post(client, url, body))) == [201] + [409] * 5
    assert Participant.objects.count() == 1


def test_parallel_requests_between_two_leave_one_open(clusters, registered):
    a, b, _c = registered
    slug = a.event.slug
    sides = [(api(clusters.owners[0]), a, b), (api(clusters.owners[1]), b, a)]

    def ask(i):
        client, me, other = sides[i % 2]
        return post(client, f"/api/events/{slug}/participants/{me.pk}/requests",
                    {"guest": other.pk})  # fmt: skip

    assert sorted(in_parallel(6, ask)) == [201] + [409] * 5
    assert Meeting.objects.count() == 1


def test_parallel_requests_hold_the_most_meetings(clusters, registered):
    a, b, c = registered
    Event.objects.filter(pk=a.event_id).update(max_meetings=1, acceptance="opt_out")
    slug = a.event.slug
    sides = [(api(clusters.owners[1]), b), (api(clusters.owners[2]), c)]

    def ask(i):
        client, me = sides[i % 2]
        return post(client, f"/api/events/{slug}/participants/{me.pk}/requests", {"guest": a.pk})

    codes = sorted(in_parallel(6, ask))
    assert codes.count(201) == 1 and set(codes) <= {201, 409, 422}
    assert Meeting.objects.filter(status="accepted").count() == 1


def test_parallel_decisions_decide_once(clusters, registered):
    a, b, _c = registered
    slug = a.event.slug
    pk = api(clusters.owners[0]).post(
        f"/api/events/{slug}/participants/{a.pk}/requests", {"guest": b.pk},
        content_type="application/json").json()["id"]  # fmt: skip
    client = api(clusters.owners[1])

    def decide(i):
        return post(client, f"/api/events/{slug}/meetings/{pk}/decision", {"accept": i % 2 == 0})

    assert sorted(in_parallel(6, decide)) == [200] + [409] * 5


def test_parallel_schedule_all_starts_one_solve(clusters, registered, monkeypatch):
    monkeypatch.setattr(scheduling, "later", lambda *args, **kwargs: None)  # left queued
    client = api(clusters.moderator)
    url = f"/api/events/{registered[0].event.slug}/schedule"
    assert sorted(in_parallel(4, lambda i: post(client, url, {"seconds": 5}))) == [202] + [409] * 3
    assert ScheduleRun.objects.count() == 1


def test_stop_reaches_the_running_solve_and_keeps_its_schedule(clusters, registered, monkeypatch):
    """The organiser's stop is a flag in the database, written by another request while
    the worker solves; the job's watcher passes it to the solver, which ends with the
    schedule it has."""
    from clusterhub.events import services
    from clusterhub.events.services import RequestIn

    a, b, _c = registered
    slug = a.event.slug
    meeting = services.ask(clusters.owners[0], slug, a.pk, RequestIn(guest=b.pk))
    services.decide(clusters.owners[1], slug, meeting.pk, True)
    real = scheduling.solve_most

    def waits_for_stop(problem, fairness, time_limit, report=None, stop=None):
        api(clusters.moderator).post(f"/api/events/{slug}/schedule/stop")  # "Stop" clicked
        for _ in range(100):
            if stop():
                break
            time.sleep(0.1)
        return real(problem, fairness, 5, report=report, stop=stop)

    monkeypatch.setattr(scheduling, "later", lambda *args, **kwargs: None)  # the worker: below
    monkeypatch.setattr(scheduling, "solve_most", waits_for_stop)
    job = scheduling.start(clusters.moderator, slug, 60)
    scheduling.run(job.pk)
    job.refresh_from_db()
    assert job.status == "stopped" and job.best_value is not None
    assert Meeting.objects.get().slot is not None
