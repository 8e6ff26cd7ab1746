"""Two people edit the same profile: the second save is refused and nothing is lost."""

import pytest

from clusterhub.accounts import editing
from clusterhub.profiles.document import to_document
from clusterhub.profiles.models import ClusterOrganisation
from clusterhub.profiles.writing import StaleVersion


def put(client, people, role, doc, if_match=None):
    headers = {"HTTP_IF_MATCH": if_match} if if_match else {}
    return client.put(
        f"/api/clusters/{people.slug}",
        doc.model_dump(mode="json"),
        content_type="application/json",
        **headers,
        **people.auth(role),
    )


def test_api_second_save_over_the_same_version_gets_409(client, people, draft_doc):
    etag = client.get(f"/api/clusters/{people.slug}", **people.auth("owner"))["ETag"]
    assert etag == '"1"'
    first = draft_doc.model_copy(update={"mission": "First edit."})
    second = draft_doc.model_copy(update={"mission": "Second edit, started from version 1."})
    assert put(client, people, "owner", first, etag).json()["version"] == 2
    response = put(client, people, "co_owner", second, etag)
    assert response.status_code == 409
    body = response.json()
    assert body["current_version"] == 2
    assert body["current"]["mission"] == "First edit."
    assert "version 2" in body["detail"]
    assert ClusterOrganisation.objects.get(slug=people.slug).mission == "First edit."
    # Starting again from the version the conflict names succeeds.
    assert put(client, people, "co_owner", second, '"2"').json()["version"] == 3


def test_api_edit_without_a_version_is_refused(client, people, draft_doc):
    response = put(client, people, "owner", draft_doc)
    assert response.status_code == 428
    assert response.json()["field"] == "If-Match"
    assert put(client, people, "owner", draft_doc, '"abc"').status_code == 428


def test_service_conflict_carries_the_current_document(people, draft_doc):
    owner, co_owner = people.users["owner"], people.users["co_owner"]
    editing.update_profile(owner, people.slug, draft_doc.model_copy(update={"name": "A"}), 1)
    with pytest.raises(StaleVersion) as conflict:
        editing.update_profile(co_owner, people.slug, draft_doc.model_copy(update={"name": "B"}), 1)
    assert conflict.value.current_version == 2
    assert conflict.value.current.name == "A"
    assert to_document(ClusterOrganisation.objects.get(slug=people.slug)).name == "A"


def test_slug_cannot_change_and_errors_name_the_field(client, people, draft_doc):
    response = put(client, people, "owner", draft_doc.model_copy(update={"slug": "other"}), '"1"')
    assert response.status_code == 422
    assert response.json()["field"] == "slug" and "cannot change" in response.json()["detail"]
    bad = client.put(
        f"/api/clusters/{people.slug}",
        {"name": ""},
        content_type="application/json",
        HTTP_IF_MATCH='"1"',
        **people.auth("owner"),
    )
    assert bad.status_code == 422
    assert ["body", "payload", "name"] in [e["loc"] for e in bad.json()["detail"]]
