import pytest
from django.core import mail

from clusterhub.accounts.languages import remember_language
from clusterhub.core.errors import Conflict, Forbidden, Invalid, NotFound, NotSignedIn
from clusterhub.events import scheduling, services
from clusterhub.events.models import Event, Meeting, ScheduleRun
from clusterhub.events.services import RegistrationIn, RequestIn
from tests.events.conftest import day


def test_a_moderator_creates_a_draft_only_organisers_see(clusters, event_input):
    event = services.create(clusters.moderator, event_input)
    assert event.status == "draft" and event.slug == "blue-economy-matchmaking"
    assert [s.number for s in services.slots(event)] == [1, 2, 3]
    for who in (None, clusters.owners[0]):
        with pytest.raises(NotFound):
            services.viewable(who, event.slug)
    assert services.viewable(clusters.moderator, event.slug) == event


def test_only_moderators_create_events(clusters, event_input):
    with pytest.raises(Forbidden):
        services.create(clusters.owners[0], event_input)
    with pytest.raises(NotSignedIn):
        services.create(None, event_input)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_on": day(9).date()}, "ends_on"),
        ({"requests_close": day(11)}, "requests_close"),
        ({"registration_closes": day(9)}, "registration_closes"),
        ({"place": "", "online": False}, "place"),
        ({"meeting_minutes": 90}, "sessions[0]"),
    ],
)
def test_inconsistent_events_are_refused_naming_the_field(clusters, event_input, change, field):
    with pytest.raises(Invalid) as refused:
        services.create(clusters.moderator, event_input.model_copy(update=change))
    assert refused.value.field == field
    assert not Event.objects.exists()


def test_a_user_made_organiser_of_one_event_organises_it(clusters, open_event):
    owner = clusters.owners[1]
    with pytest.raises(Forbidden):
        services.organised(owner, open_event.slug)
    services.add_organiser(clusters.moderator, open_event.slug, owner.email)
    assert services.organised(owner, open_event.slug) == open_event


def test_registration_needs_a_published_profile_of_ones_own(clusters, open_event):
    session = open_event.sessions.get().pk
    data = RegistrationIn(organisation=clusters.slugs[1], attendees=[clusters.teams[1]],
                          sessions=[session])  # fmt: skip
    with pytest.raises(Forbidden):
        services.register(clusters.owners[0], open_event.slug, data)
    p = services.register(clusters.owners[1], open_event.slug, data)
    assert p.attendees == ["Rui Sousa, Manager"]
    with pytest.raises(Conflict):
        services.register(clusters.owners[1], open_event.slug, data)
    stranger = data.model_copy(update={"organisation": clusters.slugs[2], "attendees": ["Nobody"]})
    with pytest.raises(Invalid) as refused:
        services.register(clusters.owners[2], open_event.slug, stranger)
    assert refused.value.field == "attendees"


def test_registration_closes(clusters, open_event):
    Event.objects.filter(pk=open_event.pk).update(registration_closes=day(-1))
    data = RegistrationIn(organisation=clusters.slugs[1], attendees=[clusters.teams[1]],
                          sessions=[open_event.sessions.get().pk])  # fmt: skip
    with pytest.raises(Invalid, match="registration closed"):
        services.register(clusters.owners[1], open_event.slug, data)


def test_opt_in_request_accept_and_mail_each_side(clusters, registered, mailoutbox):
    a, b, _c = registered
    slug = a.event.slug
    meeting = services.ask(clusters.owners[0], slug, a.pk, RequestIn(guest=b.pk, message="Ports?"))
    assert meeting.status == "pending"
    assert any("porto@example.org" in m.to and "Ports?" in m.body for m in mail.outbox)
    with pytest.raises(Forbidden):  # the asking side does not answer its own request
        services.decide(clusters.owners[0], slug, meeting.pk, True)
    with pytest.raises(NotFound):  # a third participant does not see it
        services.decide(clusters.owners[2], slug, meeting.pk, True)
    services.decide(clusters.owners[1], slug, meeting.pk, True)
    assert Meeting.objects.get().status == "accepted"
    assert any("owner@example.org" in m.to and "accepted" in m.subject for m in mail.outbox)


def test_one_open_request_per_pair_whoever_asks(clusters, registered):
    a, b, _c = registered
    services.ask(clusters.owners[0], a.event.slug, a.pk, RequestIn(guest=b.pk))
    with pytest.raises(Conflict):
        services.ask(clusters.owners[1], a.event.slug, b.pk, RequestIn(guest=a.pk))


def test_opt_out_requests_are_accepted_at_once(clusters, registered):
    a, b, _c = registered
    Event.objects.filter(pk=a.event_id).update(acceptance="opt_out")
    meeting = services.ask(clusters.owners[0], a.event.slug, a.pk, RequestIn(guest=b.pk))
    assert meeting.status == "accepted"


def test_the_most_meetings_per_participant_hold(clusters, registered):
    a, b, c = registered
    Event.objects.filter(pk=a.event_id).update(max_meetings=1)
    services.ask(clusters.owners[0], a.event.slug, a.pk, RequestIn(guest=b.pk))
    with pytest.raises(Invalid, match="the most allowed"):
        services.ask(clusters.owners[2], a.event.slug, c.pk, RequestIn(guest=a.pk))


