"""The network page and JSON at 500 nodes and more: `/network.json?limit=500` used to
answer 500 once the graph had 500 nodes (networkx's layout needs scipy there)."""

import pytest

from clusterhub.profiles.schema import ProfileDoc
from tests.documents import save_documents

pytestmark = pytest.mark.django_db

SIZE = 620


@pytest.fixture
def ring(db):
    """SIZE profiles, each naming the next: one collaboration each, every node drawn."""
    docs = [
        ProfileDoc.model_validate({
            "name": f"Ring Cluster {i:04d}",
            "collaborating_clusters": [{"name": f"Ring Cluster {(i + 1) % SIZE:04d}", "profile": f"ring-cluster-{(i + 1) % SIZE:04d}"}],
        })
        for i in range(SIZE)
    ]  # fmt: skip
    save_documents(docs, resolve=False)


def test_the_network_of_more_than_500_clusters_is_drawn(client, ring):
    response = client.get(f"/network.json?limit={SIZE}")
    assert response.status_code == 200
    data = response.json()
    assert (data["total_nodes"], data["total_edges"], len(data["nodes"])) == (SIZE, SIZE, SIZE)
    assert data["approximate"] is True and not data["truncated"]
    assert client.get("/network/?limit=600").status_code == 200
