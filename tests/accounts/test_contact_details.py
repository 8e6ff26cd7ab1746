"""Telephones and emails: each person chooses who sees theirs, and they are never
handed out in bulk. (A new account used to collect every team member's email and
telephone through the API in seconds, and the open-data exports carried them.)"""

import io
import json

import pytest
from django.core.management import call_command

from clusterhub.accounts.models import ApiToken
from clusterhub.ingest.demo import synthetic_profiles
from clusterhub.ingest.services import export
from clusterhub.profiles.schema import ProfileDoc
from tests.documents import save_documents

from .conftest import make_user

pytestmark = pytest.mark.django_db


def team(*visibilities) -> list[dict]:
    return [
        {"first_name": f"P{i}", "last_name": "Person", "position": "Manager",
         "email": f"p{i}@cluster.example", "telephone": f"+34 600 000 00{i}", "contact_visibility": v}
        for i, v in enumerate(visibilities)
    ]  # fmt: skip


@pytest.fixture
def profile(db):
    doc = ProfileDoc.model_validate(
        {"name": "Contact Cluster", "country": "ES",
         "management_team": team("everyone", "members", "nobody")}
    )  # fmt: skip
    return save_documents([doc])[0]


def emails(document: dict) -> list:
    return [m["email"] for m in document["management_team"]]


def test_each_person_chooses_who_sees_their_contact_details(client, profile, people):
    url = "/api/clusters/contact-cluster"
    assert emails(client.get(url).json()) == ["p0@cluster.example", None, None]
    member = {"HTTP_AUTHORIZATION": f"Bearer {people.keys['stranger']}"}
    assert emails(client.get(url, **member).json()) == [
        "p0@cluster.example",
        "p1@cluster.example",
        None,
    ]
    # The profile's owners and the moderators see everyone's.
    moderator = {"HTTP_AUTHORIZATION": f"Bearer {people.keys['moderator']}"}
    assert None not in emails(client.get(url, **moderator).json())
    # Names and positions are public.
    assert [m["first_name"] for m in client.get(url).json()["management_team"]] == [
        "P0",
        "P1",
        "P2",
    ]


def test_the_page_follows_the_same_choices(client, profile, people):
    page = client.get("/clusters/contact-cluster/").content.decode()
    assert "p0@cluster.example" in page and "p1@cluster.example" not in page
    client.force_login(people.users["stranger"])
    page = client.get("/clusters/contact-cluster/").content.decode()
    assert "p1@cluster.example" in page and "p2@cluster.example" not in page


def test_an_account_reading_many_profiles_stops_getting_contact_details(client, settings, db):
    settings.CLUSTERHUB_CONTACTS_RATE = "5/h"
    save_documents(synthetic_profiles(12, seed=4))
    user = make_user("harvester")
    key = ApiToken.issue(user, "harvest")[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    slugs = [item["slug"] for item in client.get("/api/clusters?page_size=12").json()["items"]]
    found, withheld = [], []
    for slug in slugs:
        response = client.get(f"/api/clusters/{slug}", **auth)
        assert response.status_code == 200
        found += [e for e in emails(response.json()) if e]
        withheld.append(response.get("Clusterhub-Contacts") == "withheld")
    assert withheld == [False] * 5 + [True] * 7
    assert len({e.split("@")[1] for e in found}) == 5  # the contacts of 5 profiles, no more


def test_lists_and_open_exports_carry_no_contact_details(client, profile, people):
    member = {"HTTP_AUTHORIZATION": f"Bearer {people.keys['stranger']}"}
    listing = client.get("/api/clusters?q=contact", **member).content.decode()
    assert "@cluster.example" not in listing and "+34 600" not in listing
    for fmt in ("json", "jsonl", "csv", "jsonld"):
        out = io.StringIO()
        export(fmt, out)
        assert "@cluster.example" not in out.getvalue() and "+34 600" not in out.getvalue(), fmt
    assert "@cluster.example" not in client.get("/clusters/?q=contact").content.decode()


def test_administrators_export_contacts_only_when_they_ask(profile, tmp_path, capsys):
    path = tmp_path / "full.json"
    call_command("export", "--format", "json", "--include-contacts", "-o", str(path))
    (doc,) = json.loads(path.read_text())
    assert emails(doc) == ["p0@cluster.example", "p1@cluster.example", "p2@cluster.example"]
    assert [m["contact_visibility"] for m in doc["management_team"]] == [
        "everyone",
        "members",
        "nobody",
    ]


def test_imported_pages_show_contacts_to_signed_in_members(seed_doc):
    assert {m.contact_visibility for m in seed_doc.management_team} == {"members"}
