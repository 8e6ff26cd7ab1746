"""Faceted lists of the smaller collections (opportunities, …) with the directory's
query model and result shapes: words, disjunctive facets with counts (OR within a
facet, AND across facets), state in the query string, the same Facet and FacetValue.

The directory's own index (index.py) is built for a million profiles; these lists
hold thousands of items, read from the database per request and counted here (5,000
opportunities: about 40 ms, docs/performance.md).
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Annotated, Literal

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

    item: object
    text: str
    values: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def __post_init__(self):
        self.words = frozenset(fold(self.text).split())


def query_model(name: str, facets: tuple[ListFacet, ...], sorts: tuple[str, ...]):
    """The pydantic model of a list's query: `q`, one repeatable parameter per facet,
    `sort` and `page`, read from and written to query strings like the directory's."""
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


def _matches_words(entry: Entry, words: list[str]) -> bool:
    return all(any(w.startswith(q) for w in entry.words) for q in words)


def _has(entry: Entry, key: str, wanted: set[str]) -> bool:
    return any(value in wanted for value, _label in entry.values.get(key, ()))


def faceted(entries: Iterable[Entry], query, facets: tuple[ListFacet, ...]):
    """(the entries the query selects, in the given order; {facet key: Facet}): each
    facet counted over the entries the query selects without that facet's own filter."""
    words = fold(query.q).split()
    found = [e for e in entries if _matches_words(e, words)]
    selected = {f.key: set(getattr(query, f.key)) for f in facets if getattr(query, f.key)}
    counts: dict[str, Facet] = {}
    for f in facets:
        others = {k: v for k, v in selected.items() if k != f.key}
        counter: Counter = Counter()
        labels: dict[str, str] = {}
        for entry in found:
            if all(_has(entry, k, v) for k, v in others.items()):
                for value, label in dict(entry.values.get(f.key, ())).items():
                    counter[value] += 1
                    labels[value] = label
        chosen = selected.get(f.key, set())
        values = [
            FacetValue(value=v, label=labels[v], count=n, selected=v in chosen)
            for v, n in sorted(counter.items(), key=lambda vn: (-vn[1], labels[vn[0]]))
        ]
        values += [
            FacetValue(value=v, label=v, count=0, selected=True) for v in chosen - set(counter)
        ]
        counts[f.key] = Facet(values=values, truncated=False, timed_out=False)
    result = [e for e in found if all(_has(e, k, v) for k, v in selected.items())]
    return result, counts
