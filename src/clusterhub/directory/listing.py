"""Faceted lists of the smaller collections (opportunities, …) with the directory's
query model and result shapes: words, disjunctive facets with counts (OR within a
facet, AND across facets), state in the query string, the same Facet and FacetValue.

The directory's own index (index.py) is built for a million profiles; these lists
hold thousands of items. Each process keeps a list's entries (`EntryCache`) until a
row of its table, or of the organisations it names, changes — a one-row aggregate
query a request tells — and counts them in memory: reading and folding 5,000
opportunities from the database on every request took 1.2 s, the kept entries answer
in milliseconds (docs/performance.md, `bench/lists.py`).
"""

import threading
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Annotated, Literal

from django.db.models import Count, Max, Sum
from django.utils import timezone
from pydantic import Field, create_model

from clusterhub.core.folding import fold

from .query import Facet, FacetValue, Values, _Filters


@dataclass(frozen=True)
class ListFacet:
    key: str
    label: str


@dataclass
class Entry:
    """One item of a list: its words (folded) and its values of each facet."""

    item: object  # the row's primary key
    text: str
    values: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    keys: dict[str, tuple] = field(default_factory=dict)  # its place in each sort order

    def __post_init__(self):
        self.words = frozenset(fold(self.text).split())


def query_model(name: str, facets: tuple[ListFacet, ...], sorts: dict[str, str]):
    """The pydantic model of a list's query: `q`, one repeatable parameter per facet,
    `sort` (one of `sorts`, the first by default) and `page`, read from and written to
    query strings like the directory's."""
    sorts = tuple(sorts)
    model = create_model(
        name,
        __base__=_Filters,
        **{f.key: (Values, Field(default=[], description=str(f.label))) for f in facets},
        sort=(Literal[sorts], sorts[0]),
        page=(Annotated[int, Field(ge=1, le=10_000)], 1),
        page_size=(Annotated[int, Field(ge=1, le=100)], 20),
    )
    model.FACET_KEYS = tuple(f.key for f in facets)
    return model


class ListIndex:
    """A list's entries as bitsets (Python ints, bit i for the i-th entry): one per
    word and one per facet value. A query is a few ANDs and ORs and each count a
    popcount: 5,000 opportunities counted in about 2 ms, where looping over the entries
    for each facet took 65 ms (bench/lists.py). Each sort order is a rank per entry."""

    def __init__(self, entries: list[Entry]):
        self.entries = entries
        self.everything = (1 << len(entries)) - 1
        words: dict[str, int] = defaultdict(int)
        self.postings: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.labels: dict[str, dict[str, str]] = defaultdict(dict)
        for at, entry in enumerate(entries):
            bit = 1 << at
            for word in entry.words:
                words[word] |= bit
            for key, pairs in entry.values.items():
                for value, label in pairs:
                    self.postings[key][value] |= bit
                    self.labels[key][value] = label
        self.vocabulary = sorted(words)
        self.words = dict(words)
        self._ranks: dict[str, list[int]] = {}

    def prefixed(self, prefix: str) -> int:
        """The entries with a word that begins with `prefix`."""
        mask = 0
        at = bisect_left(self.vocabulary, prefix)
        while at < len(self.vocabulary) and self.vocabulary[at].startswith(prefix):
            mask |= self.words[self.vocabulary[at]]
            at += 1
        return mask

    def having(self, key: str, values) -> int:
        mask = 0
        for value in values:
            mask |= self.postings.get(key, {}).get(value, 0)
        return mask

    def rank(self, sort: str) -> list[int]:
        if sort not in self._ranks:
            order = sorted(range(len(self.entries)), key=lambda at: self.entries[at].keys[sort])
            ranks = [0] * len(order)
            for rank, at in enumerate(order):
                ranks[at] = rank
            self._ranks[sort] = ranks
        return self._ranks[sort]

    def members(self, mask: int, sort: str) -> list[Entry]:
        """The entries of `mask`, in the order of `sort`."""
        found = []
        while mask:
            low = mask & -mask
            found.append(low.bit_length() - 1)
            mask ^= low
        ranks = self.rank(sort)
        return [self.entries[at] for at in sorted(found, key=ranks.__getitem__)]


