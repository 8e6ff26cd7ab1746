"""In Debian's Chromium: the language menu turns the directory, a profile, the partner
finder, an event and the editor into each interface language, and no English interface
text is left — no text or shown attribute that is an English string of the catalogues
(a template's or the code's), a vocabulary term, a field's or a facet's name or an
English country name, where the language says it otherwise. The profiles' own words
(names, descriptions) are what their authors wrote, and are left as they are."""

import json
import re

import pytest
from babel import Locale
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command

from clusterhub.core.places import country_name
from clusterhub.vocab.translations import catalogue
from tests.browser import chromium

LOCALE_DIR = settings.LOCALE_PATHS[0]
PASSWORD = "clusterhub-demo"
# Placeholders split a message into the fixed parts a page shows around the values.
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
# Shorter fixed parts, or single words ("by", "organisation"), are found in any text.
SHORTEST_PART = 12

# Every visible text node and shown attribute of the page, with the language it is in
# (the nearest lang attribute: the menu names each language in itself).
VISIBLE_TEXTS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = el => el && el.getClientRects().length > 0
    && getComputedStyle(el).visibility !== 'hidden';
  const langOf = el => (el.closest('[lang]') || document.documentElement).lang;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement, text = node.textContent.replace(/\\s+/g, ' ').trim();
    if (text && seen(el) && !el.closest('script, style, code, [hidden]'))
      out.push([langOf(el), text]);
  }
  for (const el of document.querySelectorAll('[placeholder], [aria-label], [title], img[alt]'))
    for (const name of ['placeholder', 'aria-label', 'title', 'alt'])
      if (el.getAttribute(name)) out.push([langOf(el), el.getAttribute(name).trim()]);
  return out;
}"""


def english_of(language: str) -> tuple[set[str], list[str]]:
    """What would be English left on a page in `language`: whole strings (the catalogue's
    messages, vocabulary terms, field names, country names that the language writes
    otherwise) and long fixed parts of messages with placeholders."""
    with open(LOCALE_DIR / language / "LC_MESSAGES" / "django.po", "rb") as po:
        messages = [m for m in read_po(po) if m.id and m.string]
    whole, parts = set(), []
    for m in messages:
        source = m.id if isinstance(m.id, str) else m.id[0]
        translated = m.string if isinstance(m.string, str) else m.string[0]
        if source == translated:
            continue
        fixed = [p.strip() for p in PLACEHOLDER.split(source)]
        if len(fixed) == 1:
            whole.add(source)
        else:
            parts += [
                re.compile(r"(?<!\w)" + re.escape(p) + r"(?!\w)")
                for p in fixed
                if len(p) >= SHORTEST_PART and " " in p and p not in translated
            ]
    terms = catalogue(language)
    whole |= {label for (_, label), string in terms.items() if string != label}
    for code, local in Locale.parse(language).territories.items():
        english_name = country_name(code) if len(code) == 2 and code.isalpha() else code
        if english_name not in (code, local):
            whole.add(english_name)
    return whole, parts


def english_left(texts: list[list[str]], language: str, english) -> list[str]:
    whole, parts = english
    found = []
    for lang, text in texts:
        if lang.split("-")[0] != language:
            continue  # marked as another language: a language's own name in the menu
        if text in whole or any(part.search(text) for part in parts):
            found.append(text)
    return sorted(set(found))


@pytest.fixture
def site(live_server, transactional_db):
    call_command("load_vocab", verbosity=0)  # a flushed test database has no vocabularies
    call_command("demo", profiles=40, seed=1, verbosity=0)
    from clusterhub.events.models import Event
    from clusterhub.profiles.models import ClusterOrganisation

    seed = ClusterOrganisation.objects.get(synthetic=False).slug
    event = Event.objects.order_by("-starts_on").first()
    pages = {
        "directory": "/clusters/?q=audiovisual",
        "profile": f"/clusters/{seed}/",
        "partner finder": f"/clusters/{seed}/partners/",
        "event": event.get_absolute_url(),
        "editor": f"/accounts/profiles/{seed}/edit/",
    }
    return live_server.url, pages


def test_the_language_menu_leaves_no_english_interface_text(site, monkeypatch):
    base, pages = site
    languages = [code for code, _ in settings.LANGUAGES if code != "en"]
    english = {language: english_of(language) for language in languages}
    found, checked = {}, 0
    with chromium(monkeypatch) as browser:
        context = browser.new_context(viewport={"width": 1366, "height": 800})
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", "owner@demo.invalid")
        page.fill("#id_password", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(lambda u: "/login/" not in u)
        for name, url in pages.items():
            for language in languages:
                page.goto(base + url)  # in English: the menu is what changes it
                page.click("details.language-menu > summary")
                page.click(f"details.language-menu a[hreflang={language}]")
                page.wait_for_url(re.compile(f"/{language}/"))
                page.wait_for_load_state("networkidle")
                assert page.evaluate("document.documentElement.lang") == language
                texts = page.evaluate(VISIBLE_TEXTS)
                checked += len(texts)
                if left := english_left(texts, language, english[language]):
                    found[f"{name} in {language} ({page.url})"] = left
        context.close()
    assert checked > 5 * len(languages) * 50  # the pages had their text
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)