def test_pending_requests_expire_and_the_requester_is_told(clusters, registered, mailoutbox):
    a, b, _c = registered
    meeting = services.ask(clusters.owners[0], a.event.slug, a.pk, RequestIn(guest=b.pk))
    assert services.expire_due(now=meeting.expires_at + (day(1) - day(0))) == 1
    assert Meeting.objects.get().status == "expired"
    assert any("owner@example.org" in m.to and "expired" in m.body for m in mail.outbox)
    with pytest.raises(Conflict):
        services.decide(clusters.owners[1], a.event.slug, meeting.pk, True)


def accept_all(clusters, registered, pairs):
    for i, j in pairs:
        m = services.ask(clusters.owners[i], registered[i].event.slug, registered[i].pk,
                         RequestIn(guest=registered[j].pk))  # fmt: skip
        services.decide(clusters.owners[j], registered[j].event.slug, m.pk, True)


def test_schedule_all_places_every_meeting_with_the_fewest_breaks(clusters, registered):
    accept_all(clusters, registered, [(0, 1), (0, 2), (1, 2)])
    slug = registered[0].event.slug
    run = scheduling.start(clusters.moderator, slug, 10)
    run.refresh_from_db()
    # Three pairs in three slots: one of the three waits a slot between its two meetings.
    assert run.status == "done" and run.solver_status == "optimal" and run.best_value == 1
    placed = list(Meeting.objects.order_by("slot"))
    assert [m.slot for m in placed] == [1, 2, 3]  # three pairs, one meeting a slot each
    assert all(m.table == 1 for m in placed)
    assert scheduling.conflicts(registered[0].event, placed) == {}


def test_when_not_all_fit_it_says_which_and_keeps_the_higher_priority(clusters, registered):
    a, _b, c = registered
    accept_all(clusters, registered, [(0, 1), (0, 2)])
    Meeting.objects.filter(guest=c).update(priority=5)
    a.unavailable = [1, 2]  # a can meet in slot 3 only: one of its two meetings fits
    a.save()
    run = scheduling.start(clusters.moderator, a.event.slug, 10)
    run.refresh_from_db()
    assert run.status == "done"
    kept = Meeting.objects.exclude(slot=None).get()
    assert kept.guest == c and kept.slot == 3
    assert len(run.left_out) == 1
    assert "Nordic Wind Cluster has 2 meetings and 1 slots" in run.left_out[0]["reason"]


def test_moves_are_refused_with_the_reason_and_locks_hold(clusters, registered):
    accept_all(clusters, registered, [(0, 1), (0, 2)])
    slug = registered[0].event.slug
    first, second = Meeting.objects.order_by("pk")
    scheduling.move(clusters.moderator, slug, first.pk, 2, 1)
    with pytest.raises(Invalid, match="another meeting in this slot"):
        scheduling.move(clusters.moderator, slug, second.pk, 2, 2)
    with pytest.raises(Invalid, match="no slot 9"):
        scheduling.move(clusters.moderator, slug, second.pk, 9)
    scheduling.start(clusters.moderator, slug, 10)
    first.refresh_from_db()
    assert first.slot == 2 and first.locked  # the locked meeting stayed
    second.refresh_from_db()
    assert second.slot in (1, 3)


def test_a_schedule_computed_from_stale_data_is_not_applied(clusters, registered):
    accept_all(clusters, registered, [(0, 1)])
    event = registered[0].event
    plan = scheduling.plan(event)
    services.set_availability(clusters.owners[0], event.slug, registered[0].pk,
                              services.AvailabilityIn(attendees=[clusters.teams[0]],
                                                      sessions=[event.sessions.get().pk],
                                                      unavailable=[1]))  # fmt: skip
    from clusterhub.scheduling.solver import solve_most

    schedule, left = solve_most(plan.problem, 2, 5)
    assert scheduling.apply(event.pk, plan, schedule, left) is False
    assert Meeting.objects.get().slot is None


def test_one_run_at_a_time(clusters, registered, monkeypatch):
    monkeypatch.setattr(scheduling, "later", lambda *a, **k: None)  # stays queued
    slug = registered[0].event.slug
    scheduling.start(clusters.moderator, slug, 10)
    with pytest.raises(Conflict):
        scheduling.start(clusters.moderator, slug, 10)
    scheduling.stop(clusters.moderator, slug)
    assert ScheduleRun.objects.get().stop_requested


def test_changes_after_publication_mail_those_affected(clusters, registered, mailoutbox):
    accept_all(clusters, registered, [(0, 1)])
    slug = registered[0].event.slug
    scheduling.start(clusters.moderator, slug, 10)
    scheduling.publish_agendas(clusters.moderator, slug)
    mail.outbox.clear()
    meeting = Meeting.objects.get()
    scheduling.move(clusters.moderator, slug, meeting.pk, 3 if meeting.slot != 3 else 1)
    told = sorted(a for m in mail.outbox for a in m.to)
    assert told == ["co_owner@example.org", "owner@example.org", "porto@example.org"]


def test_the_run_speaks_the_language_of_the_organiser_who_started_it(clusters, registered):
    a, _b, _c = registered
    accept_all(clusters, registered, [(0, 1), (0, 2)])
    a.unavailable = [1, 2]
    a.save()
    remember_language(clusters.moderator, "es")
    run = scheduling.start(clusters.moderator, a.event.slug, 10)
    run.refresh_from_db()
    (left_out,) = run.left_out
    assert "Nordic Wind Cluster tiene 2 reuniones y 1 franjas" in left_out["reason"]
