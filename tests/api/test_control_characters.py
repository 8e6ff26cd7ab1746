"""A control character is refused at the edge, on SQLite as on PostgreSQL: a NUL byte
used to answer 500 on PostgreSQL (`GET /api/clusters/%00`) and be stored by SQLite,
which broke a later copy from SQLite to PostgreSQL."""

import json

import pytest

from clusterhub.core.errors import InputError
from clusterhub.ingest.services import import_file
from clusterhub.profiles.models import ClusterOrganisation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    ["/api/clusters/%00", "/clusters/%00/", "/clusters/a%01b.json", "/api/clusters?q=%00",
     "/clusters/?country=%1F", "/network.json?q=x%7F"],
)  # fmt: skip
def test_an_address_with_a_control_character_is_a_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert response.content.decode().startswith("control character U+00")


def test_a_body_with_a_control_character_is_refused_naming_the_field(client, people):
    body = {"name": "Null\u0000 Cluster", "slug": "null-cluster"}
    response = client.post(
        "/api/clusters", json.dumps(body), content_type="application/json", **people.auth("owner")
    )
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "payload", "name"] and "U+0000" in error["msg"]
    assert not ClusterOrganisation.objects.filter(slug="null-cluster").exists()


def test_an_import_with_a_control_character_is_one_line_naming_where(db, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"name": "Bell\u0007 Cluster"}) + "\n")
    with pytest.raises(InputError) as refused:
        import_file(path)
    assert refused.value.located("bad.jsonl") == (
        "bad.jsonl:1: profile (Bell\u0007 Cluster): name: control character U+0007 is not allowed"
    )
    assert not ClusterOrganisation.objects.exists()
