"""Call deadlines as iCalendar (the icalendar package): one all-day event per closing date."""

from datetime import timedelta

from django.utils import timezone
from icalendar import Calendar, Event

from clusterhub.core.mail import absolute


def deadlines(calls, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Clusterhub//Funding call deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for call in calls:
        if call.closes_on is None:
            continue
        event = Event()
        event.add("uid", f"call-{call.pk}-deadline@clusterhub")
        event.add("dtstamp", stamp)
        event.add("dtstart", call.closes_on)
        event.add("dtend", call.closes_on + timedelta(days=1))
        event.add("summary", f"{call.title} ({call.programme})")
        event.add("description", f"{call.identifier}\n{call.summary[:500]}")
        event.add("url", absolute(call.get_absolute_url()))
        event.add("sequence", call.version)
        calendar.add_component(event)
    return calendar.to_ical()
