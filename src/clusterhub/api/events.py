"""/api/events: matchmaking events, registering, meeting requests, the schedule and
agendas — the pages' services, as JSON."""

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status

from clusterhub.events import agendas, outputs, scheduling, services
from clusterhub.events.outputs import (
    AgendaEntryOut,
    EventOut,
    MeetingOut,
    ParticipantOut,
    RunOut,
    ScheduleOut,
)
from clusterhub.events.services import AvailabilityIn, EventIn, RegistrationIn, RequestIn

from .clusters import WRITE_ERRORS, Error, IfMatch, TokenAuth
from .lists import etag, version_from

router = Router(tags=["events"])


class EventList(Schema):
    upcoming: list[EventOut]
    past: list[EventOut]


class Decision(Schema):
    accept: bool


class Priority(Schema):
    priority: int


class ScheduleStart(Schema):
    seconds: int = scheduling.DEFAULT_SECONDS


class Move(Schema):
    slot: int
    table: int | None = None


def _viewer(request: HttpRequest):
    return TokenAuth()(request)


@router.get("", response=EventList, summary="Matchmaking events, upcoming and past")
def list_events(request: HttpRequest):
    upcoming, past = services.upcoming_and_past(_viewer(request))
    return EventList(upcoming=[outputs.event_output(e) for e in upcoming],
                     past=[outputs.event_output(e) for e in past])  # fmt: skip


@router.post("", response={201: EventOut, **WRITE_ERRORS}, auth=TokenAuth(),
             summary="Create an event (moderators); it starts as a draft")  # fmt: skip
def create_event(request: HttpRequest, payload: EventIn):
    return Status(201, outputs.event_output(services.create(request.auth, payload)))


@router.get("/{slug}", response={200: EventOut, 404: Error}, summary="One event")
def get_event(request: HttpRequest, slug: str, response: HttpResponse):
    event = services.viewable(_viewer(request), slug)
    etag(response, event.version)
    return outputs.event_output(event)


@router.put("/{slug}", response={200: EventOut, 428: Error, **WRITE_ERRORS}, auth=TokenAuth(),
            summary="Replace an event (its organisers)")  # fmt: skip
def update_event(request: HttpRequest, slug: str, payload: EventIn, if_match: IfMatch = None):
    """`If-Match` is the version the edit started from (428 without it, 409 if stale)."""
    event = services.update(request.auth, slug, payload, version_from(if_match))
    return outputs.event_output(event)


@router.post("/{slug}/publish", response={200: EventOut, **WRITE_ERRORS}, auth=TokenAuth(),
             summary="Publish a draft event: registration opens")  # fmt: skip
def publish_event(request: HttpRequest, slug: str):
    return outputs.event_output(services.change_status(request.auth, slug, "publish"))


@router.get("/{slug}/participants", response={200: list[ParticipantOut], 404: Error},
            summary="The participants of an event")  # fmt: skip
def list_participants(request: HttpRequest, slug: str):
    event = services.viewable(_viewer(request), slug)
    rows = event.participants.select_related("organisation")
    return [outputs.participant_output(p) for p in rows]


@router.post("/{slug}/participants", response={201: ParticipantOut, **WRITE_ERRORS},
             auth=TokenAuth(), summary="Register one of your published profiles")  # fmt: skip
def register(request: HttpRequest, slug: str, payload: RegistrationIn):
    return Status(201, outputs.participant_output(services.register(request.auth, slug, payload)))


@router.put("/{slug}/participants/{pk}/availability",
            response={200: ParticipantOut, **WRITE_ERRORS}, auth=TokenAuth(),
            summary="Who attends, the sessions attended and the slots one cannot meet in")  # fmt: skip
def set_availability(request: HttpRequest, slug: str, pk: int, payload: AvailabilityIn):
    return outputs.participant_output(services.set_availability(request.auth, slug, pk, payload))


@router.get("/{slug}/participants/{pk}/meetings", response={200: list[MeetingOut], 404: Error},
            auth=TokenAuth(), summary="A participant's requests and meetings (its side only)")  # fmt: skip
