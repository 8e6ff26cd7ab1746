"""The reader's language: the address names it (/es/…), an address without one sends a
reader to the language chosen with the menu or asked for by the browser, and the menu
remembers the choice; the API stays one address."""

import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture
def spanish(db):
    assert "es" in dict(settings.LANGUAGES)


def test_the_browser_language_leads_to_the_same_page_in_it(client, spanish):
    response = client.get("/clusters/", {"q": "textil"}, HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9")
    assert response.status_code == 302 and response.url == "/es/clusters/?q=textil"
    assert {"Accept-Language", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}
    page = client.get(response.url)
    body = page.content.decode()
    assert '<html lang="es">' in body and "Organizaciones clúster" in body
    assert page["Content-Language"] == "es"
    assert 'hreflang="en" href="http://testserver/clusters/?q=textil"' in body
    assert 'hreflang="es" href="http://testserver/es/clusters/?q=textil"' in body


def test_english_pages_keep_their_addresses(client, spanish):
    page = client.get("/clusters/")
    assert page.status_code == 200 and '<html lang="en">' in page.content.decode()
    # A chosen language outweighs the browser's.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.get("/clusters/", HTTP_ACCEPT_LANGUAGE="es").status_code == 200


def test_the_menu_remembers_the_choice_and_shows_the_same_page(client, spanish):
    menu = client.get("/clusters/").content.decode()
    assert 'href="/language/?language=es&amp;next=/clusters/"' in menu
    response = client.get("/language/", {"language": "es", "next": "/clusters/?q=wind"})
    assert response.status_code == 302 and response.url == "/es/clusters/?q=wind"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    # Back to English from a Spanish page.
    response = client.get("/language/", {"language": "en", "next": "/es/clusters/?q=wind"})
    assert response.url == "/clusters/?q=wind"
    assert client.get("/clusters/").status_code == 200  # the cookie says English now


def test_the_menu_refuses_other_sites_and_unknown_languages(client, spanish):
    away = client.get("/language/", {"language": "es", "next": "https://elsewhere.example/"})
    assert away.url == "/es/"
    unknown = client.get("/language/", {"language": "xx", "next": "/clusters/"})
    assert unknown.url == "/clusters/" and settings.LANGUAGE_COOKIE_NAME not in unknown.cookies


def test_the_api_and_forms_are_not_redirected(client, spanish):
    assert client.get("/api/clusters", HTTP_ACCEPT_LANGUAGE="es").status_code == 200
    posted = client.post("/accounts/login/", {"username": "x", "password": "y"},
                         HTTP_ACCEPT_LANGUAGE="es")  # fmt: skip
    assert posted.status_code == 200  # answered where it was sent


def test_dates_and_numbers_are_written_as_the_readers_language_writes_them():
    import datetime

    from clusterhub.profiles.templatetags.profile_tags import clock, day, moment, number

    when = datetime.datetime(2026, 12, 6, 14, 5, tzinfo=datetime.UTC)
    expected = {
        "en": ("6 December 2026", "6 Dec 2026, 14:05", "12,345"),
        "es": ("6 de diciembre de 2026", "6 dic 2026, 14:05", "12.345"),
        "de": ("6. Dezember 2026", "06.12.2026, 14:05", "12.345"),
        "fr": ("6 décembre 2026", "6 déc. 2026, 14:05", "12\u202f345"),
        "pl": ("6 grudnia 2026", "6 gru 2026, 14:05", "12\xa0345"),
    }
    for language, (long_day, short_moment, count) in expected.items():
        with translation.override(language):
            assert (day(when.date()), moment(when), number(12345)) == (
                long_day,
                short_moment,
                count,
            ), language
            assert clock(when) == "14:05"
    assert day(None) == moment(None) == ""
