"""In Debian's Chromium: the network lights a cluster's partners; the partner finder asks
what you look for."""

import re

import pytest

from clusterhub.ingest.demo import demo_documents
from clusterhub.network.resolution import resolve_all
from tests.browser import chromium
from tests.documents import save_documents


@pytest.fixture
def browser_page(live_server, transactional_db, monkeypatch):
    save_documents(list(demo_documents(120, seed=3)), resolve=False)
    resolve_all()
    with chromium(monkeypatch) as browser:
        page = browser.new_page()
        page.set_default_timeout(15_000)
        yield page, live_server.url


def test_hovering_a_cluster_lights_its_partners_and_a_click_opens_it(browser_page):
    page, base = browser_page
    page.goto(f"{base}/network/")
    node = page.locator("svg[data-graph] g.node").first
    slug = node.get_attribute("data-slug")
    partners = node.get_attribute("data-neighbours").split()
    assert partners
    node.locator("circle").hover()  # the dot: a named node's box holds its label too
    assert "dim-others" in page.locator("svg[data-graph]").get_attribute("class")
    lit = page.locator("svg[data-graph] g.node.lit")
    assert sorted(lit.evaluate_all("els => els.map(e => e.dataset.slug)")) == sorted(
        [slug, *partners]
    )
    page.mouse.move(0, 0)
    assert page.locator("svg[data-graph] g.node.lit").count() == 0
    node.locator("a").click()
    page.wait_for_url(f"{base}/clusters/{slug}/")
    assert page.locator("figure.neighbourhood svg g.node").count() == 1 + len(partners)


def test_the_partner_finder_follows_what_you_look_for(browser_page):
    page, base = browser_page
    page.goto(f"{base}/clusters/cluster-do-audiovisual-galego/partners/")
    assert page.locator("ol.partner-cards > li").count() == 10
    page.select_option("#intent", "same_sector_abroad")
    page.click("text=Find partners")
    page.wait_for_url(re.compile(r"intent=same_sector_abroad"))
    reasons = page.locator("ol.partner-cards .reasons").all_inner_texts()
    assert reasons and all("Both in" in r for r in reasons), reasons
