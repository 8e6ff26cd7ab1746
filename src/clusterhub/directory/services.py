"""The directory search: one function behind the HTML list, the API, the CLI and export."""

import time
from dataclasses import dataclass

import numpy as np
from django.conf import settings

from .backends import backend_for
from .index import DirectoryIndex, get_index
from .models import SearchDocument
from .query import (
    FACETS,
    DirectoryFilters,
    DirectoryQuery,
    DirectoryResult,
    Facet,
    FacetValue,
    SearchItem,
)
from .text import query_words, snippet


def _range_mask(values: np.ndarray, low: int | None, high: int | None) -> np.ndarray | None:
    if low is None and high is None:
        return None
    with np.errstate(invalid="ignore"):
        mask = ~np.isnan(values)
        if low is not None:
            mask &= values >= low
        if high is not None:
            mask &= values <= high
    return mask


def _facet(index: DirectoryIndex, key: str, mask: np.ndarray, query: DirectoryQuery) -> Facet:
    column = index.facets[key]
    counts = column.counts(mask)
    selected = set(getattr(query, key))
    limit = len(column.values) if key in query.expand else query.facet_limit
    shown, present = column.top(counts, limit)
    values = [
        FacetValue.model_construct(value=column.values[i], label=column.labels[i],
                                   count=int(counts[i]), selected=column.values[i] in selected)
        for i in shown.tolist()
    ]  # fmt: skip
    listed = {v.value for v in values}
    for value in sorted(selected - listed):  # a ticked value stays visible, even at 0
        i = column.lookup.get(value)
        label = column.labels[i] if i is not None else value
        count = int(counts[i]) if i is not None else 0
        values.append(FacetValue(value=value, label=label, count=count, selected=True))
    return Facet(values=values, truncated=present > limit, timed_out=False)


# Past this many candidates words are too common for their rank to mean much, and
# ranking them all would cost more than the rest of the search: after the name
# matches they come by name, without a score.
RANK_LIMIT = 5000


@dataclass
class TextMatch:
    terms: list[str]
    in_name: np.ndarray  # per organisation ordinal: does its name have every word


@dataclass
class Selection:
    """What a query selects, before ordering and paging."""

    index: DirectoryIndex
    base: np.ndarray  # words and ranges
    filters: dict[str, np.ndarray]  # one mask per facet with ticked values
    final: np.ndarray  # base and every facet filter
    text: TextMatch | None


def select(
    query: DirectoryFilters, using: str = "default", index: DirectoryIndex | None = None
) -> Selection:
    """The organisations matching the words, ranges and facet filters of a query (in
    `index`, default: the current one)."""
    index = index or get_index(using)
    terms = query_words(query.q)
    text = None
    if terms:
        backend = backend_for(using)
        base = index.text_matches(terms, lambda: backend.matches(terms))
        text = TextMatch(terms, index.name_words.having_all(terms, index.size) & base)
    else:
        base = np.ones(index.size, dtype=bool)
    for mask in (
        _range_mask(index.members, query.members_min, query.members_max),
        _range_mask(index.established_year, query.established_from, query.established_to),
    ):
        if mask is not None:
            base &= mask
    filters = {
        key: index.facets[key].mask(values, index.size) for key, values in query.selected().items()
    }
    final = base.copy()
    for mask in filters.values():
        final &= mask
    return Selection(index, base, filters, final, text)


def search(query: DirectoryQuery, using: str = "default") -> DirectoryResult:
    selection = select(query, using)
    index, base, filters, final, text = (
        selection.index,
        selection.base,
        selection.filters,
        selection.final,
        selection.text,
    )
    total = int(final.sum())

    start = (query.page - 1) * query.page_size
    page, scores = _page(selection, total, query.sort, start, start + query.page_size, using)
    items = _items(index, page, scores, text, using)

    facets: dict[str, Facet] = {}
    deadline = time.perf_counter() + settings.DIRECTORY_FACET_TIMEOUT
    for key in FACETS:
        if time.perf_counter() > deadline:
            facets[key] = Facet(values=[], truncated=False, timed_out=True)
            continue
        mask = base.copy()  # disjunctive: every filter but this facet's own
        for other, other_mask in filters.items():
            if other != key:
                mask &= other_mask
        facets[key] = _facet(index, key, mask, query)
    return DirectoryResult(
        total=total, page=query.page, page_size=query.page_size, items=items, facets=facets
    )


