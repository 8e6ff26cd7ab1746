"""API limits: per key and per address, a 429 with Retry-After past them; bodies past
the size limit refused with a 413 naming it."""

import json

import pytest

pytestmark = pytest.mark.django_db


def test_an_address_without_a_key_is_limited_and_told_when_to_come_back(client, settings):
    settings.CLUSTERHUB_API_RATE_PER_ADDRESS = "3/m"
    answers = [client.get("/api/clusters", REMOTE_ADDR="198.51.100.7") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[-1].json() == {"detail": "Too many requests."}
    assert 0 < int(answers[-1]["Retry-After"]) <= 60
    # Another address has its own count.
    assert client.get("/api/clusters", REMOTE_ADDR="198.51.100.8").status_code == 200


def test_a_key_has_its_own_limit(client, settings, people):
    settings.CLUSTERHUB_API_RATE_PER_ADDRESS = "1/m"
    settings.CLUSTERHUB_API_RATE_PER_TOKEN = "2/m"
    key = people.keys["owner"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    statuses = [client.get("/api/clusters", **auth).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert client.get("/api/clusters").status_code == 200  # the address, without the key


def test_no_limit_when_the_rate_is_empty(client, settings):
    settings.CLUSTERHUB_API_RATE_PER_ADDRESS = ""
    assert all(client.get("/api/clusters").status_code == 200 for _ in range(20))


def test_a_body_past_the_limit_is_refused_with_413(client, settings, people):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"name": "Big", "mission": "x" * 5000})
    answer = client.post(
        "/api/clusters", body, content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {people.keys['owner']}",
    )  # fmt: skip
    assert answer.status_code == 413
    assert answer.json()["detail"] == "the request body is larger than 1000 bytes"
