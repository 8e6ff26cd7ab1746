"""In Debian's Chromium: from the home page's map to the directory filtered to a country,
then to the statistics of that selection."""

import re

import pytest

from clusterhub.directory.query import DirectoryFilters
from clusterhub.ingest.demo import demo_documents
from clusterhub.network.resolution import resolve_all
from clusterhub.statistics.services import map_of
from tests.browser import chromium
from tests.documents import save_documents

# A point of the country's shape that no region's circle covers, well inside it (a tap
# is a finger, not a pixel): the browser's own hit-testing over a grid of the shape's
# bounding box, keeping the free point whose neighbours are free too, nearest the middle.
FREE_POINT = """([code]) => {
  const link = document.querySelector(`svg.map a.country[href="/clusters/?country=${code}"]`);
  const box = link.querySelector("path").getBoundingClientRect();
  const free = (x, y) => { const hit = document.elementFromPoint(x, y); return hit && hit.closest("a") === link; };
  const middle = [box.left + box.width / 2, box.top + box.height / 2];
  let best = null, distance = Infinity;
  for (let i = 1; i < 40; i++) for (let j = 1; j < 40; j++) {
    const x = box.left + box.width * i / 40, y = box.top + box.height * j / 40;
    if (![[0, 0], [-2, 0], [2, 0], [0, -2], [0, 2]].every(([dx, dy]) => free(x + dx, y + dy))) continue;
    const d = Math.hypot(x - middle[0], y - middle[1]);
    if (d < distance) { best = [x, y]; distance = d; }
  }
  return best;
}"""

LARGE = ("ES", "FR", "DE", "PL", "IT", "SE", "FI", "RO", "NO", "TR", "UA")  # easy to hit


@pytest.fixture
def browser_page(live_server, transactional_db, monkeypatch):
    save_documents(list(demo_documents(120, seed=3)), resolve=False)
    resolve_all()
    countries = map_of(DirectoryFilters()).countries
    with chromium(monkeypatch) as browser:
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.set_default_timeout(15_000)
        yield page, live_server.url, countries


def test_a_country_on_the_map_opens_the_directory_then_its_statistics(browser_page):
    page, base, countries = browser_page
    page.goto(f"{base}/")
    assert page.locator("svg.map a.country").count() >= 10
    place = next(p for p in countries if p.value in LARGE)
    page.locator(
        f'svg.map a.country[href="/clusters/?country={place.value}"]'
    ).scroll_into_view_if_needed()
    x, y = page.evaluate(FREE_POINT, [place.value])
    page.mouse.move(x, y)
    panel = page.locator(".map-info")
    assert panel.is_visible()
    assert (
        panel.locator(".map-info-heading").inner_text() == f"{place.label}: {place.count} clusters"
    )
    assert panel.locator(".map-info-names li").first.inner_text() == place.names[0]
    page.mouse.click(x, y)
    page.wait_for_url(f"{base}/clusters/?country={place.value}")
    assert re.search(rf"\b{place.count}\b", page.locator(".results").first.inner_text())
    chip = page.locator(".chips").inner_text()
    assert place.label in chip
    page.click("text=Statistics of this selection")
    page.wait_for_url(f"{base}/statistics/?country={place.value}")
    lead = page.locator("p.lead").inner_text()
    assert re.search(rf"\b{place.count} published cluster organisations? in 1 country,", lead), lead
    assert f"Country: {place.label}" in lead
    by_country = page.locator("section#country table tbody tr")
    assert by_country.count() == 1
    assert by_country.inner_text().split("\t") == [place.label, str(place.count)]
    assert page.locator("section#country svg.chart").count() == 1


def test_a_first_tap_shows_the_names_and_a_second_opens_the_directory(
    live_server, transactional_db, monkeypatch
):
    save_documents(list(demo_documents(40, seed=5)), resolve=False)
    place = next(p for p in map_of(DirectoryFilters()).countries if p.value in LARGE)
    with chromium(monkeypatch) as browser:
        context = browser.new_context(
            has_touch=True, is_mobile=True, viewport={"width": 390, "height": 844}
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/map/?view=world")
        link = page.locator(f'svg.map a.country[href="/clusters/?country={place.value}"]')
        link.scroll_into_view_if_needed()
        x, y = page.evaluate(FREE_POINT, [place.value])
        page.touchscreen.tap(x, y)
        panel = page.locator(".map-info")
        panel.wait_for(state="visible")
        assert place.label in panel.locator(".map-info-heading").inner_text()
        assert page.url.endswith("/map/?view=world")  # not followed yet
        page.touchscreen.tap(x, y)
        page.wait_for_url(f"{live_server.url}/clusters/?country={place.value}")
