from urllib.parse import urlencode

from django.shortcuts import render
from pydantic import ValidationError

from clusterhub.profiles.schema import format_validation_error

from .query import FACETS, SORTS, DirectoryQuery
from .services import search


def _url(pairs: list[tuple[str, str]]) -> str:
    return "?" + urlencode(pairs) if pairs else "?"


def _links(query: DirectoryQuery, result) -> dict:
    """Every link of the page as a query string: chips, pages, 'show all'."""
    pairs = [p for p in query.to_pairs() if p[0] != "page"]
    chips = []
    for key, facet in result.facets.items():
        for value in facet.values:
            if value.selected:
                rest = [p for p in pairs if p != (key, value.value)]
                chips.append({"facet": FACETS[key], "label": value.label, "url": _url(rest)})
    pages = -(-result.total // query.page_size)
    page_url = lambda n: _url(pairs + ([("page", str(n))] if n > 1 else []))  # noqa: E731
    return {
        "chips": chips,
        "clear_url": _url([p for p in pairs if p[0] not in FACETS]),
        "pages": pages,
        "previous_url": page_url(query.page - 1) if query.page > 1 else None,
        "next_url": page_url(query.page + 1) if query.page < pages else None,
        "expand_urls": {key: _url([*pairs, ("expand", key)]) for key in FACETS},
    }


def query_from(request, model):
    """The query (`model`, a DirectoryFilters) of a page's query string, and the error
    that made it fall back to the defaults, if any."""
    pairs = [(k, v) for k, values in request.GET.lists() for v in values]
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
    }
    template = "directory/_results.html" if request.htmx else "directory/list.html"
    return render(request, template, context, status=status)
