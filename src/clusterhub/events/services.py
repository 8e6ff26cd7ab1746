"""Matchmaking events: creating them, registering, availability and meeting requests.

Moderators create events and make users organisers of one. Anyone sees a published
event and its participants; a draft one exists only for its organisers and the
moderators (404 for everyone else). A participant's requests, messages and agenda are
for its organisation's owners and the organisers. Every step of a request mails the
other side. The schedule is in `scheduling.py`, the agendas in `agendas.py`.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Annotated, Literal

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from clusterhub.accounts.languages import send_to_each
from clusterhub.accounts.models import Ownership
from clusterhub.accounts.ownership import owner_emails
from clusterhub.accounts.permissions import (
    editable,
    find_user,
    is_moderator,
    is_owner,
    moderator,
    signed_in,
)
from clusterhub.core.errors import Conflict, Forbidden, Invalid, NotFound
from clusterhub.core.mail import absolute
from clusterhub.core.text import no_control_characters

from .models import Event, Meeting, Organiser, Participant, ScheduleRun, Session

Status = Meeting.Status

Line = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(no_control_characters),
]  # fmt: skip
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]


class SessionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    starts_at: datetime
    ends_at: datetime


class EventIn(BaseModel):
    """What an organiser writes; the form and the API validate through it."""

    model_config = ConfigDict(extra="forbid")

    title: Line
    description: Text = ""
    place: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] = ""
    online: bool = False
    starts_on: date
    ends_on: date
    sessions: Annotated[list[SessionIn], Field(min_length=1, max_length=20)]
    meeting_minutes: Annotated[int, Field(ge=5, le=240)] = 20
    pause_minutes: Annotated[int, Field(ge=0, le=120)] = 5
    tables: Annotated[int, Field(ge=1, le=1000)] | None = None
    registration_closes: datetime
    requests_close: datetime
    acceptance: Literal[tuple(Event.Acceptance.values)] = Event.Acceptance.OPT_IN
    request_days: Annotated[int, Field(ge=1, le=90)] = 7
    max_meetings: Annotated[int, Field(ge=1, le=100)] = 12
    fairness: Annotated[int, Field(ge=0, le=50)] = 2


def _aware(moment: datetime) -> datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _checked(data: EventIn) -> list[SessionIn]:
    """The sessions in order, after the rules that tie the fields together."""
    if not data.online and not data.place:
        raise Invalid(_("say where it takes place, or that it is online"), "place")
    if data.ends_on < data.starts_on:
        raise Invalid(_("it ends before it starts"), "ends_on")
    sessions = sorted(
        (s.model_copy(update={"starts_at": _aware(s.starts_at), "ends_at": _aware(s.ends_at)})
         for s in data.sessions), key=lambda s: s.starts_at,
    )  # fmt: skip
    for i, s in enumerate(sessions):
        where = f"sessions[{i}]"
        if timezone.localdate(s.starts_at) < data.starts_on or (
            timezone.localdate(s.ends_at) > data.ends_on
        ):
            raise Invalid(_("%(name)s is outside the event's dates") % {"name": s.name}, where)
        if not Session(starts_at=s.starts_at, ends_at=s.ends_at).slot_starts(
            data.meeting_minutes, data.pause_minutes
        ):
            raise Invalid(_("%(name)s is too short for one meeting") % {"name": s.name}, where)
        if i and s.starts_at < sessions[i - 1].ends_at:
            raise Invalid(_("%(name)s overlaps the session before") % {"name": s.name}, where)
    first = sessions[0].starts_at
    if _aware(data.requests_close) > first:
        raise Invalid(_("requests must close before the first session"), "requests_close")
    if _aware(data.registration_closes) > _aware(data.requests_close):
        raise Invalid(_("registration must close before requests do"), "registration_closes")
    return sessions


FIELDS = (
    "title", "description", "place", "online", "starts_on", "ends_on", "meeting_minutes",
    "pause_minutes", "tables", "registration_closes", "requests_close", "acceptance",
    "request_days", "max_meetings", "fairness",
)  # fmt: skip


def _apply(event: Event, data: EventIn) -> None:
    """Fields and sessions; sessions keep their place (and who attends them) by order.
    When the slots change, the schedule no longer fits them and is cleared."""
    sessions = _checked(data)
    before = [s.starts_at for s in slots(event)] if event.pk else []
    for key in FIELDS:
        setattr(event, key, getattr(data, key))
    event.save()
    existing = list(event.sessions.all())
    for i, s in enumerate(sessions):
        row = existing[i] if i < len(existing) else Session(event=event)
        row.name, row.starts_at, row.ends_at = s.name, s.starts_at, s.ends_at
        row.save()
    Session.objects.filter(pk__in=[s.pk for s in existing[len(sessions) :]]).delete()
    if before and before != [s.starts_at for s in slots(event)]:
        event.meetings.update(slot=None, table=None, locked=False)
        for participant in event.participants.all():
            participant.unavailable = []
            participant.save(update_fields=["unavailable"])
    if event.fixed_booths:
        _number_booths(event)


def _number_booths(event: Event) -> None:
    for number, participant in enumerate(event.participants.order_by("pk"), start=1):
        if participant.booth != number:
            participant.booth = number
            participant.save(update_fields=["booth"])


def _unique_slug(title: str) -> str:
    base = slugify(title)[:100] or "event"
    slug, n = base, 1
    while slug == "new" or Event.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


# --- who may see and do what ------------------------------------------------


def may_organise(user, event: Event) -> bool:
    return is_moderator(user) or (
        bool(user and user.is_authenticated)
        and Organiser.objects.filter(event=event, user=user).exists()
    )


def may_view(user, event: Event) -> bool:
    return event.is_public or may_organise(user, event)


def viewable(user, slug: str, lock: bool = False) -> Event:
    rows = Event.objects.all()
    if lock:
        rows = rows.select_for_update()
    event = rows.filter(slug=slug).first()
    if event is None or not may_view(user, event):
        raise NotFound(_("no event %(slug)r") % {"slug": slug}, "slug")
    return event


def organised(user, slug: str, lock: bool = False) -> Event:
    """The event `user` organises: NotFound for those who may not see it, Forbidden for
    those who may see it and not organise it."""
    signed_in(user)
    event = viewable(user, slug, lock)
    if not may_organise(user, event):
        raise Forbidden(_("only its organisers may do this"))
    return event


def upcoming_and_past(user) -> tuple[list[Event], list[Event]]:
    today = timezone.localdate()
    shown = ~Q(status=Event.Status.DRAFT)
    if is_moderator(user):
        shown = Q()
    elif user and user.is_authenticated:
        shown |= Q(organisers__user=user)
    rows = Event.objects.filter(shown).distinct()
    return (
        list(rows.filter(ends_on__gte=today).order_by("starts_on", "pk")),
        list(rows.filter(ends_on__lt=today).order_by("-starts_on", "-pk")),
    )


# --- events -------------------------------------------------------------------


@transaction.atomic
def create(user, data: EventIn) -> Event:
    """A draft event; the moderator who creates it is its organiser."""
    moderator(user, _("create events"))
    event = Event(slug=_unique_slug(data.title), created_by=user)
    _apply(event, data)
    Organiser.objects.create(event=event, user=user)
    return event


@transaction.atomic
def update(user, slug: str, data: EventIn, version: int | None = None) -> Event:
    event = organised(user, slug, lock=True)
    if version is not None and version != event.version:
        raise Conflict(
            _("it changed since (version %(version)d); reload it") % {"version": event.version},
            "version",
        )
    event.version += 1
    _apply(event, data)
    plan_changed(event)
    return event


EVENT_ACTIONS = {"publish": ("draft",), "cancel": ("draft", "published")}


@transaction.atomic
def change_status(user, slug: str, action: str) -> Event:
    event = organised(user, slug, lock=True)
    if action not in EVENT_ACTIONS:
        raise NotFound(_("no action %(action)r") % {"action": action})
    if event.status not in EVENT_ACTIONS[action]:
        raise Conflict(_("a %(status)s event cannot be %(action)sed") % {
            "status": event.get_status_display().lower(), "action": action}, "status")  # fmt: skip
    event.status = Event.Status.PUBLISHED if action == "publish" else Event.Status.CANCELLED
    event.version += 1
    event.save()
    if action == "cancel":
        for participant in event.participants.select_related("organisation"):
            tell(participant, gettext_noop("The event %(title)s is cancelled."), title=event.title)
    return event


@transaction.atomic
def add_organiser(user, slug: str, email: str) -> Organiser:
    """A moderator makes the user with this email an organiser of the event."""
    moderator(user, _("choose organisers"))
    event = viewable(user, slug)
    person = find_user(email)
    if person is None:
        raise Invalid(_("no active account has the email %(email)s") % {"email": email}, "email")
    organiser, _created = Organiser.objects.get_or_create(event=event, user=person)
    return organiser


@transaction.atomic
def remove_organiser(user, slug: str, user_id: int) -> None:
    moderator(user, _("choose organisers"))
    Organiser.objects.filter(event=viewable(user, slug), user_id=user_id).delete()


def organisers(event: Event) -> list:
    return [o.user for o in event.organisers.select_related("user").order_by("user__email")]


# --- slots ----------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    number: int  # from 1, across the event's sessions in order
    session: Session
    starts_at: datetime
    ends_at: datetime


def slots(event: Event) -> list[Slot]:
    found = []
    length = timedelta(minutes=event.meeting_minutes)
    for session in event.sessions.all():
        for start in session.slot_starts(event.meeting_minutes, event.pause_minutes):
            found.append(Slot(len(found) + 1, session, start, start + length))
    return found


def free_slots(participant: Participant, all_slots: list[Slot]) -> list[int]:
    """The slots the participant can meet in: the sessions they attend, less those
    they said they cannot."""
    attended = {s.pk for s in participant.sessions.all()}
    banned = set(participant.unavailable)
    return [s.number for s in all_slots if s.session.pk in attended and s.number not in banned]


# --- participants ---------------------------------------------------------------


def team_names(org) -> list[str]:
    """Who may attend: the management team, as "name, position"."""
    people = []
    for person in org.management_team.all():
        name = str(person)
        if name:
            people.append(f"{name}, {person.position}" if person.position else name)
    return people


class RegistrationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    organisation: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    attendees: Annotated[list[str], Field(min_length=1, max_length=10)]
    sessions: Annotated[list[int], Field(min_length=1)]
    unavailable: list[int] = []


def registrable(user, event: Event) -> list:
    """The published profiles `user` may register (theirs, not yet registered)."""
    if not (user and user.is_authenticated):
        return []
    taken = event.participants.values("organisation_id")
    owned = Ownership.objects.filter(user=user).values("organisation_id")
    from clusterhub.profiles.models import ClusterOrganisation

    return list(
        ClusterOrganisation.objects.filter(pk__in=owned, status="published")
        .exclude(pk__in=taken)
        .order_by("name")
    )


def _availability(participant: Participant, event: Event, data) -> None:
    sessions = list(event.sessions.filter(pk__in=data.sessions))
    if len(sessions) != len(set(data.sessions)):
        raise Invalid(_("a session chosen is not one of the event's"), "sessions")
    numbers = {s.number for s in slots(event)}
    unknown = sorted(set(data.unavailable) - numbers)
    if unknown:
        raise Invalid(_("no slot %(slot)s in this event") % {"slot": unknown[0]}, "unavailable")
    team = team_names(participant.organisation)
    for name in data.attendees:
        if name not in team:
            raise Invalid(
                _("%(name)s is not in the organisation's management team") % {"name": name},
                "attendees",
            )
    participant.attendees = list(dict.fromkeys(data.attendees))
    participant.unavailable = sorted(set(data.unavailable))
    participant.save()
    participant.sessions.set(sessions)


@transaction.atomic
def register(user, slug: str, data: RegistrationIn) -> Participant:
    """The user's published profile takes part: who attends, the sessions attended
    and the slots they cannot meet in."""
    signed_in(user)
    event = viewable(user, slug, lock=True)
    org = editable(user, data.organisation, _("register it"))
    if event.status != Event.Status.PUBLISHED:
        raise Invalid(_("the event does not take registrations"), "status")
    if timezone.now() > event.registration_closes:
        raise Invalid(_("registration closed on %(date)s") % {
            "date": date_format(timezone.localtime(event.registration_closes), "SHORT_DATETIME_FORMAT")},
            "registration_closes")  # fmt: skip
    if not org.is_public:
        raise Invalid(_("only published profiles can take part"), "organisation")
    try:
        with transaction.atomic():
            participant = Participant.objects.create(event=event, organisation=org,
                                                     registered_by=user)  # fmt: skip
    except IntegrityError:
        raise Conflict(_("%(name)s is already registered") % {"name": org.name},
                       "organisation") from None  # fmt: skip
    _availability(participant, event, data)
    if event.fixed_booths:
        participant.booth = (
            max(event.participants.exclude(booth=None).values_list("booth", flat=True), default=0)
            + 1
        )
        participant.save(update_fields=["booth"])
    plan_changed(event)
    return participant


def participant_of(user, slug: str, pk: int, lock: bool = False) -> Participant:
    event = viewable(user, slug)
    rows = Participant.objects.select_related("organisation", "event")
    if lock:
        rows = rows.select_for_update(of=("self",))
    participant = rows.filter(event=event, pk=pk).first()
    if participant is None:
        raise NotFound(_("no participant %(pk)s") % {"pk": pk})
    return participant


def speaks_for(user, participant: Participant) -> bool:
    """Its organisation's owners and the event's organisers act for a participant."""
    return is_owner(user, participant.organisation) or may_organise(user, participant.event)


def _acting(user, participant: Participant, doing: str) -> None:
    signed_in(user)
    if not speaks_for(user, participant):
        raise Forbidden(_("only its owners and the organisers may %(doing)s") % {"doing": doing})


class AvailabilityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    attendees: Annotated[list[str], Field(min_length=1, max_length=10)]
    sessions: Annotated[list[int], Field(min_length=1)]
    unavailable: list[int] = []


@transaction.atomic
def set_availability(user, slug: str, pk: int, data: AvailabilityIn) -> Participant:
    participant = participant_of(user, slug, pk, lock=True)
    _acting(user, participant, _("change its availability"))
    _availability(participant, participant.event, data)
    plan_changed(participant.event)
    return participant


@transaction.atomic
def withdraw(user, slug: str, pk: int) -> None:
    """The participant leaves: its open meetings are cancelled and the other sides told."""
    participant = participant_of(user, slug, pk, lock=True)
    _acting(user, participant, _("withdraw it"))
    for meeting in meetings_of(participant).filter(status__in=Meeting.OPEN):
        _close(meeting, Status.CANCELLED)
        other = meeting.other(participant)
        tell(other, gettext_noop("%(name)s withdrew from the event; your meeting is cancelled."),
             name=participant.organisation.name)  # fmt: skip
    event = participant.event
    participant.delete()
    plan_changed(event)


def plan_changed(event: Event) -> None:
    """What the schedule depends on changed: a schedule being computed is stale."""
    Event.objects.filter(pk=event.pk).update(plan_version=F("plan_version") + 1)
    event.refresh_from_db(fields=["plan_version"])


# --- meeting requests -----------------------------------------------------------


class RequestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    guest: int
    message: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] = ""
    priority: Annotated[int, Field(ge=1, le=5)] = 3


def _open_count(participant: Participant) -> int:
    return meetings_of(participant).filter(status__in=Meeting.OPEN).count()


def _room_for_one(participant: Participant, field: str) -> None:
    most = participant.event.max_meetings
    if _open_count(participant) >= most:
        raise Invalid(_("%(name)s has %(most)d meetings requested or accepted, the most allowed")
                      % {"name": participant.organisation.name, "most": most}, field)  # fmt: skip


@transaction.atomic
def ask(user, slug: str, requester_pk: int, data: RequestIn) -> Meeting:
    """A meeting request from `requester_pk` to the guest; accepted at once in an
    opt-out event. Both participants' rows are locked (in id order) so the limit of
    meetings holds under parallel requests."""
    event = viewable(user, slug, lock=True)
    requester = participant_of(user, slug, requester_pk)
    _acting(user, requester, _("ask for its meetings"))
    if data.guest == requester.pk:
        raise Invalid(_("a participant does not meet itself"), "guest")
    if event.status != Event.Status.PUBLISHED:
        raise Invalid(_("the event does not take requests"), "status")
    if timezone.now() > event.requests_close:
        raise Invalid(_("requests closed"), "requests_close")
    guest = Participant.objects.filter(event=event, pk=data.guest).select_related("organisation")
    guest = guest.first()
    if guest is None:
        raise Invalid(_("no participant %(pk)s in this event") % {"pk": data.guest}, "guest")
    _room_for_one(requester, "guest")
    _room_for_one(guest, "guest")
    now = timezone.now()
    opt_out = event.acceptance == Event.Acceptance.OPT_OUT
    low, high = sorted((requester.pk, guest.pk))
    try:
        with transaction.atomic():
            meeting = Meeting.objects.create(
                event=event, requester=requester, guest=guest, pair=f"{low}:{high}",
                message=data.message, priority=data.priority,
                status=Status.ACCEPTED if opt_out else Status.PENDING,
                decided_at=now if opt_out else None,
                expires_at=min(now + timedelta(days=event.request_days), event.requests_close),
            )  # fmt: skip
    except IntegrityError:
        raise Conflict(_("%(name)s and you already have a request open")
                       % {"name": guest.organisation.name}, "guest") from None  # fmt: skip
    if opt_out:
        plan_changed(event)
        what = gettext_noop("%(name)s will meet you: the meeting is accepted.")
    else:
        what = gettext_noop("%(name)s asks to meet you. Accept or decline it on your event page.")
    tell(guest, what, meeting.message, name=requester.organisation.name)
    return meeting


def _meeting(user, slug: str, pk: int) -> Meeting:
    event = viewable(user, slug, lock=True)
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("requester__organisation", "guest__organisation", "event")
        .filter(event=event, pk=pk)
        .first()
    )
    if meeting is None or not (
        speaks_for(user, meeting.requester) or speaks_for(user, meeting.guest)
    ):
        raise NotFound(_("no meeting %(pk)s") % {"pk": pk})
    return meeting


def _close(meeting: Meeting, status: str) -> None:
    was_placed = meeting.slot is not None
    meeting.status = status
    meeting.decided_at = meeting.decided_at or timezone.now()
    meeting.slot = meeting.table = None
    meeting.locked = False
    meeting.save()
    if was_placed and meeting.event.agendas_published_at:
        from .scheduling import tell_changed

        tell_changed(meeting.event, [meeting.requester, meeting.guest])


@transaction.atomic
def decide(user, slug: str, pk: int, accept: bool) -> Meeting:
    """The guest accepts or declines a pending request; the requester is told."""
    meeting = _meeting(user, slug, pk)
    if not speaks_for(user, meeting.guest):
        raise Forbidden(_("only the guest's side answers a request"))
    if meeting.status != Status.PENDING:
        raise Conflict(_("it is %(status)s already") % {
            "status": meeting.get_status_display().lower()}, "status")  # fmt: skip
    if meeting.expires_at < timezone.now():
        raise Conflict(_("it expired"), "status")
    meeting.status = Status.ACCEPTED if accept else Status.DECLINED
    meeting.decided_at = timezone.now()
    meeting.save()
    if accept:
        plan_changed(meeting.event)
    what = gettext_noop("%(name)s accepted your meeting request.") if accept else gettext_noop(
        "%(name)s declined your meeting request.")  # fmt: skip
    tell(meeting.requester, what, name=meeting.guest.organisation.name)
    return meeting


@transaction.atomic
def cancel(user, slug: str, pk: int) -> Meeting:
    """Either side (or an organiser) calls a pending or accepted meeting off."""
    meeting = _meeting(user, slug, pk)
    if meeting.status not in Meeting.OPEN:
        raise Conflict(_("it is %(status)s already") % {
            "status": meeting.get_status_display().lower()}, "status")  # fmt: skip
    _close(meeting, Status.CANCELLED)
    plan_changed(meeting.event)
    for side in (meeting.requester, meeting.guest):
        if not is_owner(user, side.organisation):
            tell(side, gettext_noop("The meeting of %(a)s and %(b)s is cancelled."),
                 a=meeting.requester.organisation.name, b=meeting.guest.organisation.name)  # fmt: skip
    return meeting


@transaction.atomic
def set_priority(user, slug: str, pk: int, priority: int) -> Meeting:
    meeting = _meeting(user, slug, pk)
    if not speaks_for(user, meeting.requester):
        raise Forbidden(_("only the side that asked gives it a priority"))
    if not 1 <= priority <= 5:
        raise Invalid(_("a priority is from 1 to 5"), "priority")
    meeting.priority = priority
    meeting.save(update_fields=["priority", "updated_at"])
    return meeting


def expire_due(now: datetime | None = None) -> int:
    """The periodic job: pending requests past their time expire; the requester is told."""
    now = now or timezone.now()
    expired = 0
    with transaction.atomic():
        due = Meeting.objects.select_for_update(of=("self",)).filter(
            status=Status.PENDING, expires_at__lt=now
        )
        for meeting in due.select_related("requester__organisation", "guest__organisation"):
            meeting.status = Status.EXPIRED
            meeting.save(update_fields=["status", "updated_at"])
            tell(meeting.requester, gettext_noop("Your request to meet %(name)s expired unanswered."),
                 name=meeting.guest.organisation.name)  # fmt: skip
            expired += 1
    return expired


def meetings_of(participant: Participant):
    return (
        Meeting.objects.filter(requester=participant) | Meeting.objects.filter(guest=participant)
    ).select_related("requester__organisation", "guest__organisation")


def own_meetings(user, slug: str, pk: int):
    """A participant's requests and meetings, for its side and the organisers only."""
    participant = participant_of(user, slug, pk)
    if not speaks_for(user, participant):
        raise NotFound(_("no participant %(pk)s") % {"pk": pk})
    return meetings_of(participant).order_by("pk")


