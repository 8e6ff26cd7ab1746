"""An event's schedule: the organiser's grid, manual placing, "Schedule all" as a
background job with progress and stop, and publishing the agendas.

The solver is `clusterhub.scheduling` (the same one `clusterhub schedule` runs on the
benchmark's files): the event's accepted meetings become its problem, participants
numbered from 1, slots numbered across the sessions (docs/scheduling.md). A solve
writes nothing until it ends; then the whole schedule is replaced in one transaction,
and only if nothing it depends on changed meanwhile (`Event.plan_version`).
"""

import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from clusterhub.accounts.languages import in_language_of
from clusterhub.core.background import later
from clusterhub.core.errors import Conflict, Invalid
from clusterhub.scheduling.problem import ANY, Problem
from clusterhub.scheduling.solver import in_words, solve_most

from . import services
from .models import Event, Meeting, Participant, ScheduleRun

# Seconds a "Schedule all" may take at most, and by default.
MAX_SECONDS, DEFAULT_SECONDS = 600, 60
# How often a running solve looks whether it was asked to stop.
STOP_POLL = 0.5


@dataclass
class Plan:
    """The event's problem for the solver and what its numbers stand for."""

    problem: Problem
    meetings: list[Meeting]  # problem meeting i is meetings[i]
    participants: list[Participant]  # problem participant p is participants[p - 1]
    version: int


def accepted(event: Event):
    return (
        event.meetings.filter(status=Meeting.Status.ACCEPTED)
        .select_related("requester__organisation", "guest__organisation")
        .order_by("pk")
    )


def plan(event: Event) -> Plan:
    participants = list(event.participants.prefetch_related("sessions").order_by("pk"))
    number = {p.pk: i for i, p in enumerate(participants, start=1)}
    all_slots = services.slots(event)
    meetings = list(accepted(event))
    forbidden = {}
    for p in participants:
        free = set(services.free_slots(p, all_slots))
        forbidden[number[p.pk]] = frozenset(s.number for s in all_slots if s.number not in free)
    problem = Problem(
        participants=len(participants), slots=len(all_slots), morning_slots=len(all_slots),
        tables=event.tables or max(1, len(participants)),
        meetings=[(number[m.requester_id], number[m.guest_id], ANY) for m in meetings],
        forbidden=forbidden,
        fixed={i: m.slot for i, m in enumerate(meetings) if m.locked and m.slot},
        priorities={i: m.priority for i, m in enumerate(meetings)},
    )  # fmt: skip
    return Plan(problem, meetings, participants, event.plan_version)


def _name(plan: Plan, p: int) -> str:
    return plan.participants[p - 1].organisation.name


def explained(plan: Plan, reasons) -> str:
    """The solver's reasons in the page's language, participants named."""
    return in_words(reasons, lambda p: _name(plan, p), _)


# --- the grid and its conflicts ---------------------------------------------------


@dataclass
class Grid:
    slots: list  # services.Slot
    tables: list[int]
    cells: dict = field(default_factory=dict)  # (slot, table): [Meeting], two if in conflict
    unplaced: list = field(default_factory=list)
    placed: int = 0
    conflicts: dict = field(default_factory=dict)  # meeting pk: [reasons]


