"""The field `industrial_ecosystems`, declared once (schema.py), is everywhere a field
is: read from pages, stored, shown, edited, searched, counted as a facet, exported."""

import csv
import io
import json

import pytest

from clusterhub.accounts import editor
from clusterhub.directory.query import DirectoryFilters, DirectoryQuery
from clusterhub.directory.services import search
from clusterhub.ingest.demo import SEED_PAGE, synthetic_profiles
from clusterhub.ingest.eccp import parse_page
from clusterhub.ingest.services import export
from clusterhub.profiles.document import to_document
from clusterhub.profiles.fields import label_of_path
from clusterhub.profiles.models import ProfileTerm
from clusterhub.vocab.services import vocabularies
from tests.documents import save_document

pytestmark = pytest.mark.django_db

ECOSYSTEMS = ["Cultural and creative industries (CCI)", "Digital"]


@pytest.fixture
def org(db):
    text = SEED_PAGE.read_text(encoding="utf-8").replace(
        "Emerging industries:",
        "Industrial ecosystems:\n" + "\n".join(ECOSYSTEMS) + "\nEmerging industries:",
    )
    doc = parse_page(text.encode())
    assert doc.industrial_ecosystems == ECOSYSTEMS  # read from the page by its label
    return save_document(doc)


def test_stored_as_classifications_of_its_vocabulary(org):
    terms = ProfileTerm.objects.filter(organisation=org, term__vocabulary="industrial_ecosystems")
    assert [t.term.label for t in terms.order_by("order")] == ECOSYSTEMS
    assert all(t.term.reviewed for t in terms)
    assert to_document(org).industrial_ecosystems == ECOSYSTEMS


def test_shown_on_the_profile_page_in_its_section(client, org):
    page = client.get(f"/clusters/{org.slug}/").content.decode()
    focus = page[page.index('id="s-focus"') : page.index('id="s-composition"')]
    assert "<dt>Industrial ecosystems</dt>" in focus and "<li>Digital</li>" in focus


def test_a_facet_with_its_api_parameter(client, org):
    facet = search(DirectoryQuery()).facets["industrial_ecosystems"]
    assert [(v.label, v.count) for v in facet.values] == [(e, 1) for e in ECOSYSTEMS]
    assert "industrial_ecosystems" in DirectoryFilters.model_fields
    found = client.get("/api/clusters?industrial_ecosystems=digital").json()
    assert [i["slug"] for i in found["items"]] == [org.slug]
    assert client.get("/api/clusters?industrial_ecosystems=tourism").json()["total"] == 0
    assert "Industrial ecosystem" in client.get("/clusters/").content.decode()


def test_searchable(org):
    assert [i.slug for i in search(DirectoryQuery(q="cci")).items] == [org.slug]


def test_edited_with_its_vocabulary(client, org, people):
    fields = {v.path for v in editor.SECTION_BY_SLUG["focus"].values}
    assert "industrial_ecosystems" in fields
    client.force_login(people.users["moderator"])
    page = client.get(f"/accounts/profiles/{org.slug}/edit/focus/").content.decode()
    for label in vocabularies()["industrial_ecosystems"].labels:
        assert f'value="{label}"' in page.replace("&amp;", "&")


def test_exported_in_csv_and_json_ld_and_named_in_the_history(org):
    out = io.StringIO()
    export("csv", out)
    (row,) = csv.DictReader(io.StringIO(out.getvalue()))
    assert row["industrial_ecosystems"].splitlines() == ECOSYSTEMS
    out = io.StringIO()
    export("jsonld", out)
    (node,) = json.loads(out.getvalue())["@graph"]
    assert set(ECOSYSTEMS) <= set(node["knowsAbout"])
    assert label_of_path("industrial_ecosystems[1]") == "Industrial ecosystems › 2"


def test_demo_profiles_have_them_and_the_other_values_stay_as_they_were():
    docs = synthetic_profiles(3, seed=5)
    assert any(d.industrial_ecosystems for d in docs)
    assert all(
        set(d.industrial_ecosystems) <= set(vocabularies()["industrial_ecosystems"].labels)
        for d in docs
    )
    # Drawn from a stream of their own: the demo data of before is unchanged.
    assert [d.name for d in docs] == [
        "Podlehnik Textile Manufacturing Cluster",
        "Viseu Marketing Cluster",
        "Footwear Alliance of Mersch",
    ]
