"""Agendas: each participant's meetings in time order, as a page, a printable sheet,
an iCalendar file and feed, and all of them at once for the organiser (a zip of the
printable sheets and calendars, with the table plan per slot as CSV).

Participants see their agenda once the organiser published them; the organisers see
every agenda at any time. The calendar feed is a signed address that works without
signing in (calendar programs cannot), so it is given only to those who see it.
"""

import io
import zipfile
from dataclasses import dataclass
from datetime import datetime

from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from clusterhub.accounts.languages import in_language_of
from clusterhub.core import records
from clusterhub.core.errors import NotFound
from clusterhub.core.mail import absolute

from . import services
from .models import Event, Meeting, Participant
from .scheduling import accepted

SALT = "clusterhub.events.agenda"


@dataclass
class Entry:
    slot: int
    starts_at: datetime
    ends_at: datetime
    session: str
    table: int | None
    other: Participant
    meeting: Meeting


def entries(participant: Participant, all_slots=None) -> list[Entry]:
    """The participant's scheduled meetings in time order."""
    event = participant.event
    by_number = {s.number: s for s in all_slots or services.slots(event)}
    found = []
    for m in services.meetings_of(participant).filter(status=Meeting.Status.ACCEPTED):
        slot = by_number.get(m.slot)
        if slot is not None:
            found.append(Entry(slot.number, slot.starts_at, slot.ends_at, slot.session.name,
                               m.table, m.other(participant), m))  # fmt: skip
    return sorted(found, key=lambda e: e.slot)


def visible(user, participant: Participant) -> bool:
    event = participant.event
    if services.may_organise(user, event):
        return True
    return bool(event.agendas_published_at) and services.speaks_for(user, participant)


def agenda_of(user, slug: str, pk: int) -> Participant:
    """The participant whose agenda `user` may see, or NotFound."""
    participant = services.participant_of(user, slug, pk)
    if not visible(user, participant):
        raise NotFound(_("no agenda %(pk)s") % {"pk": pk})
    return participant


def feed_token(participant: Participant) -> str:
    return signing.dumps({"p": participant.pk}, salt=SALT)


def feed_url(participant: Participant) -> str:
    return absolute(reverse("events:agenda_feed", args=[participant.event.slug,
                                                       feed_token(participant)]))  # fmt: skip


def by_token(slug: str, token: str) -> Participant:
    try:
        pk = signing.loads(token, salt=SALT)["p"]
    except (signing.BadSignature, KeyError, TypeError):
        raise NotFound(_("no such calendar")) from None
    participant = Participant.objects.select_related("event", "organisation").filter(pk=pk)
    participant = participant.filter(event__slug=slug).first()
    if participant is None or not participant.event.agendas_published_at:
        raise NotFound(_("no such calendar"))
    return participant


def calendar(participant: Participant) -> bytes:
    event = participant.event
    cal = Calendar()
    cal.add("prodid", "-//Clusterhub//Matchmaking agenda//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{event.title}: {participant.organisation.name}")
    stamp = timezone.now()
    for e in entries(participant):
        item = CalendarEvent()
        item.add("uid", f"event-{event.pk}-meeting-{e.meeting.pk}@clusterhub")
        item.add("dtstamp", stamp)
        item.add("dtstart", e.starts_at)
        item.add("dtend", e.ends_at)
        item.add("summary", _("Meeting with %(name)s") % {"name": e.other.organisation.name})
        where = [event.place] if event.place else []
        if e.table:
            where.append((_("booth %(n)d") if event.fixed_booths else _("table %(n)d"))
                         % {"n": e.table})  # fmt: skip
        item.add("location", ", ".join(where) or _("Online"))
        item.add("description", ", ".join(e.other.attendees))
        item.add("url", absolute(e.other.get_absolute_url()))
        item.add("sequence", int(e.meeting.updated_at.timestamp()) % 2_000_000_000)
        cal.add_component(item)
    return cal.to_ical()


def sheet(participant: Participant, all_slots=None) -> str:
    """The printable agenda of one participant (one A4 page)."""
    return render_to_string("events/_agenda_sheet.html", {
        "participant": participant, "event": participant.event,
        "entries": entries(participant, all_slots)})  # fmt: skip


def table_plan(event: Event) -> list[dict]:
    """Per slot and table, who meets whom: what the organiser prints for the room."""
    by_number = {s.number: s for s in services.slots(event)}
    rows = []
    for m in accepted(event).exclude(slot=None).order_by("slot", "table"):
        slot = by_number.get(m.slot)
        if slot is None:
            continue
        rows.append({
            "slot": m.slot, "session": slot.session.name,
            "starts_at": timezone.localtime(slot.starts_at).strftime("%Y-%m-%d %H:%M"),
            "table": m.table, "requester": m.requester.organisation.name,
            "guest": m.guest.organisation.name,
        })  # fmt: skip
    return rows


PLAN_COLUMNS = ("slot", "session", "starts_at", "table", "requester", "guest")


def table_plan_csv(event: Event, out) -> int:
    return records.write(table_plan(event), "csv", out, PLAN_COLUMNS)


def everything(user, slug: str) -> tuple[Event, bytes]:
    """The organiser's zip: every participant's printable agenda (one HTML page each,
    and all in one to print at once) and calendar, each in the language of who registered
    the participant, and the table plan as CSV."""
    event = services.organised(user, slug)
    all_slots = services.slots(event)
    buffer = io.BytesIO()
    participants = list(event.participants.select_related("organisation", "registered_by"))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        sheets = []
        for p in participants:
            name = f"{p.pk}-{slugify(p.organisation.name)[:60]}"
            with in_language_of(p.registered_by, get_language()):  # each in its reader's
                page = sheet(p, all_slots)
                sheets.append(page)
                archive.writestr(f"agendas/{name}.html", _document(event, [page]))
                archive.writestr(f"calendars/{name}.ics", calendar(p))
        archive.writestr("all-agendas.html", _document(event, sheets))
        text = io.StringIO()
        table_plan_csv(event, text)
        archive.writestr("table-plan.csv", text.getvalue())
    return event, buffer.getvalue()


def _document(event: Event, sheets: list[str]) -> str:
    return render_to_string("events/agendas_print.html", {"event": event, "sheets": sheets})