def conflicts(event: Event, meetings: list[Meeting], all_slots=None) -> dict[int, list[str]]:
    """The placed meetings that break a rule now (availability changed after placing,
    a manual edit elsewhere), each with its reasons."""
    all_slots = all_slots or services.slots(event)
    free = {
        p.pk: set(services.free_slots(p, all_slots))
        for p in event.participants.prefetch_related("sessions")
    }
    found: dict[int, list[str]] = defaultdict(list)
    busy: dict[tuple[int, int], list[Meeting]] = defaultdict(list)
    at_table: dict[tuple[int, int], list[Meeting]] = defaultdict(list)
    for m in meetings:
        if m.slot is None:
            continue
        for side in (m.requester, m.guest):
            busy[side.pk, m.slot].append(m)
            if m.slot not in free.get(side.pk, ()):
                found[m.pk].append(_("%(name)s cannot meet in this slot") % {
                    "name": side.organisation.name})  # fmt: skip
        at_table[m.slot, m.table].append(m)
        if event.tables and m.table and m.table > event.tables:
            found[m.pk].append(_("there is no table %(table)d") % {"table": m.table})
    for (_p, _slot), here in busy.items():
        if len(here) > 1:
            for m in here:
                found[m.pk].append(_("a participant has two meetings in this slot"))
    for (_slot, _table), here in at_table.items():
        if len(here) > 1 and not event.fixed_booths:
            for m in here:
                found[m.pk].append(_("two meetings at one table"))
    return dict(found)


def grid(event: Event) -> Grid:
    all_slots = services.slots(event)
    meetings = list(accepted(event))
    count = event.tables or event.participants.count()
    result = Grid(all_slots, list(range(1, count + 1)))
    for m in meetings:
        if m.slot is None:
            result.unplaced.append(m)
        else:
            result.cells.setdefault((m.slot, m.table), []).append(m)
            result.placed += 1
    result.conflicts = conflicts(event, meetings, all_slots)
    return result


# --- placing by hand ----------------------------------------------------------------


def _refusal(event: Event, meeting: Meeting, slot: int, table: int | None) -> str | None:
    """Why the meeting cannot go to this slot and table, or None."""
    all_slots = services.slots(event)
    if not 1 <= slot <= len(all_slots):
        return _("there is no slot %(slot)d") % {"slot": slot}
    for side in (meeting.requester, meeting.guest):
        if slot not in services.free_slots(side, all_slots):
            return _("%(name)s cannot meet in this slot") % {"name": side.organisation.name}
    others = accepted(event).filter(slot=slot).exclude(pk=meeting.pk)
    for other in others:
        shared = {other.requester_id, other.guest_id} & {meeting.requester_id, meeting.guest_id}
        if shared:
            return _("%(name)s has another meeting in this slot") % {
                "name": (meeting.requester if meeting.requester_id in shared
                         else meeting.guest).organisation.name}  # fmt: skip
    if event.fixed_booths:
        return None
    if table is not None and not 1 <= table <= event.tables:
        return _("there is no table %(table)d") % {"table": table}
    if table is not None and others.filter(table=table).exists():
        return _("table %(table)d is taken in this slot") % {"table": table}
    if others.count() >= event.tables:
        return _("every table is taken in this slot")
    return None


def _free_table(event: Event, meeting: Meeting, slot: int) -> int:
    if event.fixed_booths:
        return meeting.guest.booth or 0
    taken = set(accepted(event).filter(slot=slot).exclude(pk=meeting.pk).values_list(
        "table", flat=True))  # fmt: skip
    return min(t for t in range(1, event.tables + 1) if t not in taken)


def _placed_meeting(user, slug: str, pk: int) -> tuple[Event, Meeting]:
    event = services.organised(user, slug, lock=True)
    meeting = accepted(event).select_for_update(of=("self",)).filter(pk=pk).first()
    if meeting is None:
        raise Invalid(_("no accepted meeting %(pk)s in this event") % {"pk": pk}, "meeting")
    return event, meeting


@transaction.atomic
def move(user, slug: str, pk: int, slot: int, table: int | None = None) -> Meeting:
    """The organiser puts a meeting in a slot (and at a table), which locks it there;
    refused, with the reason, when that breaks a rule."""
    event, meeting = _placed_meeting(user, slug, pk)
    reason = _refusal(event, meeting, slot, table)
    if reason:
        raise Invalid(reason, "slot")
    before = (meeting.slot, meeting.table)
    meeting.slot = slot
    meeting.table = table if table is not None and not event.fixed_booths else _free_table(
        event, meeting, slot)  # fmt: skip
    meeting.locked = True
    meeting.save()
    _changed(event, [meeting] if before != (meeting.slot, meeting.table) else [])
    return meeting


