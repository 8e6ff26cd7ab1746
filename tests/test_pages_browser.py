"""Every page type in Debian's Chromium at a laptop's width (1366 px) and a phone's (390
px): no sideways scroll, nothing in the console (a CSP refusal included), and axe-core
finds no serious or critical accessibility violation."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browser import chromium

AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"laptop": (1366, 800), "phone": (390, 844)}
PASSWORD = "clusterhub-demo"


def demo_pages() -> dict[str, list[str]]:
    """The demo's pages by who looks at them: one of each type, from the data itself."""
    from clusterhub.calls.models import FundingCall
    from clusterhub.events.models import Event, Participant
    from clusterhub.messaging.models import Conversation
    from clusterhub.news.models import NewsItem
    from clusterhub.opportunities.models import Opportunity
    from clusterhub.profiles.models import ClusterOrganisation

    seed_slug = ClusterOrganisation.objects.get(synthetic=False).slug
    event = Event.objects.order_by("-starts_on").first()  # upcoming, not yet scheduled
    past = Event.objects.order_by("starts_on").first()  # its agendas published
    participant, attended = (
        Participant.objects.filter(
            event=e, organisation__ownerships__user__email="owner@demo.invalid"
        )
        .order_by("pk")
        .first()
        for e in (event, past)
    )
    seed = f"/clusters/{seed_slug}"
    return {
        "anonymous": [
            "/",
            "/clusters/",
            "/clusters/?q=audiovisual&sort=name",
            "/clusters/?q=zzzzqqq",
            f"{seed}/",
            f"{seed}/partners/",
            "/network/",
            "/map/",
            "/statistics/",
            "/opportunities/",
            Opportunity.objects.order_by("pk").first().get_absolute_url(),
            "/calls/",
            FundingCall.objects.order_by("pk").first().get_absolute_url(),
            "/news/",
            NewsItem.objects.order_by("pk").first().get_absolute_url(),
            "/events/",
            event.get_absolute_url(),
            f"{event.get_absolute_url()}participants/",
            "/accounts/login/",
            "/accounts/signup/",
            "/no-such-page/",
            "/es/clusters/",  # a longer language in the same layout
            f"/es{seed}/",
            "/es/map/",
            f"/gl{seed}/partners/",
            "/fr/statistics/",
            "/de/events/",
            "/it/opportunities/",
            "/pt/news/",
            "/pl/",
        ],
        "owner@demo.invalid": [
            "/accounts/",
            f"/accounts/profiles/{seed_slug}/edit/",
            f"/accounts/profiles/{seed_slug}/revisions/",
            "/accounts/messages/",
            f"/accounts/messages/{Conversation.objects.order_by('pk').first().pk}/",
            f"{event.get_absolute_url()}participants/{participant.pk}/",
            f"{past.get_absolute_url()}participants/{attended.pk}/agenda/",
            "/accounts/alerts/",
            "/clusters/shortlist/",
        ],
        "moderator@demo.invalid": [
            "/accounts/moderation/",
            f"/accounts/profiles/{seed_slug}/review/",
            f"{event.get_absolute_url()}schedule/",
            "/events/new/",
            "/calls/new/",
        ],
    }


@pytest.fixture
def site(live_server, transactional_db):
    call_command("load_vocab", verbosity=0)  # a flushed test database has no vocabularies
    call_command("demo", profiles=40, seed=1, verbosity=0)
    return live_server.url, demo_pages()


def problems_of(page, url: str, axe: str) -> list[str]:
    """What is wrong with the page at `url`: sideways scroll, console errors, and
    axe-core's serious and critical violations."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    expected = 404 if url.endswith("/no-such-page/") else 200
    found = [f"console: {e}" for e in errors if expected != 404 or "404" not in e]
    if response.status != expected:
        found.append(f"status {response.status}")
    width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    if width[0] > width[1]:
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                .slice(-3).map(e => e.tagName + '.' + e.className).join(', ')"""
        )
        found.append(f"scrolls sideways: {width[0]} px in {width[1]} ({wide})")
    page.evaluate(axe)  # evaluated by the browser's devtools, so the page's CSP allows it
    report = page.evaluate(
        "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 2).map(n => n.target.join(' '))})))"
    )
    found += [f"axe {v['impact']} {v['id']}: {json.dumps(v['nodes'])}" for v in report]
    return found


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_type_fits_is_clean_and_accessible(site, width, monkeypatch):
    base, pages = site
    axe = AXE.read_text(encoding="utf-8")
    width_px, height_px = WIDTHS[width]
    found = {}
    with chromium(monkeypatch) as browser:
        for who, urls in pages.items():
            context = browser.new_context(viewport={"width": width_px, "height": height_px})
            page = context.new_page()
            page.set_default_timeout(20_000)
            if who != "anonymous":
                page.goto(f"{base}/accounts/login/")
                page.fill("#id_username", who)
                page.fill("#id_password", PASSWORD)
                page.click("main button[type=submit]")
                page.wait_for_url(lambda u: "/login/" not in u)
            for url in urls:
                tab = context.new_page()
                tab.set_default_timeout(20_000)
                if problems := problems_of(tab, base + url, axe):
                    found[f"{who} {url}"] = problems
                tab.close()
            context.close()
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)
