"""/statistics/ and /api/statistics: every count is the directory's own total for the
same filters and that value (on SQLite and on PostgreSQL alike)."""

import csv
import io
import re

import pytest

from clusterhub.directory.query import DirectoryFilters, DirectoryQuery
from clusterhub.directory.services import search
from clusterhub.profiles.choices import LINKED
from clusterhub.profiles.document import to_document
from clusterhub.profiles.models import ClusterOrganisation, CollaboratingCluster
from clusterhub.statistics.query import BREAKDOWNS
from clusterhub.statistics.services import statistics
from clusterhub.statistics.views import _directory_pairs
from tests.documents import save_document
from tests.statistics.conftest import SELECTIONS


def _directory_total(pairs) -> int:
    return search(DirectoryQuery.from_pairs(pairs)).total


@pytest.mark.parametrize("pairs", SELECTIONS)
def test_every_count_is_the_directorys_total(small_directory, pairs):
    query = DirectoryFilters.from_pairs(pairs)
    result = statistics(query)
    assert result.clusters == _directory_total(pairs) > 0
    keys = [b.key for b in result.breakdowns]
    assert set(keys) == {*BREAKDOWNS, "collaborations_across_borders"}
    checked = 0
    for breakdown in result.breakdowns:
        if breakdown.key in ("collaborations_across_borders", "members_by_type"):
            continue  # count pairs and members, not organisations: tested below
        if any(k == breakdown.key for k, _v in pairs):
            continue  # OR within a facet: adding a value widens, not narrows
        for row in breakdown.counts:
            assert row.count == _directory_total(pairs + _directory_pairs(breakdown.key, row.value)), (
                breakdown.key, row.value,
            )  # fmt: skip
            checked += 1
        if breakdown.key in ("country", "established", "members_band"):
            stated = sum(r.count for r in breakdown.counts)
            assert stated + breakdown.not_stated == result.clusters
    assert checked > 10


def test_a_breakdown_counts_the_selection_not_the_facet(small_directory):
    """Unlike the directory's facets, the country breakdown of `country=PT` is Portugal
    alone: the statistics of the selection."""
    result = statistics(DirectoryFilters.from_pairs([("country", "PT")]))
    by_country = next(b for b in result.breakdowns if b.key == "country")
    assert [r.value for r in by_country.counts] == ["PT"]
    assert result.countries == 1


def test_api_matches_the_service(client, small_directory):
    response = client.get("/api/statistics", {"country": "ES", "q": "galicia"})
    assert response.status_code == 200
    body = response.json()
    expected = statistics(DirectoryFilters.from_pairs([("country", "ES"), ("q", "galicia")]))
    assert body == expected.model_dump(mode="json")
    assert body["clusters"] >= 1


def test_api_names_a_bad_parameter(client, small_directory):
    response = client.get("/api/statistics", {"established_from": "12"})
    assert response.status_code == 422
    assert "established_from" in str(response.json()["detail"])


