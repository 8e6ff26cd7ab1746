"""/api/opportunities, /api/calls and /api/news: tokens, If-Match, and 404 for the unseen."""

import pytest

from ..accounts.conftest import ROLES

pytestmark = pytest.mark.django_db
EDITORS = {"owner", "co_owner", "moderator"}


def send(client, people, role, method, path, body=None, **headers):
    call = getattr(client, method)
    kwargs = {"content_type": "application/json"} if body is not None else {}
    return (
        call(path, body, **kwargs, **people.auth(role), **headers)
        if body is not None
        else call(path, **people.auth(role), **headers)
    )


@pytest.fixture
def opportunity(client, published, draft_input):
    body = draft_input.model_dump(mode="json") | {"organisation": published.slug}
    response = send(client, published, "owner", "post", "/api/opportunities", body)
    assert response.status_code == 201, response.content
    return response.json()


@pytest.mark.parametrize("role", ROLES)
def test_a_draft_opportunity_is_404_for_whoever_may_not_see_it(
    client, published, opportunity, role
):
    response = send(client, published, role, "get", f"/api/opportunities/{opportunity['id']}")
    assert response.status_code == (200 if role in EDITORS else 404)
    if role in EDITORS:
        assert response["ETag"] == '"1"'


def test_an_opportunity_is_written_with_if_match_and_listed_once_published(
    client, published, opportunity, draft_input
):
    path = f"/api/opportunities/{opportunity['id']}"
    body = draft_input.model_dump(mode="json") | {"title": "Partners for a wave energy pilot"}
    assert send(client, published, "owner", "put", path, body).status_code == 428
    assert (
        send(client, published, "owner", "put", path, body, HTTP_IF_MATCH='"1"').status_code == 200
    )
    stale = send(client, published, "co_owner", "put", path, body, HTTP_IF_MATCH='"1"')
    assert stale.status_code == 409 and stale.json()["field"] == "version"
    assert send(client, published, "owner", "post", f"{path}/publish", {}).status_code == 403
    assert send(client, published, "owner", "post", f"{path}/submit", {}).status_code == 200
    assert send(client, published, "moderator", "post", f"{path}/publish", {}).status_code == 200
    listed = client.get("/api/opportunities?q=wave&target_countries=PT").json()
    assert (
        listed["total"] == 1 and listed["items"][0]["title"] == "Partners for a wave energy pilot"
    )
    assert listed["facets"]["kind"]["values"][0]["value"] == "partner_search"


def test_strangers_may_not_post_for_an_organisation(client, published, draft_input):
    body = draft_input.model_dump(mode="json") | {"organisation": published.slug}
    assert (
        send(client, published, "anonymous", "post", "/api/opportunities", body).status_code == 401
    )
    assert (
        send(client, published, "stranger", "post", "/api/opportunities", body).status_code == 403
    )


@pytest.mark.parametrize("role", ROLES)
def test_only_moderators_post_calls(client, people, call_input, role):
    response = send(client, people, role, "post", "/api/calls", call_input.model_dump(mode="json"))
    assert response.status_code == {"anonymous": 401, "moderator": 201}.get(role, 403)


def test_a_call_is_read_and_replaced_with_if_match(client, people, call_input):
    created = send(
        client, people, "moderator", "post", "/api/calls", call_input.model_dump(mode="json")
    ).json()
    path = f"/api/calls/{created['id']}"
    got = client.get(path)
    assert got["ETag"] == '"1"' and got.json()["eligible_countries"] == ["ES", "PT"]
    body = call_input.model_dump(mode="json") | {"budget_eur": 30_000_000}
    assert send(client, people, "moderator", "put", path, body).status_code == 428
    assert (
        send(client, people, "moderator", "put", path, body, HTTP_IF_MATCH='"1"').json()["version"]
        == 2
    )
    bad = send(
        client,
        people,
        "moderator",
        "put",
        path,
        body | {"link": "javascript:x"},
        HTTP_IF_MATCH='"2"',
    )
    assert bad.status_code == 422 and "link" in str(bad.json()["detail"])
    send(client, people, "moderator", "post", f"{path}/status", {"status": "withdrawn"})
    assert client.get(path).status_code == 404
    assert client.get("/api/calls").json()["total"] == 0


def test_news_waits_for_a_moderator(client, published, news_input):
    body = news_input.model_dump(mode="json") | {"organisation": published.slug}
    created = send(client, published, "owner", "post", "/api/news", body).json()
    path = f"/api/news/{created['id']}"
    assert created["status"] == "submitted" and client.get(path).status_code == 404
    assert client.get("/api/news").json()["total"] == 0
    assert send(client, published, "moderator", "post", f"{path}/publish", {}).status_code == 200
    assert client.get(path).status_code == 200 and client.get("/api/news").json()["total"] == 1
    assert send(client, published, "stranger", "delete", path).status_code == 403
    assert send(client, published, "owner", "delete", path).status_code == 204
    assert client.get(path).status_code == 404
