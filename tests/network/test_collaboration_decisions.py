"""Owners and moderators confirm, turn down or correct a collaboration's link."""

import pytest
from django.contrib.auth.models import Group, User

from clusterhub.accounts.apps import MODERATORS
from clusterhub.accounts.models import Ownership, Revision
from clusterhub.network.resolution import resolve_all
from clusterhub.profiles.document import to_document
from clusterhub.profiles.models import ClusterOrganisation
from clusterhub.profiles.schema import ProfileDoc
from tests.documents import save_document, save_documents


def profile(name: str, **values) -> ProfileDoc:
    return ProfileDoc.model_validate({"name": name, **values})


@pytest.fixture
def writer(db):
    """A profile whose one entry is pending between two namesakes."""
    save_documents(
        [
            profile("Galicia Automotive Cluster", slug="gac-1", country="ES"),
            profile("Galicia Automotive Cluster", slug="gac-2", country="ES"),
            profile("Lisbon Design Cluster", country="PT"),
        ]
    )
    return save_document(
        profile(
            "Writer",
            collaborating_clusters=[{"name": "Galicia Automotive Cluster", "location": "Spain"}],
        )
    )


def user(name: str, moderator: bool = False) -> User:
    u = User.objects.create_user(f"{name}@example.org", f"{name}@example.org", "x-Pass-1234")
    if moderator:
        u.groups.add(Group.objects.get(name=MODERATORS))
    return u


def entry(slug: str = "writer"):
    return to_document(ClusterOrganisation.objects.get(slug=slug)).collaborating_clusters[0]


def post(client, decision: str, **data):
    version = ClusterOrganisation.objects.get(slug="writer").version
    return client.post(
        f"/clusters/writer/collaborations/1/{decision}/", {"version": version, **data}
    )


def test_the_owner_confirms_the_candidate_and_the_profile_shows_the_link(client, writer):
    owner = user("owner")
    Ownership.objects.create(user=owner, organisation=writer)
    client.force_login(owner)
    page = client.get("/clusters/writer/").content.decode()
    assert "awaiting confirmation" in page and ">Confirm</button>" in page
    candidate = entry().candidate
    response = post(client, "confirm")
    assert response.status_code == 302
    confirmed = entry()
    assert (confirmed.match_status, confirmed.profile) == ("confirmed", candidate)
    assert Revision.objects.filter(organisation=writer, note__contains="confirm").exists()
    assert f'href="/clusters/{candidate}/"' in client.get("/clusters/writer/").content.decode()


def test_a_moderator_turns_the_candidate_down_from_the_queue(client, writer):
    client.force_login(user("mod", moderator=True))
    queue = client.get("/network/review/").content.decode()
    assert "Galicia Automotive Cluster" in queue
    candidate = entry().candidate
    post(client, "reject", next="review")
    rejected = entry()
    assert (rejected.match_status, rejected.candidate, rejected.profile) == (
        "rejected",
        candidate,
        None,
    )
    resolve_all()  # a person's decision stays
    assert entry().match_status == "rejected"
    assert "Nothing waits" in client.get("/network/review/").content.decode()


def test_the_owner_links_another_profile(client, writer):
    owner = user("owner")
    Ownership.objects.create(user=owner, organisation=writer)
    client.force_login(owner)
    post(client, "link", profile="lisbon-design-cluster")
    linked = entry()
    assert (linked.profile, linked.match_status, linked.match_confidence) == (
        "lisbon-design-cluster", "confirmed", 1.0,
    )  # fmt: skip
    post(client, "link", profile="no-such-profile")
    assert entry().profile == "lisbon-design-cluster"  # refused, nothing changed


@pytest.mark.parametrize("who", ["anonymous", "stranger"])
def test_others_may_not_decide(client, writer, who):
    if who == "stranger":
        client.force_login(user("stranger"))
        assert post(client, "confirm").status_code == 403
        assert client.get("/network/review/").status_code == 403
    else:
        assert post(client, "confirm").status_code == 302  # to sign in
    assert entry().match_status == "pending"
    assert ">Confirm</button>" not in client.get("/clusters/writer/").content.decode()


def test_a_stale_decision_is_refused(client, writer):
    owner = user("owner")
    Ownership.objects.create(user=owner, organisation=writer)
    client.force_login(owner)
    client.post("/clusters/writer/collaborations/1/confirm/", {"version": writer.version - 1})
    assert entry().match_status == "pending"