def participant_meetings(request: HttpRequest, slug: str, pk: int):
    return [outputs.meeting_output(m) for m in services.own_meetings(request.auth, slug, pk)]


@router.post("/{slug}/participants/{pk}/requests", response={201: MeetingOut, **WRITE_ERRORS},
             auth=TokenAuth(), summary="Ask for a meeting, as participant `pk`")  # fmt: skip
def ask(request: HttpRequest, slug: str, pk: int, payload: RequestIn):
    return Status(201, outputs.meeting_output(services.ask(request.auth, slug, pk, payload)))


@router.post("/{slug}/meetings/{pk}/decision", response={200: MeetingOut, **WRITE_ERRORS},
             auth=TokenAuth(), summary="Accept or decline a request (the guest's side)")  # fmt: skip
def decide(request: HttpRequest, slug: str, pk: int, payload: Decision):
    return outputs.meeting_output(services.decide(request.auth, slug, pk, payload.accept))


@router.post("/{slug}/meetings/{pk}/cancel", response={200: MeetingOut, **WRITE_ERRORS},
             auth=TokenAuth(), summary="Call a meeting or request off (either side)")  # fmt: skip
def cancel(request: HttpRequest, slug: str, pk: int):
    return outputs.meeting_output(services.cancel(request.auth, slug, pk))


@router.post("/{slug}/meetings/{pk}/priority", response={200: MeetingOut, **WRITE_ERRORS},
             auth=TokenAuth(), summary="Give a request a priority from 1 to 5")  # fmt: skip
def set_priority(request: HttpRequest, slug: str, pk: int, payload: Priority):
    return outputs.meeting_output(services.set_priority(request.auth, slug, pk, payload.priority))


@router.get("/{slug}/schedule", response={200: ScheduleOut, **WRITE_ERRORS}, auth=TokenAuth(),
            summary="The schedule, its conflicts and the latest solve (organisers)")  # fmt: skip
def get_schedule(request: HttpRequest, slug: str):
    return outputs.schedule_output(services.organised(request.auth, slug))


@router.post("/{slug}/schedule", response={202: RunOut, **WRITE_ERRORS}, auth=TokenAuth(),
             summary="Schedule all: a background solve (poll GET …/schedule)")  # fmt: skip
def start_schedule(request: HttpRequest, slug: str, payload: ScheduleStart):
    run = scheduling.start(request.auth, slug, payload.seconds)
    run.refresh_from_db()
    return Status(202, outputs.run_output(run))


@router.post("/{slug}/schedule/stop", response={200: ScheduleOut, **WRITE_ERRORS},
             auth=TokenAuth(), summary="Stop the solve, keeping the best schedule so far")  # fmt: skip
def stop_schedule(request: HttpRequest, slug: str):
    scheduling.stop(request.auth, slug)
    return outputs.schedule_output(services.organised(request.auth, slug))


@router.post("/{slug}/schedule/meetings/{pk}", response={200: MeetingOut, **WRITE_ERRORS},
             auth=TokenAuth(), summary="Move a meeting to a slot (and table), locking it")  # fmt: skip
def move(request: HttpRequest, slug: str, pk: int, payload: Move):
    return outputs.meeting_output(scheduling.move(request.auth, slug, pk, payload.slot,
                                                  payload.table))  # fmt: skip


@router.post("/{slug}/schedule/publish", response={200: EventOut, **WRITE_ERRORS},
             auth=TokenAuth(), summary="Publish the agendas; participants are mailed")  # fmt: skip
def publish_agendas(request: HttpRequest, slug: str):
    return outputs.event_output(scheduling.publish_agendas(request.auth, slug))


@router.get("/{slug}/participants/{pk}/agenda", response={200: list[AgendaEntryOut], 404: Error},
            auth=TokenAuth(), summary="A participant's agenda, once published")  # fmt: skip
def agenda(request: HttpRequest, slug: str, pk: int):
    return outputs.agenda_output(agendas.agenda_of(request.auth, slug, pk))
