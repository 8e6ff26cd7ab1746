"""In Debian's Chromium: the network (Cytoscape.js on the network page, the SVG on a
profile) lights a cluster's partners, zooms, and opens a profile; the partner finder asks
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


NODE_AT = """slug => {
    document.querySelector('.network-canvas').scrollIntoView();  // wholly on the screen
    const cy = document.querySelector('.network-canvas').cy;
    const node = cy.getElementById(slug);
    const box = cy.container().getBoundingClientRect();
    const at = node.renderedPosition();
    return {x: box.x + at.x, y: box.y + at.y,
            partners: node.neighborhood('node').map(n => n.id())};
}"""
LIT = "() => document.querySelector('.network-canvas').cy.nodes('.lit').map(n => n.id())"


def busiest(page) -> str:
    """The slug of the drawn cluster with most partners (its dot is the largest)."""
    return page.evaluate(
        "() => document.querySelector('.network-canvas').cy.nodes().max(n => n.degree()).ele.id()"
    )


def test_the_network_zooms_lights_a_clusters_partners_and_opens_it(browser_page):
    page, base = browser_page
    page.goto(f"{base}/network/")
    assert page.locator(".network-canvas").is_visible()
    assert not page.locator("svg[data-graph]").is_visible()  # the no-JavaScript drawing
    slug = busiest(page)
    node = page.evaluate(NODE_AT, slug)
    assert node["partners"]
    page.mouse.move(node["x"], node["y"], steps=4)
    assert sorted(page.evaluate(LIT)) == sorted([slug, *node["partners"]])
    # The SVG's tooltip, under the canvas: collaborations, and "synthetic" for demo data.
    caption = page.locator(".graph-caption").inner_text()
    assert f"{len(node['partners'])} collaborations" in caption
    assert "synthetic demo profile" in caption
    page.mouse.move(1, 1, steps=4)
    assert page.evaluate(LIT) == []
    zoom = "() => document.querySelector('.network-canvas').cy.zoom()"
    before = page.evaluate(zoom)
    page.click("[data-zoom=in]")
    assert page.evaluate(zoom) == pytest.approx(before * 1.5)
    page.click("[data-zoom=fit]")
    assert page.evaluate(zoom) == pytest.approx(before)
    node = page.evaluate(NODE_AT, slug)
    page.mouse.click(node["x"], node["y"])
    page.wait_for_url(f"{base}/clusters/{slug}/")

    # The profile's neighbourhood stays an SVG: hover lights, the links open profiles.
    svg_node = page.locator(f"figure.neighbourhood svg g.node[data-slug='{slug}']")
    assert page.locator("figure.neighbourhood svg g.node").count() == 1 + len(node["partners"])
    svg_node.locator("circle").hover()
    lit = page.locator("figure.neighbourhood svg g.node.lit")
    assert lit.count() == 1 + len(node["partners"])


def test_on_a_touch_screen_the_first_tap_lights_and_the_second_opens(browser_page):
    page, base = browser_page
    touch = page.context.browser.new_page(has_touch=True, viewport={"width": 390, "height": 844})
    touch.goto(f"{base}/network/")
    slug = busiest(touch)
    # Close up on it, as a finger would: on a phone's width the drawn dots overlap.
    touch.evaluate(
        "slug => { const cy = document.querySelector('.network-canvas').cy;"
        " cy.zoom({level: 4, position: cy.getElementById(slug).position()}); }",
        slug,
    )
    node = touch.evaluate(NODE_AT, slug)
    touch.touchscreen.tap(node["x"], node["y"])
    assert sorted(touch.evaluate(LIT)) == sorted([slug, *node["partners"]])
    assert touch.url == f"{base}/network/"
    touch.touchscreen.tap(node["x"], node["y"])
    touch.wait_for_url(f"{base}/clusters/{slug}/")


def test_the_partner_finder_follows_what_you_look_for(browser_page):
    page, base = browser_page
    page.goto(f"{base}/clusters/cluster-do-audiovisual-galego/partners/")
    assert page.locator("ol.partner-cards > li").count() == 10
    page.select_option("#intent", "same_sector_abroad")
    page.click("text=Find partners")
    page.wait_for_url(re.compile(r"intent=same_sector_abroad"))
    reasons = page.locator("ol.partner-cards .reasons").all_inner_texts()
    assert reasons and all("Both in" in r for r in reasons), reasons
