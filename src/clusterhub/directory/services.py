"""The directory search: one function behind the HTML list, the API, the CLI and export."""

import time

import numpy as np
from django.conf import settings

from .backends import backend_for
from .index import DirectoryIndex, get_index
from .models import SearchDocument
from .query import FACETS, DirectoryQuery, DirectoryResult, Facet, FacetValue, SearchItem
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
    shown = np.flatnonzero(counts).tolist()
    shown.sort(key=lambda i: (-counts[i], column.labels[i].casefold()))
    limit = len(shown) if key in query.expand else query.facet_limit
    values = [
        FacetValue(value=column.values[i], label=column.labels[i], count=int(counts[i]),
                   selected=column.values[i] in selected)
        for i in shown[:limit]
    ]  # fmt: skip
    listed = {v.value for v in values}
    for value in sorted(selected - listed):  # a ticked value stays visible, even at 0
        i = column.lookup.get(value)
        label = column.labels[i] if i is not None else value
        count = int(counts[i]) if i is not None else 0
        values.append(FacetValue(value=value, label=label, count=count, selected=True))
    return Facet(values=values, truncated=len(shown) > limit, timed_out=False)


def matching(query: DirectoryQuery, using: str = "default"):
    """(index, matching ordinals in the query's order, per-organisation text scores)."""
    index = get_index(using)
    base = np.ones(index.size, dtype=bool)
    terms = query_words(query.q)
    scores = None
    if terms:
        found = backend_for(using).match(terms)
        keep = np.isin(found.ids, index.ids)
        ordinals = index.ordinals(found.ids[keep])
        text = np.zeros(index.size, dtype=bool)
        text[ordinals] = True
        base &= text
        scores = (ordinals, found.rank[keep], found.name_hit[keep])
    for mask in (
        _range_mask(index.members, query.members_min, query.members_max),
        _range_mask(index.established_year, query.established_from, query.established_to),
    ):
        if mask is not None:
            base &= mask
    return index, base, scores


def search(query: DirectoryQuery, using: str = "default") -> DirectoryResult:
    index, base, scores = matching(query, using)
    selected = query.selected()
    filters = {key: index.facets[key].mask(values, index.size) for key, values in selected.items()}
    final = base.copy()
    for mask in filters.values():
        final &= mask
    total = int(final.sum())

    order, score_of = _ordered(index, final, scores, query.sort)
    start = (query.page - 1) * query.page_size
    page = order[start : start + query.page_size]
    items = _items(index, page, score_of, query, using)

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


def _ordered(index: DirectoryIndex, final: np.ndarray, scores, sort: str):
    """Matching ordinals in order, and ordinal → score for text searches."""
    score_of = {}
    if scores is not None:
        ordinals, rank, name_hit = scores
        keep = final[ordinals]
        ordinals, rank, name_hit = ordinals[keep], rank[keep], name_hit[keep]
        score_of = dict(zip(ordinals.tolist(), (-rank).tolist(), strict=True))
        if sort == "relevance":
            # Organisations whose name has every word come first, the shortest names
            # (the closest matches) first; then the others by the backend's rank.
            # Ties go by name. The first tier is the same on every backend.
            name_length = np.where(name_hit, index.name_length[ordinals], 0)
            rank = np.where(name_hit, 0.0, rank)
            by = np.lexsort((index.name_rank[ordinals], rank, name_length, ~name_hit))
            return ordinals[by], score_of
    key = "name" if sort == "relevance" else sort
    ordered = index.orders[key]
    return ordered[final[ordered]], score_of


def _items(index, page: np.ndarray, score_of: dict, query: DirectoryQuery, using: str):
    terms = query_words(query.q)
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
        body = bodies.get(int(index.ids[o]), "")
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
                score=round(score_of[o], 6) if o in score_of else None,
            )
        )
    return items


def matching_ids(query: DirectoryQuery, using: str = "default") -> list[int]:
    """Ids of every organisation the query selects (all pages) — for export."""
    index, base, _ = matching(query, using)
    for key, values in query.selected().items():
        base &= index.facets[key].mask(values, index.size)
    return index.ids[base].tolist()
