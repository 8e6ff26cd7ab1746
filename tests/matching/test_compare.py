"""Two to four clusters side by side: what they share marked, a hidden one a 404."""

import pytest

from clusterhub.profiles.choices import Status
from clusterhub.profiles.schema import ProfileDoc
from tests.documents import save_documents


def profile(name: str, **values) -> ProfileDoc:
    return ProfileDoc.model_validate({"name": name, **values})


@pytest.fixture
def clusters(db):
    save_documents([
        profile("Rio Screen Cluster", country="BR", sectoral_industries=["Video Production and Distribution", "Apparel"]),
        profile("Lisbon Screen Cluster", country="PT", sectoral_industries=["Video Production and Distribution"],
                members={"total": 40}),
    ])  # fmt: skip
    save_documents([profile("Hidden Draft Cluster", country="PT")], status=Status.DRAFT)


def test_side_by_side_with_shared_values_marked(client, clusters):
    response = client.get(
        "/clusters/compare/", {"c": ["rio-screen-cluster", "lisbon-screen-cluster"]}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Rio Screen Cluster" in body and "Lisbon Screen Cluster" in body
    assert '<li class="shared-item">Video Production and Distribution</li>' in body
    assert "<li>Apparel</li>" in body  # only Rio's: not marked
    assert "Brazil" in body and "Portugal" in body
    spanish = client.get(
        "/es/clusters/compare/", {"c": ["rio-screen-cluster", "lisbon-screen-cluster"]}
    ).content.decode()
    assert '<li class="shared-item">Producción y distribución audiovisual</li>' in spanish
    assert "<li>Confección</li>" in spanish and "Brasil" in spanish
    assert "Industrias sectoriales" in spanish and "Apparel" not in spanish


def test_a_cluster_the_reader_may_not_see_is_a_404(client, clusters):
    response = client.get(
        "/clusters/compare/", {"c": ["rio-screen-cluster", "hidden-draft-cluster"]}
    )
    assert response.status_code == 404
    assert "Hidden Draft Cluster" not in response.content.decode()


def test_without_a_choice_the_page_says_how_to_choose(client, clusters):
    response = client.get("/clusters/compare/")
    assert response.status_code == 200
    assert "Tick two to 4 clusters" in response.content.decode()


@pytest.mark.parametrize("slugs", [["rio-screen-cluster"], ["a", "b", "c", "d", "e"]])
def test_one_or_more_than_four_is_refused_with_a_reason(client, clusters, slugs):
    response = client.get("/clusters/compare/", {"c": slugs})
    assert response.status_code == 400
    assert "choose 2 to 4 clusters to compare" in response.content.decode()