@transaction.atomic
def lock(user, slug: str, pk: int, on: bool) -> Meeting:
    """A locked meeting keeps its slot when the organiser schedules all."""
    event, meeting = _placed_meeting(user, slug, pk)
    if on and meeting.slot is None:
        raise Invalid(_("place it in a slot first"), "slot")
    meeting.locked = on
    meeting.save(update_fields=["locked", "updated_at"])
    services.plan_changed(event)
    return meeting


@transaction.atomic
def unschedule(user, slug: str, pk: int) -> Meeting:
    event, meeting = _placed_meeting(user, slug, pk)
    was = meeting.slot
    meeting.slot = meeting.table = None
    meeting.locked = False
    meeting.save()
    _changed(event, [meeting] if was is not None else [])
    return meeting


def _changed(event: Event, meetings: list[Meeting]) -> None:
    services.plan_changed(event)
    if event.agendas_published_at and meetings:
        tell_changed(event, [side for m in meetings for side in (m.requester, m.guest)])


def tell_changed(event: Event, participants: list[Participant]) -> None:
    """After publication, each participant whose agenda changed is mailed once."""
    seen = set()
    for p in participants:
        if p.pk not in seen:
            seen.add(p.pk)
            services.tell(p, gettext_noop("Your agenda changed; see it on the event's page."))


@transaction.atomic
def publish_agendas(user, slug: str) -> Event:
    """The agendas become visible to the participants, who are mailed."""
    event = services.organised(user, slug, lock=True)
    if services.running(event):
        raise Conflict(_("wait for the schedule being computed, or stop it"), "status")
    if not accepted(event).exclude(slot=None).exists():
        raise Invalid(_("no meeting is scheduled yet"), "status")
    first = event.agendas_published_at is None
    event.agendas_published_at = timezone.now()
    event.save(update_fields=["agendas_published_at", "updated_at"])
    if first:
        for p in event.participants.select_related("organisation"):
            services.tell(p, gettext_noop("Your agenda is published."))
    return event


# --- Schedule all -------------------------------------------------------------------


@transaction.atomic
def start(user, slug: str, seconds: int = DEFAULT_SECONDS) -> ScheduleRun:
    """Queue a solve (one at a time per event); the worker runs `run`."""
    event = services.organised(user, slug, lock=True)
    if not 1 <= seconds <= MAX_SECONDS:
        raise Invalid(_("a time limit is from 1 to %(most)d seconds") % {"most": MAX_SECONDS},
                      "seconds")  # fmt: skip
    try:
        with transaction.atomic():
            job = ScheduleRun.objects.create(event=event, started_by=user, time_limit=seconds)
    except IntegrityError:
        raise Conflict(_("a schedule is already being computed"), "status") from None
    # A job handed out again while it runs (after Q_CLUSTER's retry) returns at once.
    later(run, job.pk, name="schedule event", timeout=seconds + 60)
    return job


@transaction.atomic
def stop(user, slug: str) -> ScheduleRun | None:
    event = services.organised(user, slug)
    job = services.running(event)
    if job:
        ScheduleRun.objects.filter(pk=job.pk).update(stop_requested=True)
    return job


def _watch(job_pk: int, asked: threading.Event, done: threading.Event) -> None:
    try:
        while not done.wait(STOP_POLL):
            if ScheduleRun.objects.filter(pk=job_pk, stop_requested=True).exists():
                asked.set()
                return
    finally:
        connection.close()


def _finish(job_pk: int, **values) -> None:
    values.setdefault("finished_at", timezone.now())
    ScheduleRun.objects.filter(pk=job_pk).update(**values)


def run(job_pk: int) -> None:
    """The job: solve, then apply the schedule (or leave the previous one as it was);
    what it says is written in the language of the organiser who started it."""
    job = ScheduleRun.objects.select_related("event", "started_by").filter(pk=job_pk).first()
    if job is None or job.status != ScheduleRun.Status.QUEUED:
        return  # run already (a job handed out twice)
    with in_language_of(job.started_by):
        _run(job)