def _page(selection: Selection, total: int, sort: str, start: int, end: int, using: str):
    """The ordinals of one page, in the query's order, and the text scores known."""
    index, final, text = selection.index, selection.final, selection.text
    if text is None or sort != "relevance":
        ordered = index.orders["name" if sort == "relevance" else sort]
        page = ordered[final[ordered]][start:end]
        return page, _scores(index, text, page, total, using)
    # Organisations whose name has every word come first, the shortest names (the
    # closest matches) first, then by name: the same on every backend.
    by_name = index.orders["name"]
    hits = by_name[(final & text.in_name)[by_name]]
    hits = hits[np.argsort(index.name_length[hits], kind="stable")]
    if end <= len(hits):
        page = hits[start:end]
        return page, _scores(index, text, page, total, using)
    # Then the others by the backend's rank (BM25 / ts_rank), ties by name.
    rest = by_name[(final & ~text.in_name)[by_name]]
    scores = {}
    if len(rest) <= RANK_LIMIT:
        scores = backend_for(using).scores(text.terms, index.ids[rest].tolist())
        rank = np.array([-scores.get(i, 0.0) for i in index.ids[rest].tolist()])
        rest = rest[np.argsort(rank, kind="stable")]
    page = np.concatenate((hits, rest))[start:end]
    missing = [o for o in page.tolist() if int(index.ids[o]) not in scores]
    return page, scores | _scores(index, text, np.array(missing, dtype=np.int64), total, using)


def _scores(index, text: TextMatch | None, page: np.ndarray, total: int, using: str) -> dict:
    """Scores of a page's organisations; none when the words are too common to rank."""
    if text is None or not len(page) or total > RANK_LIMIT:
        return {}
    return backend_for(using).scores(text.terms, index.ids[page].tolist())


def _items(index, page: np.ndarray, scores: dict, text: TextMatch | None, using: str):
    terms = text.terms if text else []
    bodies = {}
    if terms and len(page):
        ids = [int(index.ids[o]) for o in page]
        bodies = dict(
            SearchDocument.objects.using(using)
            .filter(organisation_id__in=ids)
            .values_list("organisation_id", "body")
        )
    items = []
    for o in page.tolist():
        org_id = int(index.ids[o])
        body = bodies.get(org_id, "")
        items.append(
            SearchItem(
                slug=index.slugs[o],
                name=index.names[o],
                country=index.countries[o],
                regions=index.facets["regions"].labels_of(o),
                sectoral_industries=index.facets["sectoral_industries"].labels_of(o),
                cluster_excellence_label=index.labels[o],
                members=None if np.isnan(index.members[o]) else int(index.members[o]),
                snippet=(str(snippet(body, terms)) or None) if terms else None,
                score=round(scores[org_id], 6) if org_id in scores else None,
            )
        )
    return items


def matching_ids(query: DirectoryQuery, using: str = "default") -> list[int]:
    """Ids of every organisation the query selects (all pages) — for export."""
    selection = select(query, using)
    return selection.index.ids[selection.final].tolist()


def filter_menus(query: DirectoryFilters, keys: tuple[str, ...], using: str = "default") -> list:
    """One drop-down per facet key (directory/_filter_menus.html): every value the facet
    has, by label, and the values the query selects."""
    index = get_index(using)
    menus = []
    for key in keys:
        column = index.facets[key]
        choices = sorted(
            zip(column.values, column.labels, strict=True), key=lambda v: v[1].casefold()
        )
        menus.append({"key": key, "label": FACETS[key], "choices": choices,
                      "selected": set(getattr(query, key))})  # fmt: skip
    return menus
