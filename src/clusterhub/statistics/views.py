import csv
import math
from functools import lru_cache
from html import escape
from urllib.parse import urlencode

import numpy as np
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clusterhub.core.places import country_label
from clusterhub.directory.query import DirectoryFilters
from clusterhub.directory.views import query_from

from . import geography
from .charts import chart
from .query import Breakdown, MapData, Place
from .services import (
    directory_urls,
    for_reader,
    kept,
    map_for_reader,
    map_of,
    newest_profiles,
    selection_chips,
    statistics,
    synthetic_profiles,
)

ACROSS_BORDERS = "collaborations_across_borders"
MEMBERS_BY_TYPE = "members_by_type"

# A table shows this many rows; the CSV and JSON have them all.
TABLE_ROWS = 25
SHADES = 5  # classes of the map's countries, by count on a logarithmic scale
HOME_SECTORS = 8
HOME_NEWEST = 6


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


def _row_url(pairs: list[tuple[str, str]], key: str, value: str) -> str | None:
    """Where a row of a breakdown leads: the directory filtered to it, the network of a
    pair of countries, nowhere for a kind of member (no filter selects one)."""
    if key == MEMBERS_BY_TYPE:
        return None
    page = reverse("network:page") if key == ACROSS_BORDERS else reverse("directory:list")
    return f"{page}?{urlencode(_without_countries(pairs, key) + _directory_pairs(key, value))}"


@lru_cache(maxsize=256)
def _chart(breakdown_json: str) -> str:
    """A breakdown's chart, drawn once for the same numbers."""
    return chart(Breakdown.model_validate_json(breakdown_json))


def _selection_links(query: DirectoryFilters) -> dict:
    pairs = query.to_pairs()
    within = urlencode(pairs)
    suffix = f"?{within}" if within else ""
    return {
        "chips": selection_chips(query),
        "directory_url": reverse("directory:list") + suffix,
        "statistics_url": reverse("statistics:page") + suffix,
        "map_url": reverse("statistics:map") + suffix,
        "geojson_url": reverse("api:map_geojson") + suffix,
    }


def statistics_page(request):
    query, error = query_from(request, DirectoryFilters)
    result = statistics(query)
    fmt = request.GET.get("format")
    if fmt == "json":  # for programs, as the API: ECCP English labels
        return HttpResponse(result.model_dump_json(), content_type="application/json")
    result = for_reader(result)
    if fmt == "csv":  # for people: headings and labels in their language, keys kept
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="clusterhub-statistics.csv"'
        writer = csv.writer(response)
        writer.writerow([_("breakdown"), _("value"), _("label"), _("count")])
        for breakdown in result.breakdowns:
            for row in breakdown.counts:
                writer.writerow([breakdown.key, row.value, row.label, row.count])
        return response
    pairs = query.to_pairs()
    tables = []
    for breakdown in result.breakdowns:
        rows = breakdown.counts
        if breakdown.key != "established":
            rows = rows[:TABLE_ROWS]
        tables.append({
            "breakdown": breakdown,
            "rows": [(row, _row_url(pairs, breakdown.key, row.value)) for row in rows],
            "more": len(breakdown.counts) - len(rows),
            "chart": _chart(breakdown.model_dump_json()) if breakdown.counts else None,
        })  # fmt: skip
    context = {
        "query": query, "result": result, "tables": tables, "error": error,
        "json_url": f"?{urlencode([*pairs, ('format', 'json')])}",
        "csv_url": f"?{urlencode([*pairs, ('format', 'csv')])}",
        **_selection_links(query),
    }  # fmt: skip
    return render(request, "statistics/page.html", context, status=400 if error else 200)


def _shade(count: int, most: int) -> int:
    """1 to SHADES on a logarithmic scale of the largest count (a few countries hold
    most clusters: a linear scale would leave the others alike)."""
    if most <= 1:
        return SHADES
    return 1 + min(SHADES - 1, int(SHADES * math.log(count) / math.log(most + 1)))


def _legend(most: int) -> list[dict]:
    """The counts each shade stands for (shades no count falls in left out)."""
    lows = []
    for shade in range(1, SHADES + 1):
        low = 1 if shade == 1 else math.ceil((most + 1) ** ((shade - 1) / SHADES))
        while low <= most and _shade(low, most) < shade:  # rounding, either way
            low += 1
        while low > 1 and _shade(low - 1, most) >= shade:
            low -= 1
        if low <= most and _shade(low, most) == shade:
            lows.append((shade, low))
    return [{"shade": shade, "low": low, "high": lows[n + 1][1] - 1 if n + 1 < len(lows) else most}
            for n, (shade, low) in enumerate(lows)]  # fmt: skip


def _described(label: str, count: int, names: list[str]) -> dict:
    more = count - len(names)
    heading = ngettext("%(place)s: %(n)s cluster", "%(place)s: %(n)s clusters", count) % {
        "place": label, "n": count,
    }  # fmt: skip
    tail = ngettext("and %(n)s more", "and %(n)s more", more) % {"n": more} if more > 0 else ""
    return {"heading": heading, "names": names, "more": tail,
            "title": " — ".join([heading, ", ".join([*names, tail] if tail else names)])}  # fmt: skip


