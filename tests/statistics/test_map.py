"""/map/ and /api/map: where the selected clusters are, by country and by region; every
count is the directory's total for the same filters and that place (both databases)."""

import itertools
import re
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest

from clusterhub.directory.query import DirectoryFilters, DirectoryQuery
from clusterhub.directory.services import search
from clusterhub.statistics import geography
from clusterhub.statistics.query import MapFeatures
from clusterhub.statistics.services import map_of
from clusterhub.statistics.views import SHADES, _legend, _shade
from tests.directory.conftest import profile
from tests.documents import save_document
from tests.statistics.conftest import SELECTIONS


def _total(pairs) -> int:
    return search(DirectoryQuery.from_pairs(pairs)).total


def _total_of_url(url: str) -> int:
    """The directory's total for an address (as JSON has it: from HTML, unescape it
    first; "&reg" of "&regions" is an entity too)."""
    return _total(parse_qsl(urlsplit(url).query))


def _names(pairs) -> list[str]:
    """The names the directory lists for a selection, alphabetically."""
    return [
        i.name
        for i in search(
            DirectoryQuery.from_pairs([*pairs, ("sort", "name"), ("page_size", "5")])
        ).items
    ]


@pytest.mark.parametrize("pairs", SELECTIONS)
def test_every_place_counts_the_directorys_total(small_directory, pairs):
    found = map_of(DirectoryFilters.from_pairs(pairs))
    assert found.clusters == _total(pairs) > 0
    own = {k for k, _v in pairs}
    for key, places in (
        ("country", found.countries),
        ("regions", [*found.regions, *found.regions_not_placed]),
    ):
        assert places
        for place in places:
            narrowed = [p for p in pairs if p[0] != key] + [(key, place.value)]
            if key not in own:
                assert place.count == _total(narrowed), (key, place.value)
            assert (
                place.names == _names([*pairs, (key, place.value)])
                if key not in own
                else place.names
            )
    counts = [p.count for p in found.countries]
    assert counts == sorted(counts, reverse=True)


def test_a_region_is_placed_at_its_subdivision(small_directory):
    found = map_of(DirectoryFilters.from_pairs([("country", "ES")]))
    galicia = next(r for r in found.regions if r.label == "Galicia")
    assert (galicia.country, galicia.subdivision) == ("ES", "ES-GA")
    assert 42 < galicia.latitude < 43.5 and -9.5 < galicia.longitude < -6.5
    assert galicia.count == 2  # the seed and the fashion cluster
    assert galicia.names == ["CLUSTER DO AUDIOVISUAL GALEGO", "Clúster de la Moda de Galicia"]


def test_a_region_two_countries_name_is_placed_in_the_country_of_its_clusters(db):
    # "Limburg" is a province of Belgium and of the Netherlands.
    save_document(profile("Limburg Chemistry Cluster", country="NL", regions=["Limburg"]))
    place = map_of(DirectoryFilters()).regions[0]
    assert (place.label, place.subdivision) == ("Limburg", "NL-LI")
    save_document(profile("Limburg Plastics", country="BE", regions=["Limburg"]))
    save_document(profile("Limburg Food", country="BE", regions=["Limburg"]))
    place = map_of(DirectoryFilters()).regions[0]
    assert place.subdivision == "BE-VLI" and place.count == 3


def test_a_country_without_a_shape_has_a_null_geometry(client, db):
    save_document(profile("Tiny Isle Cluster", country="TK"))  # Tokelau: not in Natural Earth
    response = client.get("/api/map", {"level": "country"})
    features = MapFeatures.model_validate_json(response.content).features
    assert [(f.id, f.geometry) for f in features] == [("TK", None)]


def test_a_region_no_subdivision_names_is_listed_apart(db):
    save_document(profile("Somewhere Cluster", country="ES", regions=["Atlantis Valley"]))
    found = map_of(DirectoryFilters())
    assert found.regions == [] and [p.label for p in found.regions_not_placed] == [
        "Atlantis Valley"
    ]


def test_an_edit_shows_on_the_map_at_once(small_directory):
    before = {p.value: p.count for p in map_of(DirectoryFilters()).countries}
    moved = small_directory[3]  # Blue Sea Network, FR
    save_document(type(moved).model_validate({**moved.model_dump(mode="json"), "country": "MT"}))
    after = {p.value: p.count for p in map_of(DirectoryFilters()).countries}
    assert after["MT"] == before.get("MT", 0) + 1
    assert after.get("FR", 0) == before["FR"] - 1


