"""Issue 14's journey in Debian's Chromium: a moderator creates and publishes an event,
two clusters register, one asks the other for a meeting and it is accepted, the
organiser schedules all and publishes the agendas, and each participant sees its agenda
and downloads its iCalendar file."""

import pytest
from django.core.management import call_command

from tests.browser import chromium
from tests.events.conftest import day
from tests.opportunities.test_activity_browser import sign_in


@pytest.fixture
def journey(live_server, transactional_db, clusters):
    call_command("load_vocab", verbosity=0)  # a flushed test database has no vocabularies
    yield live_server.url


def test_an_event_from_creation_to_the_agendas(journey, monkeypatch, tmp_path):

    base = journey
    the_day = day(10)
    with chromium(monkeypatch) as browser:
        organiser = sign_in(browser, base, "moderator@example.org")
        organiser.goto(f"{base}/events/")
        organiser.click("text=New event")
        organiser.fill("#id_title", "Ocean Energy B2B")
        organiser.fill("#id_place", "Porto")
        organiser.fill("#id_starts_on", f"{the_day:%Y-%m-%d}")
        organiser.fill("#id_ends_on", f"{the_day:%Y-%m-%d}")
        organiser.fill("#id_sessions", f"{the_day:%Y-%m-%d} 09:00-10:00 Morning")
        organiser.fill("#id_meeting_minutes", "15")
        organiser.fill("#id_tables", "3")
        organiser.fill("#id_registration_closes", f"{day(5):%Y-%m-%dT%H:%M}")
        organiser.fill("#id_requests_close", f"{day(8):%Y-%m-%dT%H:%M}")
        organiser.click("button:has-text('Save')")
        organiser.wait_for_selector("text=Saved as a draft")
        organiser.click("button:has-text('Publish the event')")
        organiser.wait_for_selector("text=Now: Published")
        event_url = organiser.url

        owners = {}
        for email, name in (("owner@example.org", "Nordic Wind Cluster"),
                            ("porto@example.org", "Porto Ocean Cluster")):  # fmt: skip
            page = sign_in(browser, base, email)
            page.goto(event_url)
            page.click("text=Register your cluster")
            page.click("button:has-text('Register')")
            page.wait_for_selector("text=Registered.")
            owners[name] = page

        nordic = owners["Nordic Wind Cluster"]
        nordic.goto(event_url)
        nordic.click("text=2 participants")
        nordic.click("h3 >> text=Porto Ocean Cluster")
        nordic.fill("#id_message", "Floating wind ports?")
        nordic.select_option("#id_priority", "5")
        nordic.click("button:has-text('Ask for a meeting')")
        nordic.wait_for_selector("text=Request sent.")

        porto = owners["Porto Ocean Cluster"]
        porto.goto(event_url)
        porto.click("#mine-heading + ul >> text=Porto Ocean Cluster")
        porto.wait_for_selector("text=Floating wind ports?")
        porto.click("button:has-text('Accept')")
        porto.wait_for_selector("text=Now: Accepted")

        organiser.goto(event_url)
        organiser.click(".owner-tools >> text=Schedule")
        organiser.fill("#seconds", "5")
        organiser.click("button:has-text('Schedule all')")
        organiser.wait_for_selector(
            ".schedule-grid >> text=Nordic Wind Cluster – Porto Ocean Cluster"
        )
        assert "optimal" in organiser.content()
        organiser.click("button:has-text('Publish the agendas')")
        organiser.wait_for_selector("text=Agendas published")

        for name, page in owners.items():
            other = (
                "Porto Ocean Cluster" if name == "Nordic Wind Cluster" else "Nordic Wind Cluster"
            )
            page.goto(event_url)
            page.click("#mine-heading + ul >> text=Agenda")
            page.wait_for_selector(f".agenda >> text={other}")
            with page.expect_download() as download:
                page.click("text=Download the calendar (.ics)")
            saved = tmp_path / f"{name}.ics"
            download.value.save_as(saved)
            text = saved.read_text()
            assert "BEGIN:VEVENT" in text and f"Meeting with {other}" in text
