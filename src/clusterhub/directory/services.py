"""The directory search: one function behind the HTML list, the API, the CLI and export."""

import time
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import connections

from clusterhub.core.alphabet import in_reader_order
from clusterhub.core.metrics import FACETS_SECONDS, SEARCH_SECONDS
from clusterhub.vocab.translations import value_label

from .backends import backend_for
from .expansion import Clause, clauses, suggestion
from .index import DirectoryIndex, Masked, get_index
from .lexicon import Term
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
from .text import query_words, snippet, words


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


def _facet(index: DirectoryIndex, key: str, masked: Masked, query: DirectoryQuery) -> Facet:
    column = index.facets[key]
    counts = column.counts(masked)
    selected = set(getattr(query, key))
    limit = len(column.values) if key in query.expand else query.facet_limit
    shown, present = column.top(counts, limit)
    # Plain dicts, validated at once: a tenth of the cost of a model each (14 facets of
    # up to 10 values a search).
    values = [
        {"value": column.values[i], "label": column.labels[i], "count": count,
         "selected": column.values[i] in selected}
        for i, count in zip(shown.tolist(), counts[shown].tolist(), strict=True)
    ]  # fmt: skip
    listed = {v["value"] for v in values}
    for value in sorted(selected - listed):  # a ticked value stays visible, even at 0
        i = column.lookup.get(value)
        label = column.labels[i] if i is not None else value
        count = int(counts[i]) if i is not None else 0
        values.append({"value": value, "label": label, "count": count, "selected": True})
    return Facet.model_validate(
        {"values": values, "truncated": present > limit, "timed_out": False}
    )


# Past this many candidates in one rank, words are too common for their rank to mean
# much, and ranking them all would cost more than the rest of the search: they come by
# name, without a score.
RANK_LIMIT = 5000
# Scoring reads every organisation the terms match (FTS5 walks the whole match, then
# keeps the ids asked): past this many, about 3 ms at 300,000 profiles, the text
# matches are not scored and come by name.
RANK_SCAN_MAX = 20_000
# Where an organisation matched every word: all in its name, some in a facet label
# (its country, sector, region…), or in its text only. See docs/search.md.
IN_NAME, IN_LABEL, IN_TEXT = 0, 1, 2
TIERS = 3
# A rank no organisation has (the worst is 3 levels × 12 words × TIERS + IN_TEXT).
NOT_SELECTED = 255


@dataclass
class TextMatch:
    clauses: list[Clause]
    # Per ordinal: the sum of the levels its words were found at (0 the word, its forms
    # or synonyms; 1 a word it begins; 2 a typo), times TIERS, plus the tier — the
    # lower, the better (only read for the organisations matched). At most 3 levels a
    # word and MAX_QUERY_WORDS words: a byte holds it.
    rank: np.ndarray
    in_text: int  # organisations whose text has one of the terms

    @property
    def terms(self) -> list[Term]:
        return [t for c in self.clauses for t in c.terms]

    @property
    def highlighted(self) -> list[str]:
        """The words to mark in snippets: every word of every term."""
        return list(dict.fromkeys(w for t in self.terms for w in t.words))


@dataclass
class Selection:
    """What a query selects, before ordering and paging."""

    index: DirectoryIndex
    base: np.ndarray  # words and ranges
    filters: dict[str, np.ndarray]  # one mask per facet with ticked values
    final: np.ndarray  # base and every facet filter
    text: TextMatch | None


def _name_ordinals(index: DirectoryIndex, terms: tuple[Term, ...]) -> list[np.ndarray]:
    """The organisations whose name has one of the terms, as ordinals (few)."""
    found = [index.name_words.ordinals(term) for term in terms]
    return [ordinals for ordinals in found if len(ordinals)]


def _bytes(mask: np.ndarray) -> np.ndarray:
    return mask.view(np.uint8)