def faceted(entries, query, facets: tuple[ListFacet, ...]):
    """(the entries the query selects, in its sort order; {facet key: Facet}): each
    facet counted over the entries the query selects without that facet's own filter.
    `entries`: a ListIndex, or entries to index."""
    index = entries if isinstance(entries, ListIndex) else ListIndex(list(entries))
    found = index.everything
    for word in fold(query.q).split():
        found &= index.prefixed(word)
    selected = {f.key: set(getattr(query, f.key)) for f in facets if getattr(query, f.key)}
    passes = {key: index.having(key, wanted) for key, wanted in selected.items()}
    counts: dict[str, Facet] = {}
    for f in facets:
        within = found
        for key, mask in passes.items():
            if key != f.key:
                within &= mask
        labels = index.labels.get(f.key, {})
        counted = [
            (value, (bits & within).bit_count())
            for value, bits in index.postings.get(f.key, {}).items()
        ]
        chosen = selected.get(f.key, set())
        values = [
            FacetValue(value=v, label=labels[v], count=n, selected=v in chosen)
            for v, n in sorted(counted, key=lambda vn: (-vn[1], labels[vn[0]]))
            if n
        ]
        shown = {v.value for v in values}
        values += [FacetValue(value=v, label=v, count=0, selected=True) for v in chosen - shown]
        counts[f.key] = Facet(values=values, truncated=False, timed_out=False)
    for mask in passes.values():
        found &= mask
    return index.members(found, query.sort), counts


def in_order(rows, pks: list[int]) -> list:
    """The objects of `rows` with these primary keys, in their order (one query): a
    page's items, read fresh from the database."""
    found = rows.in_bulk(pks)
    return [found[pk] for pk in pks if pk in found]


@dataclass
class ListResult:
    total: int
    items: list  # the page's objects, read fresh
    facets: dict[str, Facet]


@dataclass(frozen=True)
class _State:
    rows: int
    versions: int
    changed: object
    names: object
    day: object


class EntryCache:
    """A list's index, kept by each process and brought up to date when its rows change.

    Its state is what one aggregate query says of the whole table (every status, so a
    row leaving the list counts too): the count of rows and the sum of their versions
    (every write of a row raises its version, whatever order transactions commit in),
    the last change, the last change of the organisations its rows name (a renamed
    cluster), and today's date (what is open or closed moves at midnight). A new state
    is caught up by building again only the rows changed since the last one (with a
    minute's margin for transactions that committed late) and those that joined or
    left the list; a renamed organisation or a new day builds everything again.
    """

    MARGIN = timedelta(minutes=1)

    def __init__(self, model, listed: Callable, build: Callable):
        """`listed()`: the rows the list shows (a queryset); `build(rows)`: their entries."""
        self.model, self.listed, self.build = model, listed, build
        self._kept: tuple[_State, ListIndex] | None = None
        self._lock = threading.Lock()

    def state(self) -> _State:
        names = (
            Max("organisation__updated_at") if hasattr(self.model, "organisation") else Max("pk")
        )
        found = self.model.objects.aggregate(
            rows=Count("pk"), versions=Sum("version"), changed=Max("updated_at"), names=names
        )
        return _State(**found, day=timezone.localdate())

    def index(self) -> ListIndex:
        state = self.state()
        kept = self._kept
        if kept and kept[0] == state:
            return kept[1]
        with self._lock:  # one build at a time; the others wait for it, not build again
            kept = self._kept
            if not (kept and kept[0] == state):
                kept = (state, self._caught_up(kept, state))
                self._kept = kept
        return kept[1]

    def search(self, query, facets, items, published_after=None) -> ListResult:
        """The listed rows the query selects, the page's objects read from `items` (a
        queryset); with `published_after`, only those published since (for alerts),
        indexed afresh."""
        index = (
            self.index() if published_after is None
            else self.build(self.listed().filter(published_at__gt=published_after))
        )  # fmt: skip
        found, counts = faceted(index, query, facets)
        start = (query.page - 1) * query.page_size
        page = in_order(items, [e.item for e in found[start : start + query.page_size]])
        return ListResult(len(found), page, counts)

    def selection(self, query, facets) -> list[int]:
        """Every listed row the query selects (all pages), in the list's order: what a
        page's download holds."""
        found, _counts = faceted(self.index(), query, facets)
        return [e.item for e in found]

    def _caught_up(self, kept, state: _State) -> ListIndex:
        if kept is None or (kept[0].names, kept[0].day) != (state.names, state.day):
            return ListIndex(self.build(self.listed()))
        old_state, old = kept
        listed = set(self.listed().values_list("pk", flat=True))
        changed = set(
            self.model.objects.filter(
                updated_at__gte=old_state.changed - self.MARGIN
            ).values_list("pk", flat=True)
        ) if old_state.changed else set()  # fmt: skip
        known = {e.item for e in old.entries}
        again = (changed & listed) | (listed - known)
        entries = [e for e in old.entries if e.item in listed and e.item not in changed]
        entries += self.build(self.listed().filter(pk__in=again))
        return ListIndex(entries)