def test_the_page_links_every_country_and_region_to_the_directory(client, small_directory):
    response = client.get("/map/", {"sectoral_industries": "apparel"})
    assert response.status_code == 200
    html = response.content.decode()
    found = map_of(DirectoryFilters.from_pairs([("sectoral_industries", "apparel")]))
    links = re.findall(
        r'<a href="([^"]+)" class="place (country|region)"[^>]*>.*?<title>([^<]*)</title>',
        html,
        re.S,
    )
    assert {kind for _u, kind, _t in links} == {"country", "region"}
    for url, _kind, title in links:
        assert url.startswith("/clusters/?sectoral_industries=apparel&amp;")
        count = int(re.search(r": (\d+) cluster", unescape(title)).group(1))
        assert _total_of_url(unescape(url)) == count
    drawn = {
        parse_qsl(urlsplit(unescape(u)).query)[-1][1] for u, kind, _t in links if kind == "country"
    }
    # every country of the selection the Europe view shows (all of them here but the
    # world's others) is a link; the table lists them all
    assert drawn <= {p.value for p in found.countries} and "PT" in drawn
    for place in found.countries:
        assert f"?sectoral_industries=apparel&amp;country={place.value}" in html
    assert 'href="/statistics/?sectoral_industries=apparel"' in html
    assert 'href="/api/map?sectoral_industries=apparel"' in html


def test_the_world_view_shows_clusters_outside_europe(client, small_directory):
    save_document(profile("Andes Mining Cluster", country="CL", regions=["Antofagasta"]))
    europe = client.get("/map/").content.decode()
    world = client.get("/map/", {"view": "world"}).content.decode()
    assert 'country=CL"' in world and "Antofagasta" in world
    assert "regions=Antofagasta" not in europe  # outside the view: not drawn
    assert 'country=CL"' in europe  # but in the table
    assert client.get("/map/", {"view": "moon"}).status_code == 200  # falls back to Europe


def test_names_are_escaped_in_the_map_and_the_charts(client, db):
    save_document(profile("<script>alert(1)</script> Cluster", country="ES", regions=["<b>Gal</b>"],
                          sectoral_industries=["<img src=x>"]))  # fmt: skip
    for url in ("/map/", "/statistics/", "/"):
        html = client.get(url).content.decode()
        assert (
            "<script>alert" not in html and "<b>Gal</b>" not in html and "<img src=x>" not in html
        )


def test_a_bad_filter_falls_back_with_an_error(client, small_directory):
    response = client.get("/map/", {"established_from": "x"})
    assert response.status_code == 400
    assert "established_from" in response.content.decode()


def test_geojson_has_each_country_with_its_shape_and_each_region_as_a_point(
    client, small_directory
):
    pairs = [("country", "ES"), ("country", "PT")]
    response = client.get("/api/map", pairs)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    assert body["type"] == "FeatureCollection"
    MapFeatures.model_validate_json(response.content)  # the schema the API declares
    found = map_of(DirectoryFilters.from_pairs(pairs))
    countries = [f for f in body["features"] if f["properties"]["kind"] == "country"]
    regions = [f for f in body["features"] if f["properties"]["kind"] == "region"]
    assert [f["id"] for f in countries] == [p.value for p in found.countries] == ["ES", "PT"] or \
        sorted(f["id"] for f in countries) == ["ES", "PT"]  # fmt: skip
    for feature in countries:
        assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
        lon, lat = _first_point(feature["geometry"]["coordinates"])
        assert -32 < lon < 5 and 27 < lat < 44  # Iberia, the Azores, the Canaries
        assert feature["properties"]["count"] == _total_of_url(feature["properties"]["directory"])
    assert len(regions) == len(found.regions) > 0
    for feature in regions:
        assert feature["geometry"]["type"] == "Point"
        assert feature["properties"]["count"] == _total_of_url(feature["properties"]["directory"])
    only = client.get("/api/map", [*pairs, ("level", "region")]).json()["features"]
    assert {f["properties"]["kind"] for f in only} == {"region"}
    assert client.get("/api/map", {"level": "planet"}).status_code == 422


def _first_point(coordinates):
    while isinstance(coordinates[0], list):
        coordinates = coordinates[0]
    return coordinates


def test_views_draw_the_shapes_installed_at_set_up():
    europe = geography.shapes("europe")
    codes = {s.code for s in europe}
    assert {"ES", "FR", "DE", "MT", "LU", "PL", "XK"} <= codes  # Malta too: the 1:50m file
    assert all(re.fullmatch(r"(M-?\d+ -?\d+l[-\d ]*z)+", s.path) for s in europe)
    assert "AQ" not in {s.code for s in geography.shapes("world")}


@pytest.mark.parametrize("most", [1, 2, 3, 7, 14, 100, 5000, 123_457])
def test_the_legend_covers_every_count_once(most):
    legend = _legend(most)
    assert legend[0]["low"] == 1 and legend[-1]["high"] == most
    for step, following in itertools.pairwise(legend):
        assert following["low"] == step["high"] + 1 and following["shade"] > step["shade"]
    for count in {1, most, (most + 1) // 2}:
        step = next(s for s in legend if s["low"] <= count <= s["high"])
        assert _shade(count, most) == step["shade"] <= SHADES