def test_page_tables_link_to_the_directory(client, small_directory):
    response = client.get("/statistics/", {"country": "PT"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Clusters by sectoral industry" in html
    assert "/clusters/?country=PT&amp;sectoral_industries=" in html
    assert 'href="/clusters/?country=PT"' in html
    across = next(
        b
        for b in statistics(DirectoryFilters()).breakdowns
        if b.key == "collaborations_across_borders"
    )
    first, second = across.counts[0].value.split("-")
    html = client.get("/statistics/").content.decode()
    assert f'href="/network/?country={first}&amp;country={second}"' in html


def test_csv_and_json_hold_every_row(client, small_directory):
    result = statistics(DirectoryFilters())
    rows = list(
        csv.reader(io.StringIO(client.get("/statistics/", {"format": "csv"}).content.decode()))
    )
    assert rows[0] == ["breakdown", "value", "label", "count"]
    assert len(rows) - 1 == sum(len(b.counts) for b in result.breakdowns)
    assert any(r[0] == "collaborations_across_borders" for r in rows[1:])
    assert client.get("/statistics/", {"format": "json"}).json() == result.model_dump(mode="json")


def test_directory_links_to_the_statistics_of_its_selection(client, small_directory):
    html = client.get("/clusters/", {"country": "ES"}).content.decode()
    assert 'href="/statistics/?country=ES"' in html


def test_bad_filter_falls_back_with_an_error(client, small_directory):
    response = client.get("/statistics/", {"members_min": "-3"})
    assert response.status_code == 400
    assert "members_min" in response.content.decode()


def _linked_pairs() -> set[tuple[int, int]]:
    """The collaborating pairs among published profiles, read from the database."""
    published = set(
        ClusterOrganisation.objects.filter(status="published").values_list("id", flat=True)
    )
    rows = CollaboratingCluster.objects.filter(match_status__in=LINKED).values_list(
        "organisation_id", "profile_id"
    )
    return {tuple(sorted(r)) for r in rows if r[0] != r[1] and set(r) <= published}


def test_collaborations_are_the_linked_pairs_and_across_borders_by_country(small_directory):
    pairs = _linked_pairs()
    assert len(pairs) > 5
    result = statistics(DirectoryFilters())
    assert result.collaborations == len(pairs)
    country = dict(ClusterOrganisation.objects.values_list("id", "country"))
    expected: dict[str, int] = {}
    for a, b in pairs:
        if country[a] and country[b] and country[a] != country[b]:
            key = "-".join(sorted((country[a], country[b])))
            expected[key] = expected.get(key, 0) + 1
    across = next(b for b in result.breakdowns if b.key == "collaborations_across_borders")
    assert {r.value: r.count for r in across.counts} == expected
    assert across.not_stated == len(pairs) - sum(expected.values())
    ranked = [(-r.count, r.value) for r in across.counts]
    assert ranked == sorted(ranked)  # most first, then the pairs in alphabetical order


def test_collaborations_follow_the_filters(small_directory):
    spain = set(ClusterOrganisation.objects.filter(country="ES").values_list("id", flat=True))
    within = [p for p in _linked_pairs() if set(p) <= spain]
    result = statistics(DirectoryFilters.from_pairs([("country", "ES")]))
    assert result.collaborations == len(within)


def _changed(doc, **values):
    return type(doc).model_validate({**doc.model_dump(mode="json"), **values})


def _selected_slugs(pairs) -> set[str]:
    query = DirectoryQuery.from_pairs([*pairs, ("page_size", "100")])
    result = search(query)
    slugs = {item.slug for item in result.items}
    page = 1
    while len(slugs) < result.total:
        page += 1
        more = search(
            DirectoryQuery.from_pairs([*pairs, ("page_size", "100"), ("page", str(page))])
        )
        slugs |= {item.slug for item in more.items}
    return slugs


@pytest.mark.parametrize("pairs", SELECTIONS)
def test_members_by_type_are_the_sums_of_the_selected_profiles(small_directory, pairs):
    save_document(
        _changed(
            small_directory[1], members={"total": 120, "sme": 100, "research_organisations": 7}
        )
    )
    kinds = ("sme", "large_companies", "research_organisations", "other_actors")
    selected = ClusterOrganisation.objects.filter(slug__in=_selected_slugs(pairs))
    rows = list(selected.values_list(*(f"members_{k}" for k in kinds)))
    result = statistics(DirectoryFilters.from_pairs(pairs))
    by_type = next(b for b in result.breakdowns if b.key == "members_by_type")
    assert [r.value for r in by_type.counts] == list(kinds)
    for n, row in enumerate(by_type.counts):
        assert row.count == sum(r[n] or 0 for r in rows), row.value
    assert by_type.not_stated == sum(1 for r in rows if all(v is None for v in r))
    assert sum(r.count for r in by_type.counts) > 0


def test_member_bands_come_in_order(small_directory):
    result = statistics(DirectoryFilters())
    bands = [r.value for r in next(b for b in result.breakdowns if b.key == "members_band").counts]
    order = ["1-24", "25-49", "50-99", "100-249", "250-499", "500-999", "1000+"]
    assert bands == [b for b in order if b in bands] and len(bands) > 2


def test_an_edit_shows_in_the_statistics_at_once(small_directory):
    before = statistics(DirectoryFilters.from_pairs([("country", "PT")])).clusters
    save_document(_changed(small_directory[2], country="PT", regions=["Norte"]))
    assert statistics(DirectoryFilters.from_pairs([("country", "PT")])).clusters == before + 1


def _chart_values(svg: str) -> list[int]:
    """The numbers a pygal chart draws, in its order (its bars' values)."""
    return [
        int(v.replace(",", "")) for v in re.findall(r'<desc class="value">([\d,]+)</desc>', svg)
    ]


@pytest.mark.parametrize("pairs", SELECTIONS)
def test_every_chart_draws_its_breakdowns_numbers(client, small_directory, pairs):
    """Each chart shows the numbers of its table (the largest rows), themselves checked
    against the directory's totals above."""
    html = client.get("/statistics/", pairs).content.decode()
    result = statistics(DirectoryFilters.from_pairs(pairs))
    charts = dict(
        re.findall(r'<section class="breakdown" id="([a-z_]+)">.*?(<svg.*?</svg>)', html, re.S)
    )
    drawn = [b for b in result.breakdowns if b.counts]
    assert set(charts) == {b.key for b in drawn}
    for breakdown in drawn:
        values = _chart_values(charts[breakdown.key])
        if breakdown.key == "established":
            by_year = {int(r.value): r.count for r in breakdown.counts}
            years = range(min(by_year), max(by_year) + 1)
            assert values == [by_year.get(y, 0) for y in years]
        else:
            # pygal draws the first bar at the bottom: the largest row is the last value
            assert values[::-1] == [r.count for r in breakdown.counts[:15]], breakdown.key
        assert 'aria-hidden="true"' in charts[breakdown.key]
        assert "<script" not in charts[breakdown.key]


def test_a_large_directory_gives_the_stale_result_once_while_it_counts_again(
    transactional_db, monkeypatch
):
    """Past SYNC_COUNT_MAX profiles the first request after a write does not wait for the
    count: it has the previous index's result, and a thread counts the new one."""
    from clusterhub.directory.index import wait_for_rebuild
    from clusterhub.statistics import services
    from tests.directory.conftest import profile

    monkeypatch.setattr(services, "SYNC_COUNT_MAX", 0)
    monkeypatch.setattr(services, "_kept", {})  # none of another test's writes
    moved = save_document(profile("Blue Sea Network", country="FR"))
    save_document(profile("Cluster Têxtil do Norte", country="PT"))
    query = DirectoryFilters.from_pairs([("country", "PT")])
    assert statistics(query).clusters == 1
    save_document(_changed(to_document(moved), country="PT"))
    assert statistics(query).clusters == 1  # the previous index's, once
    wait_for_rebuild()
    assert statistics(query).clusters == 2
    assert (
        statistics(DirectoryFilters.from_pairs([("country", "FR")])).clusters == 0
    )  # never asked: counted


def test_a_result_made_of_others_is_made_of_fresh_ones(transactional_db, monkeypatch):
    """The GeoJSON is made of the map: counted behind a request, it must not be made of
    the map's stale result, or it would be kept as the new index's."""
    from clusterhub.directory.index import wait_for_rebuild
    from clusterhub.statistics import services
    from tests.directory.conftest import profile

    monkeypatch.setattr(services, "SYNC_COUNT_MAX", 0)
    monkeypatch.setattr(services, "_kept", {})
    moved = save_document(profile("Blue Sea Network", country="FR"))
    query = DirectoryFilters()
    services.map_of(query)
    services.map_geojson(query)
    save_document(_changed(to_document(moved), country="PT"))
    services.map_geojson(query)  # stale once; counted again behind it, map and all
    wait_for_rebuild()
    assert '"id":"PT"' in services.map_geojson(query)
