"""A draft is invisible everywhere public, and a collaboration links to it only once it
is published. (It used to be saved as published, then demoted: the resolution that ran
in between linked a public profile's entry to it, and the public JSON showed its slug.)"""

import io
import json

import pytest

from clusterhub.accounts import moderation
from clusterhub.directory.query import DirectoryQuery
from clusterhub.directory.services import search
from clusterhub.ingest.services import export
from clusterhub.matching.query import PartnerQuery
from clusterhub.matching.services import recommend
from clusterhub.network.services import NetworkQuery, network
from clusterhub.profiles.schema import ProfileDoc
from tests.documents import save_documents

pytestmark = pytest.mark.django_db

DRAFT = "nordic-wind-cluster"  # the `people` fixture's draft


@pytest.fixture
def namer(db):
    """A published profile naming the draft's organisation among its partners, in
    place before the draft is registered."""
    (org,) = save_documents(
        [
            ProfileDoc.model_validate(
                {
                    "name": "Baltic Offshore Network", "country": "DK", "sectoral_industries": ["Renewable Energy"],
                    "collaborating_clusters": [{"name": "Nordic Wind Cluster", "location": "Denmark"}],
                    "mission": "Offshore wind supply chain and ports.",
                }
            )
        ]
    )  # fmt: skip
    return org


def public_texts(client) -> str:
    """Everything public that could mention a profile."""
    out = io.StringIO()
    export("json", out)
    parts = [
        client.get("/clusters/baltic-offshore-network.json").content.decode(),
        client.get("/clusters/baltic-offshore-network/").content.decode(),
        client.get("/api/clusters/baltic-offshore-network").content.decode(),
        client.get("/api/clusters?q=nordic").content.decode(),
        client.get("/clusters/?q=wind").content.decode(),
        client.get("/network.json").content.decode(),
        search(DirectoryQuery(q="wind")).model_dump_json(),
        network(NetworkQuery()).model_dump_json(),
        recommend("baltic-offshore-network", PartnerQuery()).model_dump_json(),
        out.getvalue(),
    ]
    return "\n".join(parts)


def test_a_draft_is_invisible_everywhere_public_and_linked_once_published(client, namer, people):
    entry = json.loads(client.get("/clusters/baltic-offshore-network.json").content)
    assert entry["collaborating_clusters"][0]["profile"] is None
    assert DRAFT not in public_texts(client)
    assert client.get(f"/clusters/{DRAFT}/").status_code == 404
    assert client.get(f"/api/clusters/{DRAFT}").status_code == 404
    # Published: the entry links to it, and it is listed.
    moderation.change_status(people.users["owner"], DRAFT, "submit")
    moderation.change_status(people.users["moderator"], DRAFT, "publish")
    entry = json.loads(client.get("/clusters/baltic-offshore-network.json").content)
    assert entry["collaborating_clusters"][0]["profile"] == DRAFT
    assert DRAFT in public_texts(client)


def test_a_link_given_by_hand_to_a_draft_is_not_kept(client, namer, people):
    doc = json.loads(client.get("/clusters/baltic-offshore-network.json").content)
    doc["collaborating_clusters"][0].update(
        profile=DRAFT, match_status="confirmed", match_confidence=1.0
    )
    save_documents([ProfileDoc.model_validate(doc)], resolve=False)
    again = json.loads(client.get("/clusters/baltic-offshore-network.json").content)
    assert again["collaborating_clusters"][0]["profile"] is None
    assert DRAFT not in public_texts(client)


def test_a_profile_leaving_the_directory_takes_its_links_out_of_public_view(client, namer, people):
    moderation.change_status(people.users["moderator"], DRAFT, "publish")
    assert DRAFT in client.get("/clusters/baltic-offshore-network.json").content.decode()
    moderation.change_status(people.users["owner"], DRAFT, "archive")
    assert DRAFT not in public_texts(client)
    # Its owners and moderators still see it, and the link stays stored for when it returns.
    client.force_login(people.users["moderator"])
    assert DRAFT in client.get("/clusters/baltic-offshore-network.json").content.decode()
