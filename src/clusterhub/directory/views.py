from urllib.parse import urlencode

from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from pydantic import ValidationError

from clusterhub.core import records
from clusterhub.core.validation import format_validation_error
from clusterhub.ingest.services import export as export_profiles
from clusterhub.vocab.translations import value_label

from .query import FACETS, SORTS, DirectoryQuery
from .services import find_facet_values, matching_ids, search


def _url(pairs: list[tuple[str, str]]) -> str:
    return "?" + urlencode(pairs) if pairs else "?"


def page_numbers(page: int, pages: int, around: int = 2) -> list[int | None]:
    """The page numbers a pagination shows: the first, the last and `around` either side
    of the current one; None where numbers are left out."""
    shown = sorted({1, pages, *range(max(1, page - around), min(pages, page + around) + 1)})
    numbers: list[int | None] = []
    for n in shown:
        if numbers and n - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(n)
    return numbers


def list_links(query, result, facet_names: dict) -> dict:
    """Every link of a faceted list's page as a query string: chips, pages, clearing."""
    pairs = [p for p in query.to_pairs() if p[0] != "page"]
    chips = []
    for key, facet in result.facets.items():
        for value in facet.values:
            if value.selected:
                rest = [p for p in pairs if p != (key, value.value)]
                chips.append({"facet": facet_names[key], "label": value_label(value.value, value.label),
                              "url": _url(rest)})  # fmt: skip
    pages = -(-result.total // query.page_size)
    page_url = lambda n: _url(pairs + ([("page", str(n))] if n > 1 else []))  # noqa: E731
    return {
        "chips": chips,
        "clear_url": _url([p for p in pairs if p[0] not in facet_names]),
        "pages": pages,
        "previous_url": page_url(query.page - 1) if query.page > 1 else None,
        "next_url": page_url(query.page + 1) if query.page < pages else None,
        "page_links": [
            {"number": n, "url": page_url(n) if n else None, "current": n == query.page}
            for n in (page_numbers(query.page, pages) if pages > 1 else [])
        ],
        "within": urlencode(pairs),
    }


def list_page(request, query_model, search, facets, sorts, templates: str, **extra):
    """The page of a faceted list (opportunities, calls, news): its query read from the
    address, the results with their links; the results alone for htmx. `templates`:
    the app's folder with `list.html` and `_results.html`."""
    query, error = query_from(request, query_model)
    result = search(query)
    facet_names = {f.key: f.label for f in facets}
    context = {
        "query": query, "result": result, "error": error, "sorts": sorts,
        "facet_names": facet_names, "first": (query.page - 1) * query.page_size + 1,
        **list_links(query, result, facet_names), "download_formats": DOWNLOAD_FORMATS,
        "download_url": f"{templates}:export", **extra,
    }  # fmt: skip
    template = f"{templates}/_results.html" if request.htmx else f"{templates}/list.html"
    return render(request, template, context, status=400 if error else 200)


def _links(query: DirectoryQuery, result) -> dict:
    """Every link of the directory's page: the list's, 'show all' and the suggestion."""
    pairs = [p for p in query.to_pairs() if p[0] != "page"]
    return {
        **list_links(query, result, FACETS),
        "expand_urls": {key: _url([*pairs, ("expand", key)]) for key in FACETS},
        "suggestion_url": _url([(k, v) for k, v in pairs if k != "q"] + [("q", result.suggestion)])
        if result.suggestion
        else None,
    }


def query_from(request, model, params: QueryDict | None = None):
    """The query (`model`, a DirectoryFilters) of a page's query string (or of
    `params`), and the error that made it fall back to the defaults, if any."""
    params = request.GET if params is None else params
    pairs = [(k, v) for k, values in params.lists() for v in values]
    try:
        return model.from_pairs(pairs, ignore_unknown=True), None
    except ValidationError as exc:
        return model(), format_validation_error(exc)


def directory_list(request):
    query, error = query_from(request, DirectoryQuery)
    status = 400 if error else 200
    result = search(query)
    context = {
        "query": query,
        "result": result,
        "facet_names": FACETS,
        "sorts": SORTS,
        "error": error,
        "first": (query.page - 1) * query.page_size + 1,
        **_links(query, result),
        "download_formats": DOWNLOAD_FORMATS,
    }
    template = "directory/_results.html" if request.htmx else "directory/list.html"
    return render(request, template, context, status=status)


def facet_values(request, key: str):
    """The values of one facet matching the words of its search box (`find`), for the
    directory's query (`within`, its query string): a list of checkboxes for htmx, a
    page of links without JavaScript."""
    if key not in FACETS:
        raise Http404(_("No such facet."))
    within = QueryDict(request.GET.get("within", ""))
    query, _error = query_from(request, DirectoryQuery, within)
    find = request.GET.get("find", "")[:100]
    facet = find_facet_values(query, key, find)
    base = [p for p in query.to_pairs() if p[0] != "page"]
    links = [(v, _url([*base, (key, v.value)])) for v in facet.values]
    context = {"key": key, "name": FACETS[key], "find": find, "links": links, "within": within.urlencode(),
               "back_url": _url(base)}  # fmt: skip
    template = "directory/_facet_values.html" if request.htmx else "directory/facet_values.html"
    return render(request, template, context)


# The download menu of every list, in its order.
DOWNLOAD_FORMATS = [
    {"key": "csv", "label": "CSV"},
    {"key": "xlsx", "label": _lazy("Excel (XLSX)")},
    {"key": "json", "label": "JSON"},
    {"key": "jsonl", "label": _lazy("JSON Lines")},
    {"key": "jsonld", "label": _lazy("JSON-LD (schema.org)")},
]


def list_download(request, fmt: str, query_model, selection, export, name: str):
    """A faceted list's selection (every page of it) as a file `name`.<suffix>, through
    its app's export service: `selection(query)` the ids, `export(fmt, out, base_url=…,
    ids=…)` the file (spooled to disk: a large selection costs no memory)."""
    if fmt not in records.DOWNLOADS:
        raise Http404
    query, _error = query_from(request, query_model)
    ids = selection(query)
    base_url = request.build_absolute_uri("/").rstrip("/")
    stream = records.spooled(fmt, lambda out: export(fmt, out, base_url=base_url, ids=ids))
    suffix, media_type = records.DOWNLOADS[fmt]
    return FileResponse(
        stream, as_attachment=True, filename=f"{name}.{suffix}", content_type=media_type
    )


def directory_export(request, fmt: str):
    """The directory's selection as a file: open data, without telephones or emails."""
    return list_download(
        request, fmt, DirectoryQuery, matching_ids, export_profiles, "cluster-organisations"
    )
