"""Issue 13's journey in Debian's Chromium: a user finds a cluster and contacts it, the
owner replies from the inbox; the owner posts an opportunity, a moderator publishes it,
another user expresses interest; a user saves a search and the alert task mails them a
new matching profile (read from Django's mail outbox)."""

import pytest
from django.core import mail
from django.core.management import call_command

from clusterhub.alerts.services import send_immediate
from clusterhub.messaging.models import Conversation
from clusterhub.profiles.schema import ProfileDoc
from tests.browser import chromium
from tests.documents import save_document

PASSWORD = "x-Pass-1234"  # the people's (tests/accounts/conftest.py)


@pytest.fixture
def journey(live_server, transactional_db, monkeypatch):
    call_command("load_vocab", verbosity=0)  # a flushed test database has no vocabularies
    yield live_server.url


def sign_in(browser, base: str, email: str):
    page = browser.new_context().new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_selector("text=Signed in as")
    return page


def test_contact_reply_opportunity_interest_and_an_alert(journey, published, monkeypatch):
    base = journey
    with chromium(monkeypatch) as browser:
        member = sign_in(browser, base, "stranger@example.org")
        member.goto(f"{base}/clusters/?q=nordic")
        member.click("text=Nordic Wind Cluster")
        member.click(".actions >> text=Contact")
        member.fill("#id_sender_name", "Sofia Marques")
        member.fill("#id_sender_organisation", "Porto Ocean Cluster")
        member.fill("#id_subject", "Floating wind together?")
        member.fill("#id_body", "We would like to meet your members in Esbjerg.")
        member.click("button:has-text('Send the message')")
        member.wait_for_selector("text=We would like to meet your members in Esbjerg.")
        assert "ida@wind.example" not in member.content()  # the team's address stays hidden

        owner = sign_in(browser, base, "owner@example.org")
        owner.click("a:has-text('Messages') .badge:has-text('1')")
        owner.click("text=Floating wind together?")
        owner.fill("#id_body", "Gladly: come on the 12th.")
        owner.click("button:has-text('Send the reply')")
        owner.wait_for_selector("text=Gladly: come on the 12th.")
        told = [m for m in mail.outbox if "stranger@example.org" in m.to]
        assert told and "Gladly: come on the 12th." in told[-1].body
        assert "owner@example.org" not in told[-1].body + "".join(told[-1].reply_to)

        owner.goto(f"{base}/clusters/{published.slug}/")
        owner.click("text=Post an opportunity")
        owner.select_option("#id_kind", "offer")
        owner.fill("#id_title", "Test bench for mooring lines")
        owner.fill("#id_summary", "Our members offer a 20-tonne mooring test bench.")
        owner.select_option("#id_target_countries", ["PT", "ES"])
        owner.click("button:has-text('Save as draft')")
        owner.wait_for_selector("text=Saved as a draft")
        owner.click("button:has-text('Submit for review')")
        owner.wait_for_selector("text=Now: Submitted for review.")

        moderator = sign_in(browser, base, "moderator@example.org")
        moderator.goto(f"{base}/opportunities/review/")
        moderator.click("text=Test bench for mooring lines")
        moderator.click("button:has-text('Publish')")
        moderator.wait_for_selector("text=Now: Published.")

        member.goto(f"{base}/opportunities/?q=mooring")
        member.click("text=Test bench for mooring lines")
        member.click("text=Express interest")
        member.fill("#id_sender_name", "Sofia Marques")
        member.fill("#id_body", "We need exactly this for our pilot.")
        member.click("button:has-text('Send')")
        member.wait_for_selector("text=Your interest was sent to its owners.")

        member.goto(f"{base}/clusters/?country=PT")
        member.click("text=Save this search")
        member.fill("#id_name", "Portuguese clusters")
        member.check("input[name=frequency][value=immediate]")
        member.click("button:has-text('Save')")
        member.wait_for_selector("text=Search saved")

    topics = set(Conversation.objects.values_list("topic", flat=True))
    assert topics == {"", "Test bench for mooring lines"}
    newcomer = ProfileDoc.model_validate(
        {"name": "Algarve Sea Cluster", "country": "PT", "mission": "Blue economy in the Algarve."}
    )
    save_document(newcomer)
    mail.outbox.clear()
    assert send_immediate() == 1
    (alert,) = mail.outbox
    assert alert.to == ["stranger@example.org"] and "Algarve Sea Cluster" in alert.body
    assert "/alerts/unsubscribe/" in alert.body
