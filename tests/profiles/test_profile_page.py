"""/clusters/<slug>/ shows every value of the document, in the ECCP section order."""

import html
import re
from datetime import date

import pytest

from clusterhub.core import places
from clusterhub.ingest.demo import synthetic_profiles
from clusterhub.profiles.fields import walk
from clusterhub.profiles.page import LISTED
from tests.documents import as_sent, save_document

pytestmark = pytest.mark.django_db

SECTIONS = [
    "General Information",
    "Sectoral and Industrial Focus",
    "Composition of the cluster",
    "Cluster Strategy",
    "Services",
    "Cooperation Activities",
    "Support Programmes",
    "Promotion",
]


def text_of(response) -> str:
    """The page's visible text, tags removed and entities decoded, whitespace folded."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def shown_values(doc) -> list[str]:
    """Every value of the document as a reader should find it on the page."""
    data = doc.model_dump(mode="json")
    values = []

    def walk(key, value):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(k, v)
        elif key == "country_inferred_from":
            if value:
                values.append(f"inferred from the {' and '.join(value)}")
        elif isinstance(value, list):
            for v in value:
                walk(key, v)
        elif value is None or isinstance(value, bool) or key in ("slug", "synthetic"):
            return
        elif key in ("country", "target_countries"):
            values.append(places.country_name(value))
        elif key == "languages":
            values.append(places.language_name(value))
        elif key == "established":
            day = date.fromisoformat(value)
            values.append(f"{day:%A}, {day.day} {day:%B}, {day.year}")
        elif key == "level":
            values.append(value.capitalize())
        else:
            values.extend(p for p in re.split(r"\n+", str(value)) if p)

    walk("", data)
    return [" ".join(v.removeprefix("• ").split()) for v in values]


def test_every_value_of_the_seed_is_on_its_page(member_client, seed_org, seed_doc):
    response = member_client.get("/clusters/cluster-do-audiovisual-galego/")
    assert response.status_code == 200
    text = text_of(response)
    missing = [v for v in shown_values(seed_doc) if v not in text]
    assert missing == []
    assert "Monday, 17 February, 2003" in text


def test_every_value_of_an_html_import_is_on_its_page(member_client, page):
    from clusterhub.ingest.eccp import parse_file

    doc = parse_file(page("cap-digital.html"))
    save_document(doc)
    text = text_of(member_client.get(f"/clusters/{doc.slug}/"))
    assert [v for v in shown_values(doc) if v not in text] == []


def test_anonymous_visitors_see_names_and_positions_not_contacts(client, seed_org, seed_doc):
    text = text_of(client.get("/clusters/cluster-do-audiovisual-galego/"))
    for member in seed_doc.management_team:
        assert member.first_name in text and member.position in text
        assert member.email not in text and member.telephone not in text
    assert "shown to signed-in users" in text
    document = client.get("/clusters/cluster-do-audiovisual-galego.json").json()
    assert all(m["email"] is None and m["telephone"] is None for m in document["management_team"])


def test_sections_in_eccp_order(client, seed_org):
    body = client.get("/clusters/cluster-do-audiovisual-galego/").content.decode()
    headings = re.findall(r"<h2 id=\"s-[a-z]+\">([^<]+)</h2>", body)
    assert headings == SECTIONS


def test_page_is_accessible_html(client, seed_org):
    body = client.get("/clusters/cluster-do-audiovisual-galego/").content.decode()
    assert '<html lang="en">' in body
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in body
    assert body.count("<h1") == 1
    assert 'href="#main"' in body  # skip link
    assert '<th scope="col">Surname</th>' in body
    # A language's name is written in the page's language, so it carries no lang of its own.
    assert "<li>Spanish</li>" in body
    spanish = client.get("/es/clusters/cluster-do-audiovisual-galego/").content.decode()
    assert '<html lang="es">' in spanish and "<li>español</li>" in spanish


def test_free_text_is_escaped(client, seed_doc):
    doc = seed_doc.model_copy(update={"why_partner": "<script>alert(1)</script> & friends"})
    save_document(doc)
    body = client.get(f"/clusters/{doc.slug}/").content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; friends" in body


def test_print_version_has_no_navigation(member_client, seed_org, seed_doc):
    response = member_client.get("/clusters/cluster-do-audiovisual-galego/print/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'aria-label="Main"' not in body and "<footer" not in body
    assert 'href="/static/clusterhub/print.css"' in body
    text = text_of(response)
    assert [v for v in shown_values(seed_doc) if v not in text] == []


def test_json_is_the_canonical_document(member_client, seed_org, seed_doc):
    response = member_client.get("/clusters/cluster-do-audiovisual-galego.json")
    assert response["Content-Type"] == "application/json"
    assert as_sent(response.json()) == as_sent(seed_doc)
    assert "Rocío" in response.content.decode()  # UTF-8, not \\u escapes


def test_unknown_slug_is_404(client, db):
    assert client.get("/clusters/no-such-cluster/").status_code == 404
    assert client.get("/clusters/no-such-cluster.json").status_code == 404


def test_synthetic_profiles_are_labelled(client):
    (doc,) = synthetic_profiles(1, seed=5)
    save_document(doc)
    text = text_of(client.get(f"/clusters/{doc.slug}/"))
    assert "Synthetic profile." in text and "does not exist" in text


def test_page_query_count_does_not_grow_with_lists(client, seed_org, seed_doc):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        client.get("/clusters/cluster-do-audiovisual-galego/")  # indexes built, sessions made
        with CaptureQueriesContext(connection) as captured:
            client.get("/clusters/cluster-do-audiovisual-galego/")
        return len(captured)

    before = queries()
    longer = {
        key: getattr(seed_doc, key) * 3
        for key in ("collaborating_clusters", "programmes", "services", "management_team")
    }
    save_document(seed_doc.model_copy(update=longer))
    assert queries() == before <= 24  # 22 + the news and events panels


def test_every_field_of_a_group_is_shown_in_a_definition_list():
    # The page template draws a group's values (members, a scope of cooperation) as a
    # definition list, and nothing else: a field declared otherwise would not show.
    assert all(c.kind in LISTED for f in walk() if f.kind == "group" for c in f.children)