def _place(url: str, shape: str, place: Place, kind: str) -> str:
    """One place of the map: a link to the directory with its count and names (as the
    title, and for map.js's panel)."""
    described = _described(place.label, place.count, place.names)
    return (
        f'<a href="{escape(url)}" class="place {kind}" data-heading="{escape(described["heading"])}" '
        f'data-names="{escape("|".join(described["names"]))}" data-more="{escape(described["more"])}">'
        f"{shape}<title>{escape(described['title'])}</title></a>"
    )


def _land(shape) -> str:
    """A country without clusters, named for the reader (Natural Earth's English name
    where it has no ISO code)."""
    return country_label(shape.code) if shape.code else shape.name


def map_figure(found: MapData, query: DirectoryFilters, view_key: str) -> dict:
    """What a map draws: every country of the view shaded by its count, with a link to
    the directory filtered to it, and the regions placed as circles. The SVG is written
    here, not by the template: three hundred places with six values each took the
    template 60 ms, this 5."""
    view = geography.VIEWS[view_key]
    try:
        shapes = geography.shapes(view_key)
    except geography.MapUnavailable:
        return {"view": view, "unavailable": True}
    country_url, region_url = directory_urls(query, "country"), directory_urls(query, "regions")
    by_code = {place.value: place for place in found.countries}
    most = max((p.count for p in found.countries), default=0)
    drawn = []
    for shape in shapes:
        place = by_code.get(shape.code) if shape.code else None
        if place is None:
            drawn.append(
                f'<path d="{shape.path}" class="land"><title>{escape(_land(shape))}</title></path>'
            )
            continue
        path = f'<path d="{shape.path}" class="shade-{_shade(place.count, most)}"/>'
        drawn.append(_place(country_url(place.value), path, place, "country"))
    regions = found.regions
    largest = max((p.count for p in regions), default=1)
    x, y = view.project(np.array([p.longitude for p in regions], dtype=np.float64),
                        np.array([p.latitude for p in regions], dtype=np.float64))  # fmt: skip
    x0, y0, width, height = view.corners
    inside = (x >= x0) & (x <= x0 + width) & (y >= y0) & (y <= y0 + height)
    radius = view.scale * (0.7 + 2.3 * np.sqrt(np.array([p.count for p in regions]) / largest))
    circles = []
    for n in np.flatnonzero(inside)[np.argsort(-radius[inside], kind="stable")].tolist():
        place = regions[n]  # small circles drawn last, over the large
        circle = f'<circle cx="{x[n]:.1f}" cy="{y[n]:.1f}" r="{radius[n]:.1f}"/>'
        circles.append(_place(region_url(place.value), circle, place, "region"))
    svg = f'<g class="countries">{"".join(drawn)}</g><g class="regions">{"".join(circles)}</g>'
    return {"view": view, "view_box": view.view_box, "svg": mark_safe(svg),  # every text escaped above
            "regions": bool(circles), "legend": _legend(most)}  # fmt: skip


def _figure(query: DirectoryFilters, view_key: str) -> dict:
    """The map drawn once per index, query and view (5 to 15 ms to write)."""
    return kept("figure", (view_key,), query, "default",
                lambda index: map_figure(map_for_reader(map_of(query)), query, view_key))  # fmt: skip


def _view_links(query: DirectoryFilters) -> list[tuple[str, str, str]]:
    pairs = query.to_pairs()
    return [(key, str(view.title), f"?{urlencode([*pairs, ('view', key)])}")
            for key, view in geography.VIEWS.items()]  # fmt: skip


def map_page(request):
    query, error = query_from(request, DirectoryFilters)
    view_key = request.GET.get("view", "europe")
    if view_key not in geography.VIEWS:
        view_key = "europe"
    found = map_for_reader(map_of(query))
    country_url, region_url = directory_urls(query, "country"), directory_urls(query, "regions")
    context = {
        "query": query, "found": found, "error": error, "view_key": view_key,
        "figure": _figure(query, view_key), "views": _view_links(query),
        "country_rows": [(p, country_url(p.value)) for p in found.countries],
        "region_rows": [(p, region_url(p.value)) for p in [*found.regions, *found.regions_not_placed]],
        **_selection_links(query),
    }  # fmt: skip
    return render(request, "statistics/map.html", context, status=400 if error else 200)


def home(request):
    query = DirectoryFilters()
    result = for_reader(statistics(query))
    sectors = next(b for b in result.breakdowns if b.key == "sectoral_industries")
    sector_url = directory_urls(query, "sectoral_industries")
    context = {
        "result": result,
        "figure": _figure(query, "europe"),
        "sectors": [(row, sector_url(row.value)) for row in sectors.counts[:HOME_SECTORS]],
        "newest": newest_profiles(HOME_NEWEST),
        "synthetic": synthetic_profiles(),
        **_selection_links(query),
    }  # fmt: skip
    return render(request, "statistics/home.html", context)