def by_organisation(event: Event) -> dict[str, Participant]:
    """The event's participants by their organisation's slug (the directory's key)."""
    return {p.organisation.slug: p for p in event.participants.select_related("organisation")}


def participant_ids(event: Event) -> list[int]:
    return list(event.participants.values_list("organisation_id", flat=True))


def of_user(user, event: Event) -> list[Participant]:
    """The participants `user` speaks for as an owner."""
    if not (user and user.is_authenticated):
        return []
    owned = Ownership.objects.filter(user=user).values("organisation_id")
    return list(event.participants.filter(organisation_id__in=owned).select_related("organisation"))


def tell(participant: Participant, message: str, quoted: str = "", **names) -> None:
    """Tell a participant's owners, each in their language, `message` (marked with
    gettext_noop) filled in with `names`; the link is their event page."""
    event = participant.event
    link = absolute(participant.get_absolute_url())

    def write():
        what = _(message) % names if names else _(message)
        body = render_to_string("events/changed_email.txt", {
            "event": event, "what": what, "quoted": quoted, "link": link})  # fmt: skip
        return _("%(event)s: %(what)s") % {"event": event.title, "what": what[:80]}, body

    send_to_each(owner_emails(participant.organisation_id), write)


def running(event: Event) -> ScheduleRun | None:
    return event.runs.filter(status__in=ScheduleRun.ACTIVE).first()
