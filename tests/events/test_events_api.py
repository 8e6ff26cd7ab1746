from clusterhub.accounts.models import ApiToken
from clusterhub.events.models import Meeting, Session


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user, 'tests')[1]}"}


def test_an_event_through_the_api_from_creation_to_agenda(client, clusters, event_input):
    moderator = bearer(clusters.moderator)
    body = event_input.model_dump(mode="json")
    created = client.post("/api/events", body, content_type="application/json", **moderator)
    assert created.status_code == 201, created.content
    slug = created.json()["slug"]
    assert client.get(f"/api/events/{slug}").status_code == 404  # a draft: organisers only
    client.post(f"/api/events/{slug}/publish", **moderator)
    event = client.get(f"/api/events/{slug}").json()
    assert [s["slot"] for s in event["slots"]] == [1, 2, 3]
    assert client.get(f"/api/events/{slug}", **moderator)["ETag"] == '"2"'

    session = Session.objects.get().pk
    ids = []
    for owner, org, team in zip(clusters.owners[:2], clusters.slugs, clusters.teams, strict=False):
        registered = client.post(
            f"/api/events/{slug}/participants",
            {"organisation": org, "attendees": [team], "sessions": [session]},
            content_type="application/json", **bearer(owner),
        )  # fmt: skip
        assert registered.status_code == 201, registered.content
        ids.append(registered.json()["id"])
    asked = client.post(f"/api/events/{slug}/participants/{ids[0]}/requests",
                        {"guest": ids[1], "priority": 5}, content_type="application/json",
                        **bearer(clusters.owners[0]))  # fmt: skip
    assert asked.status_code == 201 and asked.json()["status"] == "pending"
    pk = asked.json()["id"]
    refused = client.post(f"/api/events/{slug}/meetings/{pk}/decision", {"accept": True},
                          content_type="application/json", **bearer(clusters.owners[2]))  # fmt: skip
    assert refused.status_code == 404
    client.post(f"/api/events/{slug}/meetings/{pk}/decision", {"accept": True},
                content_type="application/json", **bearer(clusters.owners[1]))  # fmt: skip
    assert Meeting.objects.get().status == "accepted"
    started = client.post(f"/api/events/{slug}/schedule", {"seconds": 5},
                          content_type="application/json", **moderator)  # fmt: skip
    assert started.status_code == 202
    schedule = client.get(f"/api/events/{slug}/schedule", **moderator).json()
    assert schedule["run"]["status"] == "done" and schedule["meetings"][0]["slot"] is not None
    assert (
        client.get(f"/api/events/{slug}/schedule", **bearer(clusters.owners[0])).status_code == 403
    )
    agenda = f"/api/events/{slug}/participants/{ids[1]}/agenda"
    assert client.get(agenda, **bearer(clusters.owners[1])).status_code == 404  # not published
    client.post(f"/api/events/{slug}/schedule/publish", **moderator)
    entries = client.get(agenda, **bearer(clusters.owners[1])).json()
    assert entries[0]["with_organisation"] == "Nordic Wind Cluster"
    assert client.get(agenda, **bearer(clusters.owners[2])).status_code == 404


def test_bad_input_is_one_line_naming_the_field(client, clusters, event_input):
    body = event_input.model_dump(mode="json") | {"ends_on": "2000-01-01"}
    refused = client.post("/api/events", body, content_type="application/json",
                          **bearer(clusters.moderator))  # fmt: skip
    assert refused.status_code == 422
    assert "ends_on" in str(refused.json())
