"""Events, participants, meetings, schedules and agendas as the API gives them."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from . import agendas, scheduling, services
from .models import Event, Meeting, Participant, ScheduleRun
from .services import EventIn


class SlotOut(BaseModel):
    slot: int
    session: str
    starts_at: datetime
    ends_at: datetime


class EventOut(EventIn):
    slug: str
    status: Literal[tuple(Event.Status.values)]
    version: int
    url: str
    participants: int
    slots: list[SlotOut]
    agendas_published: bool


def event_output(event: Event, base_url: str = "") -> EventOut:
    sessions = [{"name": s.name, "starts_at": s.starts_at, "ends_at": s.ends_at}
                for s in event.sessions.all()]  # fmt: skip
    return EventOut(
        **{key: getattr(event, key) for key in services.FIELDS}, sessions=sessions,
        slug=event.slug, status=event.status, version=event.version,
        url=base_url + event.get_absolute_url(), participants=event.participants.count(),
        slots=[SlotOut(slot=s.number, session=s.session.name, starts_at=s.starts_at,
                       ends_at=s.ends_at) for s in services.slots(event)],
        agendas_published=event.agendas_published_at is not None,
    )  # fmt: skip


class ParticipantOut(BaseModel):
    id: int
    organisation: str
    name: str
    country: str | None
    attendees: list[str]
    booth: int | None


def participant_output(p: Participant) -> ParticipantOut:
    org = p.organisation
    return ParticipantOut(id=p.pk, organisation=org.slug, name=org.name, country=org.country,
                          attendees=p.attendees, booth=p.booth)  # fmt: skip


class MeetingOut(BaseModel):
    id: int
    requester: int
    guest: int
    status: Literal[tuple(Meeting.Status.values)]
    priority: int
    message: str
    expires_at: datetime
    slot: int | None
    table: int | None
    locked: bool


def meeting_output(m: Meeting) -> MeetingOut:
    return MeetingOut(
        id=m.pk, requester=m.requester_id, guest=m.guest_id, status=m.status,
        priority=m.priority, message=m.message, expires_at=m.expires_at, slot=m.slot,
        table=m.table, locked=m.locked,
    )  # fmt: skip


class AgendaEntryOut(BaseModel):
    slot: int
    starts_at: datetime
    ends_at: datetime
    session: str
    table: int | None
    meeting: int
    with_participant: int
    with_organisation: str
    attendees: list[str]


def agenda_output(participant: Participant) -> list[AgendaEntryOut]:
    return [
        AgendaEntryOut(
            slot=e.slot, starts_at=e.starts_at, ends_at=e.ends_at, session=e.session,
            table=e.table, meeting=e.meeting.pk, with_participant=e.other.pk,
            with_organisation=e.other.organisation.name, attendees=e.other.attendees,
        )
        for e in agendas.entries(participant)
    ]  # fmt: skip


class RunOut(BaseModel):
    id: int
    status: Literal[tuple(ScheduleRun.Status.values)]
    solver_status: str
    best_value: int | None
    lower_bound: int | None
    seconds: float | None
    message: str
    left_out: list[dict]
    created_at: datetime
    finished_at: datetime | None


def run_output(run: ScheduleRun) -> RunOut:
    return RunOut(
        id=run.pk, status=run.status, solver_status=run.solver_status,
        best_value=run.best_value, lower_bound=run.lower_bound, seconds=run.seconds,
        message=run.message, left_out=run.left_out, created_at=run.created_at,
        finished_at=run.finished_at,
    )  # fmt: skip


class ScheduleOut(BaseModel):
    run: RunOut | None
    meetings: list[MeetingOut]
    conflicts: dict[int, list[str]]


def schedule_output(event: Event) -> ScheduleOut:
    meetings = list(scheduling.accepted(event))
    run = scheduling.latest_run(event)
    return ScheduleOut(
        run=run_output(run) if run else None, meetings=[meeting_output(m) for m in meetings],
        conflicts=scheduling.conflicts(event, meetings),
    )  # fmt: skip