def _run(job: ScheduleRun) -> None:
    job_pk = job.pk
    started = time.perf_counter()
    ScheduleRun.objects.filter(pk=job_pk).update(status=ScheduleRun.Status.RUNNING)
    event = job.event
    try:
        the_plan = plan(event)
        asked, done = threading.Event(), threading.Event()
        # The solver asks "stop?" from its own threads: one thread of ours reads the flag
        # from the database, so no solver thread opens a connection.
        watcher = threading.Thread(target=_watch, args=(job_pk, asked, done), daemon=True)
        watcher.start()

        def report(value: int, bound: int) -> None:
            ScheduleRun.objects.filter(pk=job_pk).update(best_value=value, lower_bound=bound)

        try:
            schedule, left_out = solve_most(
                the_plan.problem, event.fairness, job.time_limit, report=report,
                stop=asked.is_set,
            )  # fmt: skip
        finally:
            done.set()
            watcher.join()
        ending = ScheduleRun.Status.STOPPED if asked.is_set() else ScheduleRun.Status.DONE
        seconds = round(time.perf_counter() - started, 2)
        if schedule.total_breaks is None:
            _finish(job_pk, status=ending, solver_status=schedule.status, seconds=seconds,
                    message=explained(the_plan, schedule.reasons) or _(
                        "No schedule was found; the previous one is kept."))  # fmt: skip
            return
        applied = apply(event.pk, the_plan, schedule, left_out)
        _finish(
            job_pk, status=ending if applied else ScheduleRun.Status.FAILED,
            solver_status=schedule.status, best_value=schedule.total_breaks,
            lower_bound=schedule.lower_bound, seconds=seconds,
            message=explained(the_plan, schedule.reasons) if applied else _(
                "The meetings or availability changed while scheduling; the previous schedule "
                "is kept. Schedule all again."),
            left_out=[{"meeting": the_plan.meetings[m].pk,
                       "between": str(the_plan.meetings[m]),
                       "reason": explained(the_plan, [reason])}
                      for m, reason in sorted(left_out.items())] if applied else [],
        )  # fmt: skip
    except Exception as exc:
        _finish(job_pk, status=ScheduleRun.Status.FAILED, message=str(exc)[:500],
                seconds=round(time.perf_counter() - started, 2))  # fmt: skip
        raise


@transaction.atomic
def apply(event_pk: int, the_plan: Plan, schedule, left_out: dict) -> bool:
    """Replace the schedule with the solver's, in one transaction; False (nothing
    written) when what it was computed from changed since."""
    event = Event.objects.select_for_update().get(pk=event_pk)
    if event.plan_version != the_plan.version:
        return False
    used: dict[int, set[int]] = defaultdict(set)
    for i, m in enumerate(the_plan.meetings):
        if m.locked and schedule.slots[i] == m.slot and m.table:
            used[m.slot].add(m.table)
    changed = []
    for i, m in enumerate(the_plan.meetings):
        slot = schedule.slots[i]
        if slot is None:
            table = None
        elif event.fixed_booths:
            table = m.guest.booth
        elif m.locked and slot == m.slot and m.table:
            table = m.table
        else:
            table = min(t for t in range(1, (event.tables or 1) + 1) if t not in used[slot])
            used[slot].add(table)
        if (m.slot, m.table) != (slot, table):
            changed.append(m)
        Meeting.objects.filter(pk=m.pk).update(slot=slot, table=table,
                                               locked=m.locked and slot is not None)  # fmt: skip
    if event.agendas_published_at and changed:
        tell_changed(event, [side for m in changed for side in (m.requester, m.guest)])
    return True


def latest_run(event: Event) -> ScheduleRun | None:
    return event.runs.first()


def counts(event: Event) -> Counter:
    return Counter(event.meetings.values_list("status", flat=True))