def _text_match(index: DirectoryIndex, clauses: list[Clause], using: str):
    """The organisations matching every clause (in their text, name or labels), and
    the rank of each.

    Ranks are counted with whole-array arithmetic on bytes, never by assigning through a
    mask: `level[mask] = n` branches on every organisation, 4.6 ms at 1,000,000 for a
    mask of random bits, where adding a mask's bytes takes 0.08 ms."""
    backend = backend_for(using)
    matched = index.live.copy()
    in_text = np.zeros(index.size, dtype=bool)
    levels = np.zeros(index.size, dtype=np.uint8)
    tier = np.zeros(index.size, dtype=np.uint8)
    for clause in clauses:
        # Found at this level or a better one. An organisation's level is the first
        # it is found at: one for every level it was not found at yet (all if never).
        found = np.zeros(index.size, dtype=bool)
        labels, names = None, []
        for terms in clause.levels:
            if terms:
                text = index.text_matches(
                    terms, lambda t=terms: backend.matches(t), backend.keep_sets_from
                )
                in_text |= text
                found |= text
                in_labels = index.label_matches(terms)
                if in_labels is not None:
                    found |= in_labels
                    labels = in_labels if labels is None else labels | in_labels
                names += _name_ordinals(index, terms)
            levels += _bytes(~found)
        matched &= found
        # The clause's tier: in a name, else in a label, else in the text only; the
        # organisation's is the worst of its clauses'.
        if labels is None and not names:
            tier[:] = IN_TEXT
            continue
        clause_tier = np.full(index.size, IN_TEXT, dtype=np.uint8)
        if labels is not None:
            clause_tier -= _bytes(labels)  # IN_LABEL
        for ordinals in names:
            clause_tier[ordinals] = IN_NAME
        np.maximum(tier, clause_tier, out=tier)
    levels *= TIERS
    levels += tier
    return matched, TextMatch(clauses, levels, int(np.count_nonzero(in_text)))


def select(
    query: DirectoryFilters,
    using: str = "default",
    index: DirectoryIndex | None = None,
    among: Collection[int] | None = None,
) -> Selection:
    """The organisations matching the words, ranges and facet filters of a query (in
    `index`, default: the current one), only those of the ids `among` if given (an
    event's participants)."""
    index = index or get_index(using)
    typed = query_words(query.q)
    text = None
    if typed:
        base, text = _text_match(index, clauses(typed, index.lexicon), using)
    else:
        base = index.live.copy()
    if among is not None:
        within = np.zeros(index.size, dtype=bool)
        within[index.ordinals(np.fromiter(among, dtype=np.int64))] = True
        base &= within
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


def _disjunctive(selection: Selection, key: str) -> np.ndarray:
    """The organisations a facet counts: every filter but the facet's own (the final
    selection itself for a facet without one: not to be changed)."""
    if key not in selection.filters:
        return selection.final
    mask = selection.base.copy()
    for other, other_mask in selection.filters.items():
        if other != key:
            mask &= other_mask
    return mask


def find_facet_values(query: DirectoryQuery, key: str, find: str, using: str = "default"):
    """The values of one facet whose label, in English or the reader's language, has every
    word of `find` (as the beginning of a word: "gal" finds Galicia, "autom" Automoción), with their counts for the query: the search box of a
    long facet (Region has hundreds of values)."""
    selection = select(query, using)
    column = selection.index.facets[key]
    counts = column.counts(Masked(_disjunctive(selection, key)))
    wanted = words(find)
    selected = set(getattr(query, key))
    values = []
    for i in column.top(counts, len(column.values))[0].tolist():
        label = column.labels[i]
        label_words = words(label) + words(value_label(column.values[i], label))
        if all(any(w.startswith(t) for w in label_words) for t in wanted):
            values.append(FacetValue(value=column.values[i], label=column.labels[i],
                                     count=int(counts[i]), selected=column.values[i] in selected))  # fmt: skip
    return Facet(values=values, truncated=False, timed_out=False)


@SEARCH_SECONDS.time()
def search(
    query: DirectoryQuery, using: str = "default", among: Collection[int] | None = None
) -> DirectoryResult:
    selection = select(query, using, among=among)
    index, final, text = selection.index, selection.final, selection.text
    total = int(np.count_nonzero(final))

    start = (query.page - 1) * query.page_size
    page, scores = _page(selection, query.sort, start, start + query.page_size, using)
    items = _items(index, page, scores, text, using)

    facets: dict[str, Facet] = {}
    counting = time.perf_counter()
    deadline = counting + settings.DIRECTORY_FACET_TIMEOUT
    final_masked = Masked(final)
    for key in FACETS:
        if time.perf_counter() > deadline:
            facets[key] = Facet(values=[], truncated=False, timed_out=True)
            continue
        mask = _disjunctive(selection, key)
        facets[key] = _facet(index, key, final_masked if mask is final else Masked(mask), query)
    FACETS_SECONDS.observe(time.perf_counter() - counting)
    return DirectoryResult(
        total=total, page=query.page, page_size=query.page_size, items=items, facets=facets,
        suggestion=_suggestion(query, index, using) if not total and text else None,
    )  # fmt: skip


