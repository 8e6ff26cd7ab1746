"""In Debian's Chromium: the editor's long lists have a search box and chips, and leaving
with changes not saved asks first."""

import pytest

from tests.browser import chromium


@pytest.fixture
def editor_page(live_server, transactional_db, monkeypatch, people):
    with chromium(monkeypatch) as browser:
        page = browser.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "owner@example.org")
        page.fill("#id_password", "x-Pass-1234")
        page.click("main button[type=submit]")
        page.wait_for_url(lambda u: "/login/" not in u)
        yield page, f"{live_server.url}/accounts/profiles/{people.slug}"


def test_a_long_list_is_searched_and_chosen_values_untick_as_chips(editor_page):
    page, profile = editor_page
    page.goto(f"{profile}/edit/general/")
    languages = page.locator("fieldset.picker:has(input[name=s-languages])")
    languages.locator(".picker-search").fill("portu")
    visible = languages.locator("input[type=checkbox]:visible")
    assert visible.count() == 1 and visible.get_attribute("value") == "pt"
    visible.check()
    languages.locator(".picker-search").fill("")
    languages.locator("input[value=da]").check()
    chips = languages.locator(".picker-chosen .chip")
    assert sorted(chips.all_inner_texts()) == ["Danish ×", "Portuguese ×"]
    chips.filter(has_text="Danish").click()
    assert not languages.locator("input[value=da]").is_checked()
    assert chips.all_inner_texts() == ["Portuguese ×"]


def test_leaving_with_unsaved_changes_asks_and_saving_does_not(editor_page):
    page, profile = editor_page
    page.goto(f"{profile}/edit/strategy/")
    asked = []
    page.on("dialog", lambda d: (asked.append(d.type), d.accept()))
    page.fill("#id_s-mission", "A new mission.")
    page.click("a:has-text('View the profile')")
    page.wait_for_url(f"{profile.replace('/accounts/profiles', '/clusters')}/")
    assert asked == ["beforeunload"]
    page.goto(f"{profile}/edit/strategy/")
    page.fill("#id_s-mission", "A newer mission.")
    page.click("button[name=save]")
    page.wait_for_selector("text=Cluster Strategy: saved.")
    assert asked == ["beforeunload"]  # a save is no leaving
