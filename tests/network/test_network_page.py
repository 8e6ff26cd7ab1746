"""The collaboration graph: the whole directory's, filterable, and each profile's own."""

import networkx as nx
import pytest

from clusterhub.network.services import NetworkQuery, network
from clusterhub.profiles.schema import ProfileDoc
from tests.documents import save_documents


def profile(name: str, partners=(), **values) -> ProfileDoc:
    named = [{"name": p, "location": loc} for p, loc in partners]
    return ProfileDoc.model_validate({"name": name, "collaborating_clusters": named, **values})


@pytest.fixture
def chain(db):
    """Amber — Birch — Cedar — Dune, and Birch — Elm: Birch and Cedar are in between."""
    save_documents(
        [
            profile("Amber Robotics Cluster", country="PL", sectoral_industries=["Automotive"]),
            profile("Birch Mobility Cluster", country="DE", sectoral_industries=["Automotive"]),
            profile("Cedar Textile Cluster", country="FR", sectoral_industries=["Apparel"]),
            profile("Dune Solar Cluster", country="ES", sectoral_industries=["Apparel"]),
            profile("Elm Logistics Cluster", country="DE", sectoral_industries=["Automotive"]),
        ]
    )
    save_documents(
        [
            profile("Amber Robotics Cluster", [("Birch Mobility Cluster", "Germany")], country="PL",
                    sectoral_industries=["Automotive"]),
            profile("Cedar Textile Cluster", [("BIRCH MOBILITY CLUSTER", "Germany"),
                    ("Dune Solar Cluster", "Spain")], country="FR", sectoral_industries=["Apparel"]),
            profile("Elm Logistics Cluster", [("Birch Mobility Cluster", "")], country="DE",
                    sectoral_industries=["Automotive"]),
        ]
    )  # fmt: skip


def test_degree_and_betweenness_as_networkx_computes_them(chain):
    result = network(NetworkQuery())
    assert (result.total_nodes, result.total_edges) == (5, 4)
    expected = nx.betweenness_centrality(
        nx.Graph([("amber", "birch"), ("birch", "cedar"), ("cedar", "dune"), ("birch", "elm")])
    )
    nodes = {n.slug.split("-")[0]: n for n in result.nodes}
    assert nodes["birch"].degree == 3 and nodes["amber"].degree == 1
    for name, value in expected.items():
        assert nodes[name].betweenness == pytest.approx(value, abs=1e-4)
    assert not result.truncated and not result.approximate
    assert all(0 <= n.x <= 1000 and 0 <= n.y <= 700 for n in result.nodes)


def test_filters_keep_the_selection_and_its_partners(chain):
    result = network(NetworkQuery(sectoral_industries=["automotive"]))
    inside = {n.slug: n.in_selection for n in result.nodes}
    assert inside == {
        "amber-robotics-cluster": True, "birch-mobility-cluster": True,
        "elm-logistics-cluster": True, "cedar-textile-cluster": False,  # Birch's partner
    }  # fmt: skip
    # A country's clusters with all their partners abroad: Dune (ES) and Cedar (FR).
    spain = network(NetworkQuery(country=["ES"]))
    assert {(n.slug, n.in_selection) for n in spain.nodes} == {
        ("dune-solar-cluster", True), ("cedar-textile-cluster", False),
    }  # fmt: skip
    assert spain.edges in ([("cedar-textile-cluster", "dune-solar-cluster")],
                           [("dune-solar-cluster", "cedar-textile-cluster")])  # fmt: skip
    shown = network(NetworkQuery(limit=2))
    assert shown.truncated and shown.nodes[0].slug == "birch-mobility-cluster"


def test_the_network_page_and_its_json(client, chain):
    page = client.get("/network/").content.decode()
    assert "5 clusters with 4 collaborations" in page
    assert page.count('class="node') == 5 and "Birch Mobility Cluster" in page
    filtered = client.get("/network/?country=DE&country=PL")
    assert filtered.status_code == 200
    data = client.get("/network.json?sectoral_industries=apparel").json()
    assert {frozenset(edge) for edge in data["edges"]} == {
        frozenset(("cedar-textile-cluster", "dune-solar-cluster")),
        frozenset(("birch-mobility-cluster", "cedar-textile-cluster")),  # Cedar's partner
    }
    outside = [n["slug"] for n in data["nodes"] if not n["in_selection"]]
    assert outside == ["birch-mobility-cluster"]
    refused = client.get("/network.json?limit=0")
    assert refused.status_code == 400 and refused.json()["detail"].startswith("limit:")


def test_each_profile_shows_its_links_and_neighbourhood(client, chain):
    page = client.get("/clusters/birch-mobility-cluster/").content.decode()
    assert "Named as a partner by" in page
    for slug in ("amber-robotics-cluster", "cedar-textile-cluster", "elm-logistics-cluster"):
        assert f'href="/clusters/{slug}/"' in page
    assert 'aria-label="Collaboration neighbourhood of Birch Mobility Cluster"' in page
    assert page.count('class="node') == 4  # itself and its three partners
    cedar = client.get("/clusters/cedar-textile-cluster/").content.decode()
    assert '<a href="/clusters/birch-mobility-cluster/">BIRCH MOBILITY CLUSTER</a>' in cedar
