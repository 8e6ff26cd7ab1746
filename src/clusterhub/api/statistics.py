"""/api/statistics: the statistics of the organisations a directory query selects."""

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from clusterhub.directory.query import DirectoryFilters
from clusterhub.statistics.query import Statistics
from clusterhub.statistics.services import statistics

from .clusters import InvalidError

router = Router(tags=["statistics"])


@router.get("", response={200: Statistics, 422: InvalidError}, summary="Statistics of a selection")
def selection_statistics(request: HttpRequest, filters: Query[DirectoryFilters]):
    """The directory's filters (the parameters of `GET /api/clusters`); each breakdown
    counts the organisations they select, so a count is the directory's total for the
    same filters and that value."""
    return HttpResponse(statistics(filters).model_dump_json(), content_type="application/json")