def _suggestion(query: DirectoryQuery, index: DirectoryIndex, using: str) -> str | None:
    """The words likely meant, when they find something and the words typed did not."""
    typed = query_words(query.q)
    meant = suggestion(typed, index.lexicon)
    if meant == typed:
        return None
    q = " ".join(meant)
    if not select(query.model_copy(update={"q": q}), using, index=index).final.any():
        return None
    return q


def _page(selection: Selection, sort: str, start: int, end: int, using: str):
    """The ordinals of one page, in the query's order, and the text scores known."""
    index, final, text = selection.index, selection.final, selection.text
    if text is None or sort != "relevance":
        ordered = index.orders["name" if sort == "relevance" else sort]
        return ordered.select(final, end)[start:], {}
    # By rank (fewest typos, then name, label, text), each rank by name; only the ranks
    # the page falls in are ordered further. Unselected organisations get the rank no
    # one has (NOT_SELECTED), by arithmetic: `rank[final]` reads a mask at every place,
    # 5.6 ms at 1,000,000 profiles, and a `bincount` of the ranks 3 ms, where each of
    # these whole-array steps takes a tenth of a millisecond.
    ranks = text.rank | (_bytes(~final) * np.uint8(NOT_SELECTED))
    by_name = index.orders["name"]
    page, scores, position = [], {}, 0
    scored = text.in_text <= RANK_SCAN_MAX
    rank = int(ranks.min()) if len(ranks) else NOT_SELECTED  # an empty directory
    while rank < NOT_SELECTED and position < end:
        in_rank = ranks == rank
        count = int(np.count_nonzero(in_rank))
        if position + count > start:
            by_score = rank % TIERS == IN_TEXT and count <= RANK_LIMIT and scored
            # Ordered further, the whole rank is read; by name, only as far as the page goes.
            whole = rank % TIERS == IN_NAME or by_score
            members = by_name.select(in_rank, None if whole else end - position)
            if rank % TIERS == IN_NAME:  # the shortest names, the closest matches, first
                members = members[np.argsort(index.name_length[members], kind="stable")]
            elif by_score:
                found = backend_for(using).scores(text.terms, index.ids[members].tolist())
                scores.update(found)
                rank_of = np.array([-found.get(i, 0.0) for i in index.ids[members].tolist()])
                members = members[np.argsort(rank_of, kind="stable")]
            page.append(members[max(0, start - position) : end - position])
        position += count
        # The next rank present: the least of the ranks less this one and one, as bytes
        # (the ranks up to this one wrap round to 255 − rank and above, past the others).
        rank += 1 + int((ranks - np.uint8(rank + 1)).min())
    page = np.concatenate(page) if page else np.array([], dtype=np.int64)
    missing = [int(index.ids[o]) for o in page.tolist() if int(index.ids[o]) not in scores]
    if missing and np.count_nonzero(final) <= RANK_LIMIT and scored:  # few enough: say how well
        scores.update(backend_for(using).scores(text.terms, missing))
    return page, scores


def _bodies(using: str, ids: list[int]) -> dict[int, str]:
    """The texts snippets are cut from, by organisation id: one statement written once,
    where composing the ORM's took 0.2 ms a search."""
    connection = connections[using]
    table = connection.ops.quote_name(SearchDocument._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT organisation_id, body FROM {table} WHERE organisation_id IN "
            f"({', '.join(['%s'] * len(ids))})",
            ids,
        )
        return dict(cursor.fetchall())


def _items(index, page: np.ndarray, scores: dict, text: TextMatch | None, using: str):
    terms = text.highlighted if text else []
    bodies = _bodies(using, index.ids[page].tolist()) if terms and len(page) else {}
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
                synthetic=bool(index.synthetic[o]),
            )
        )
    return items


def matching_ids(
    query: DirectoryQuery, using: str = "default", among: Collection[int] | None = None
) -> list[int]:
    """Ids of every organisation the query selects (all pages; of `among` only, as
    `search` takes it) — for export."""
    selection = select(query, using, among=among)
    return selection.index.ids[selection.final].tolist()


def filter_menus(query: DirectoryFilters, keys: tuple[str, ...], using: str = "default") -> list:
    """One drop-down per facet key (directory/_filter_menus.html): every value the facet
    has, labelled and sorted for the reader, and the values the query selects."""
    index = get_index(using)
    menus = []
    for key in keys:
        column = index.facets[key]
        labelled = (
            (value, value_label(value, label))
            for value, label in zip(column.values, column.labels, strict=True)
        )
        choices = in_reader_order(labelled, key=lambda choice: choice[1])
        menus.append({"key": key, "label": FACETS[key], "choices": choices,
                      "selected": set(getattr(query, key))})  # fmt: skip
    return menus
