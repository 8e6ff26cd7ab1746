"""In a real browser (Debian's Chromium driven by Playwright): type, tick two facets, page, go back."""

import re

import pytest

from clusterhub.ingest.demo import demo_documents
from tests.browser import chromium
from tests.documents import save_documents


@pytest.fixture
def browser_page(live_server, transactional_db, monkeypatch):
    save_documents(list(demo_documents(120, seed=3)))
    with chromium(monkeypatch) as browser:
        page = browser.new_page()
        page.set_default_timeout(15_000)
        yield page, live_server.url


def count_text(page) -> str:
    return page.locator(".result-count").inner_text()


def test_type_tick_page_and_go_back(browser_page):
    page, base = browser_page
    page.goto(f"{base}/clusters/")
    assert count_text(page).startswith("121 organisations")

    # Type: results follow as you type, without a page load, and the URL keeps up.
    page.fill("#q", "alliance")
    page.wait_for_url(re.compile(r"q=alliance"))
    page.wait_for_function("document.querySelector('.result-count').innerText.includes('matching')")
    typed = count_text(page)
    assert "matching “alliance”" in typed and int(typed.split()[0]) < 121

    # Tick two facets: the first two countries listed.
    boxes = page.locator("#facet-country input[type=checkbox]")
    first, second = boxes.nth(0).get_attribute("value"), boxes.nth(1).get_attribute("value")
    boxes.nth(0).check()
    page.wait_for_url(re.compile(rf"country={first}"))
    page.locator(f"#facet-country input[value={second}]").check()
    page.wait_for_url(re.compile(rf"country={first}.*country={second}"))
    page.wait_for_selector(f"#facet-country input[value={second}]:checked")
    ticked = count_text(page)
    total = int(ticked.split()[0])
    assert page.locator(".chip").count() == 3  # two countries and "clear all"

    # Page: a smaller page size so that there are pages to turn.
    page.goto(f"{page.url}&page_size=2")
    assert "page 1 of" in count_text(page)
    first_page = page.locator(".result-list h3").all_inner_texts()
    page.click("a[rel=next]")
    page.wait_for_url(re.compile(r"page=2"))
    page.wait_for_function(
        "document.querySelector('.result-count').innerText.includes('page 2 of')"
    )
    assert page.locator(".result-list h3").all_inner_texts() != first_page
    assert total > 2

    # Back: the first page again, with the query and both facets still ticked.
    page.go_back()
    page.wait_for_function(
        "document.querySelector('.result-count').innerText.includes('page 1 of')"
    )
    assert page.locator(".result-list h3").all_inner_texts() == first_page
    assert page.input_value("#q") == "alliance"
    assert page.locator(f"#facet-country input[value={first}]").is_checked()
    assert page.locator(f"#facet-country input[value={second}]").is_checked()
