"""/api/statistics and /api/map: the statistics and the map of the organisations a
directory query selects."""

from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from clusterhub.directory.query import DirectoryFilters
from clusterhub.statistics.query import MapFeatures, Statistics
from clusterhub.statistics.services import map_geojson, statistics

from .clusters import InvalidError

router = Router(tags=["statistics"])
map_router = Router(tags=["statistics"])


@router.get("", response={200: Statistics, 422: InvalidError}, summary="Statistics of a selection")
def selection_statistics(request: HttpRequest, filters: Query[DirectoryFilters]):
    """The directory's filters (the parameters of `GET /api/clusters`); each breakdown
    counts the organisations they select, so a count is the directory's total for the
    same filters and that value."""
    return HttpResponse(statistics(filters).model_dump_json(), content_type="application/json")


@map_router.get(
    "",
    response={200: MapFeatures, 422: InvalidError},
    url_name="map_geojson",
    summary="The map of a selection, as GeoJSON",
)
def selection_map(
    request: HttpRequest,
    filters: Query[DirectoryFilters],
    level: Literal["all", "country", "region"] = "all",
):
    """The directory's filters, as for `GET /api/statistics`. A FeatureCollection: each
    country of the selection with its shape (Natural Earth 1:50m) and each region at its
    ISO 3166-2 subdivision's coordinates, with the count, the first names and the
    directory's address filtered to it (`level` keeps countries or regions only)."""
    return HttpResponse(map_geojson(filters, level), content_type="application/geo+json")
