"""The whole journey in a real browser (Debian's Chromium driven by Playwright): sign up,
confirm the email, register a profile, submit it, a moderator publishes it, and it
appears in the directory and on its page."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.core.management import call_command

from clusterhub.accounts.apps import MODERATORS
from tests.browser import chromium

PASSWORD = "Aurora-borealis-5521"


@pytest.fixture
def browser(live_server, transactional_db, monkeypatch):
    call_command("load_vocab", verbosity=0)  # a flushed test database has no vocabularies
    with chromium(monkeypatch) as browser:
        yield browser, live_server.url


@pytest.fixture
def moderator(transactional_db):
    # Made before Playwright starts: ORM calls from inside its event loop would open a
    # connection of their own, which nothing closes.
    user = User.objects.create_user("mod@clusterhub.example", "mod@clusterhub.example", PASSWORD)
    user.groups.add(Group.objects.get(name=MODERATORS))
    return user


def new_page(chromium):
    page = chromium.new_context().new_page()
    page.set_default_timeout(15_000)
    return page


def test_sign_up_register_submit_publish_and_find_it(moderator, browser):
    chromium, base = browser
    manager = new_page(chromium)

    # Sign up, then confirm the email with the link that was sent.
    manager.goto(f"{base}/accounts/signup/")
    manager.fill("#id_email", "ingrid@aurora.example")
    manager.fill("#id_password1", PASSWORD)
    manager.fill("#id_password2", PASSWORD)
    manager.click("text=Create the account")
    manager.wait_for_selector("text=Confirm your email")
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group()
    manager.goto(link)
    manager.wait_for_selector("text=Signed in as")

    # Register the cluster organisation and fill two sections.
    manager.click("main >> text=Register a cluster organisation")
    manager.fill("#id_name", "Aurora Maritime Cluster")
    manager.select_option("#id_country", "NO")
    manager.click("text=Create the draft")
    manager.wait_for_url(re.compile(r"/edit/general/$"))
    manager.fill("#id_s-website", "https://aurora.example")
    manager.fill("#id_s-regions", "Troms og Finnmark")
    manager.fill("#id_management_team-0-first_name", "Ingrid")
    manager.fill("#id_management_team-0-position", "Cluster manager")
    manager.click("button.add-record[data-prefix=management_team]")  # a second person
    manager.fill("#id_management_team-1-first_name", "Nils")
    manager.fill("#id_management_team-1-position", "Innovation adviser")
    manager.click("text=Save and continue to Sectoral and Industrial Focus")
    manager.wait_for_url(re.compile(r"/edit/focus/$"))
    # A long list: the search box narrows it, a tick shows as a chip.
    manager.fill(".picker-search", "water transp")
    manager.check("input[name=s-sectoral_industries][value='Water Transportation']")
    assert manager.locator(".picker-chosen .chip").all_inner_texts() == ["Water Transportation ×"]
    manager.click("button[name=save]")
    manager.wait_for_selector("text=Sectoral and Industrial Focus: saved.")

    # Submitting waits for what the ECCP criteria ask: members, of two kinds.
    assert manager.locator(".submit-box button").count() == 0
    assert "At least 15 members" in manager.locator(".submit-box").inner_text()
    manager.click(".submit-box >> text=At least 15 members")
    manager.wait_for_url(re.compile(r"/edit/composition/$"))
    manager.fill("#id_s-members__total", "42")
    manager.fill("#id_s-members__sme", "30")
    manager.fill("#id_s-members__research_organisations", "4")
    manager.click("button[name=save]")
    manager.wait_for_selector("text=Composition of the cluster: saved.")

    # Not public yet.
    visitor = new_page(chromium)
    visitor.goto(f"{base}/clusters/?q=aurora")
    assert visitor.locator(".result-count").inner_text().startswith("0 ")

    manager.click(".submit-box button:has-text('Submit for review')")
    manager.wait_for_selector("text=Submitted for review")

    # A moderator signs in, reviews and publishes.
    mod = new_page(chromium)
    mod.goto(f"{base}/accounts/login/")
    mod.fill("#id_username", "mod@clusterhub.example")
    mod.fill("#id_password", PASSWORD)
    mod.click("button:has-text('Sign in')")
    mod.click("text=Profiles waiting for review")
    mod.click("text=Aurora Maritime Cluster")
    mod.wait_for_selector("text=At least 15 members")
    mod.check("text=I have checked this profile against the criteria")
    mod.click("button:has-text('Publish')")
    mod.wait_for_selector("text=Done: published.")

    # Now anyone finds it in the directory and reads its page.
    visitor.goto(f"{base}/clusters/?q=aurora")
    assert visitor.locator(".result-count").inner_text().startswith("1 ")
    visitor.click("text=Aurora Maritime Cluster")
    visitor.wait_for_selector("h1:has-text('Aurora Maritime Cluster')")
    body = visitor.locator("main").inner_text()
    assert "Water Transportation" in body and "Troms og Finnmark" in body
    assert "Cluster manager" in body and "Innovation adviser" in body
    assert "Not public" not in body
