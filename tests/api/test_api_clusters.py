import json
from pathlib import Path

import pytest

from clusterhub.accounts.models import ApiToken
from clusterhub.api.main import api
from tests.documents import as_sent

SNAPSHOT = Path(__file__).parent / "openapi.json"


@pytest.mark.django_db
def test_get_cluster_returns_the_document(client, seed_org, seed_doc, django_user_model):
    user = django_user_model.objects.create_user("reader@example.org", "reader@example.org")
    _, key = ApiToken.issue(user, "tests")
    response = client.get(
        "/api/clusters/cluster-do-audiovisual-galego", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 200
    assert response["ETag"] == '"1"'
    assert as_sent(response.json()) == as_sent(seed_doc)


@pytest.mark.django_db
def test_public_api_leaves_out_contact_details(client, seed_org, seed_doc):
    document = client.get("/api/clusters/cluster-do-audiovisual-galego").json()
    assert [m["position"] for m in document["management_team"]] == [
        m.position for m in seed_doc.management_team
    ]
    assert all(m["email"] is None and m["telephone"] is None for m in document["management_team"])


@pytest.mark.django_db
def test_unknown_cluster_is_a_json_404(client):
    response = client.get("/api/clusters/nope")
    assert response.status_code == 404
    assert response.json() == {"detail": "no cluster organisation 'nope'", "field": "slug"}


@pytest.mark.django_db
def test_openapi_json_and_docs_are_served(client):
    assert client.get("/api/openapi.json").json()["info"]["title"] == "Clusterhub API"
    assert client.get("/api/docs").status_code == 200


def test_openapi_schema_matches_the_committed_snapshot():
    """Regenerate with `make openapi` when the API changes on purpose."""
    current = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/"), sort_keys=True))
    assert current == json.loads(SNAPSHOT.read_text())


def test_the_schema_names_the_header_as_http_does_and_every_status():
    from clusterhub.api.main import api

    schema = json.loads(json.dumps(api.get_openapi_schema()))
    put = schema["paths"]["/api/clusters/{slug}"]["put"]
    headers = [p["name"] for p in put["parameters"] if p["in"] == "header"]
    assert headers == ["If-Match"]
    assert set(put["responses"]) == {"200", "401", "403", "404", "409", "422", "428"}
    slug = next(p for p in put["parameters"] if p["name"] == "slug")
    assert slug["schema"]["pattern"] == "^[a-z0-9]+(?:-[a-z0-9]+)*$"
    assert set(schema["paths"]["/api/clusters"]["post"]["responses"]) == {
        "201",
        "401",
        "409",
        "422",
    }


def test_a_client_sending_if_match_is_heard(client, people, draft_doc):
    body = draft_doc.model_copy(update={"mission": "Heard."}).model_dump(mode="json")
    response = client.put(
        f"/api/clusters/{people.slug}", body, content_type="application/json",
        headers={"If-Match": '"1"'}, **people.auth("owner"),
    )  # fmt: skip
    assert response.status_code == 200 and response.json()["version"] == 2


def test_an_owner_writing_back_what_the_api_shows_changes_nothing(client, people, page):
    """The report of issue 10: a profile's API document showed no collaboration though
    its row was linked, and writing that document back deleted the row. Whatever the
    API shows an owner — links to profiles they may no longer see included — written
    back unchanged is no change."""
    from clusterhub.ingest.eccp import parse_file
    from clusterhub.profiles.choices import Status
    from clusterhub.profiles.document import to_document
    from clusterhub.profiles.models import ClusterOrganisation, CollaboratingCluster
    from clusterhub.profiles.schema import ProfileDoc
    from tests.documents import change_status, save_document

    cap = save_document(parse_file(page("cap-digital.html")))
    org = ClusterOrganisation.objects.get(slug=people.slug)
    named = to_document(org).model_dump()
    named = ProfileDoc.model_validate(
        {**named, "collaborating_clusters": [{"name": "Cap Digital"}]}
    )
    save_document(named, status=Status.PUBLISHED)
    rows = lambda: list(CollaboratingCluster.objects.filter(organisation__slug=people.slug)  # noqa: E731
                        .values_list("name", "profile__slug", "match_status"))  # fmt: skip
    assert rows() == [("Cap Digital", "cap-digital", "linked")]
    change_status(cap, Status.ARCHIVED, action="archive")  # the owner may no longer see it
    before, version = rows(), ClusterOrganisation.objects.get(slug=people.slug).version
    shown = client.get(f"/api/clusters/{people.slug}", **people.auth("owner")).json()
    assert [c["name"] for c in shown["collaborating_clusters"]] == ["Cap Digital"]
    assert "cap-digital" not in json.dumps(shown)  # nothing said of a profile not public
    response = client.put(
        f"/api/clusters/{people.slug}", shown, content_type="application/json",
        headers={"If-Match": f'"{version}"'}, **people.auth("owner"),
    )  # fmt: skip
    assert response.status_code == 200, response.content
    assert rows() == before
    assert ClusterOrganisation.objects.get(slug=people.slug).version == version
