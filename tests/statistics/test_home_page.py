"""/: what Clusterhub is, the search box, the figures, the map, the sectors most
represented, the newest profiles, and a notice when the directory holds demo data."""

import re

from clusterhub.directory.query import DirectoryFilters
from clusterhub.profiles.models import ClusterOrganisation
from clusterhub.statistics.services import map_of, statistics
from tests.directory.conftest import profile
from tests.documents import change_status, save_document


def test_home_page_says_what_the_platform_holds(client, small_directory):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    result = statistics(DirectoryFilters())
    figures = {
        label: n
        for n, label in re.findall(
            r"<strong>(\d+)</strong>\s*(published clusters|countries|collaborations)", html
        )
    }
    assert figures == {"published clusters": str(result.clusters), "countries": str(result.countries),
                       "collaborations": str(result.collaborations)}  # fmt: skip
    assert result.countries == len(map_of(DirectoryFilters()).countries)
    assert '<form class="searchbar" method="get" action="/clusters/" role="search">' in html
    assert "open directory of industrial and innovation cluster organisations" in html
    # the map: each country of the directory a link to it
    assert html.count('class="place country"') >= 5
    assert 'href="/clusters/?country=ES"' in html


def test_the_sectors_most_represented_link_to_the_directory(client, small_directory):
    html = client.get("/").content.decode()
    sectors = next(
        b for b in statistics(DirectoryFilters()).breakdowns if b.key == "sectoral_industries"
    )
    listed = re.findall(
        r'<li><a href="/clusters/\?sectoral_industries=([^"]+)">[^<]+</a> <span class="count">(\d+)</span>',
        html,
    )
    assert listed == [(row.value, str(row.count)) for row in sectors.counts[:8]]


def test_the_newest_published_profiles_come_first(client, small_directory):
    save_document(profile("Brand New Photonics Cluster", country="DE"))
    draft = save_document(profile("Unpublished Draft Cluster", country="DE"), status="draft")
    html = client.get("/").content.decode()
    newest = re.findall(r'<ul class="newest"><li><a href="/clusters/([^/]+)/">', html)
    assert newest == ["brand-new-photonics-cluster"]
    assert "Unpublished Draft Cluster" not in html
    change_status(ClusterOrganisation.objects.get(pk=draft.pk), "published")
    assert "Unpublished Draft Cluster" in client.get("/").content.decode()


def test_a_notice_says_when_the_directory_holds_demo_data(client, small_directory, db):
    html = client.get("/").content.decode()
    synthetic = ClusterOrganisation.objects.filter(synthetic=True, status="published").count()
    assert synthetic == 60
    assert f"This directory holds {synthetic} synthetic demonstration profiles" in html


def test_no_notice_without_demo_data(client, db, seed_doc):
    save_document(seed_doc)
    html = client.get("/").content.decode()
    assert "synthetic" not in html
    assert "<strong>1</strong>" in html


def test_an_empty_directory_has_a_home_page_too(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "No profile is published yet." in response.content.decode()
