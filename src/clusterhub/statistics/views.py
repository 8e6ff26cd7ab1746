import csv
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from clusterhub.directory.query import FACETS, DirectoryFilters
from clusterhub.directory.views import query_from

from .services import statistics

ACROSS_BORDERS = "collaborations_across_borders"

# A table shows this many rows; the CSV and JSON have them all.
TABLE_ROWS = 25


def _directory_pairs(key: str, value: str) -> list[tuple[str, str]]:
    """The directory's parameters selecting one row of a breakdown."""
    if key == "established":
        return [("established_from", value), ("established_to", value)]
    if key == ACROSS_BORDERS:
        return [("country", code) for code in value.split("-")]
    return [(key, value)]


def _without_countries(pairs: list[tuple[str, str]], key: str) -> list[tuple[str, str]]:
    """A pair of countries is shown as the network of their clusters: the selection's own
    countries give way to the pair's."""
    return [p for p in pairs if p[0] != "country"] if key == ACROSS_BORDERS else pairs


def statistics_page(request):
    query, error = query_from(request, DirectoryFilters)
    result = statistics(query)
    fmt = request.GET.get("format")
    if fmt == "json":
        return HttpResponse(result.model_dump_json(), content_type="application/json")
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="clusterhub-statistics.csv"'
        writer = csv.writer(response)
        writer.writerow(["breakdown", "value", "label", "count"])
        for breakdown in result.breakdowns:
            for row in breakdown.counts:
                writer.writerow([breakdown.key, row.value, row.label, row.count])
        return response
    pairs = query.to_pairs()
    directory = reverse("directory:list")
    network = reverse("network:page")
    tables = []
    for breakdown in result.breakdowns:
        rows = breakdown.counts
        if breakdown.key != "established":
            rows = rows[:TABLE_ROWS]
        links = [
            (
                row,
                f"{network if breakdown.key == ACROSS_BORDERS else directory}?"
                f"{urlencode(_without_countries(pairs, breakdown.key) + _directory_pairs(breakdown.key, row.value))}",
            )
            for row in rows
        ]
        tables.append({"breakdown": breakdown, "rows": links,
                       "more": len(breakdown.counts) - len(rows)})  # fmt: skip
    within = urlencode(pairs)
    context = {
        "query": query, "result": result, "tables": tables, "error": error,
        "chips": [(FACETS[k], v) for k, v in pairs if k in FACETS],
        "directory_url": f"{directory}?{within}" if within else directory,
        "json_url": f"?{urlencode([*pairs, ('format', 'json')])}",
        "csv_url": f"?{urlencode([*pairs, ('format', 'csv')])}",
    }  # fmt: skip
    return render(request, "statistics/page.html", context, status=400 if error else 200)
