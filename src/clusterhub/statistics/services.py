"""The statistics of a selection: one function behind the page, the API and the CSV.

Counted from the directory's index with the directory's own selection (`select`), so
every number is the total the directory shows for the same filters and that value.
Unlike the directory's facets, a breakdown counts the final selection: with
`country=ES` ticked, "by country" shows Spain alone ("statistics of my selection").
"""

from collections import Counter

import numpy as np

from clusterhub.directory.index import Masked
from clusterhub.directory.query import DirectoryFilters
from clusterhub.directory.services import select
from clusterhub.network.services import edges, listed_pairs

from .query import BREAKDOWN_TITLES, BREAKDOWNS, Breakdown, Count, Statistics


def statistics(query: DirectoryFilters, using: str = "default") -> Statistics:
    selection = select(query, using)
    index, final = selection.index, selection.final
    masked = Masked(final)
    clusters = int(np.count_nonzero(final))
    breakdowns = []
    countries = 0
    for key in BREAKDOWNS:
        if key == "established":
            breakdowns.append(_by_year(index, final, clusters))
            continue
        column = index.facets[key]
        counts = column.counts(masked)
        shown, _present = column.top(counts, len(column.values))
        values = [
            Count(value=column.values[i], label=column.labels[i], count=count)
            for i, count in zip(shown.tolist(), counts[shown].tolist(), strict=True)
        ]
        having = int(np.count_nonzero(final & column.having_any(index.size)))
        if key == "country":
            countries = len(values)
        breakdowns.append(
            Breakdown(
                key=key,
                title=str(BREAKDOWN_TITLES[key]),
                counts=values,
                not_stated=clusters - having,
            )
        )
    collaborations, across = _collaborations(index, final, using)
    breakdowns.append(across)
    return Statistics(clusters=clusters, countries=countries, collaborations=collaborations,
                      breakdowns=breakdowns)  # fmt: skip


def _collaborations(index, final: np.ndarray, using: str) -> tuple[int, Breakdown]:
    """How many pairs of selected organisations collaborate (a linked entry of either
    names the other), and those pairs by the pair of countries when the two differ."""
    a, b = listed_pairs(index, edges(using))
    keep = final[a] & final[b]
    low, high = np.minimum(a[keep], b[keep]), np.maximum(a[keep], b[keep])
    pairs = np.unique(low.astype(np.int64) * index.size + high)
    low, high = pairs // index.size, pairs % index.size
    column = index.facets["country"]
    country_of = np.full(index.size, -1, dtype=np.int64)
    country_of[column.entry_doc[: len(column.entries)]] = column.entries
    first, second = country_of[low], country_of[high]
    across = (first >= 0) & (second >= 0) & (first != second)
    codes = np.array(column.values, dtype=object)
    counted = Counter(
        tuple(sorted(p)) for p in zip(codes[first[across]], codes[second[across]], strict=True)
    )
    label = {v: column.labels[i] for i, v in enumerate(column.values)}
    rows = [
        Count(value=f"{x}-{y}", label=f"{label[x]} – {label[y]}", count=n)
        for (x, y), n in sorted(counted.items(), key=lambda item: (-item[1], item[0]))
    ]
    return len(pairs), Breakdown(
        key="collaborations_across_borders", title=str(BREAKDOWN_TITLES["collaborations_across_borders"]),
        counts=rows, not_stated=int(np.count_nonzero(~across)),
    )  # fmt: skip


def _by_year(index, final: np.ndarray, clusters: int) -> Breakdown:
    years = index.established_year[final]
    years = years[~np.isnan(years)].astype(np.int64)
    found, counts = np.unique(years, return_counts=True)
    return Breakdown(
        key="established", title=str(BREAKDOWN_TITLES["established"]),
        counts=[Count(value=str(y), label=str(y), count=c)
                for y, c in zip(found.tolist(), counts.tolist(), strict=True)],
        not_stated=clusters - len(years),
    )  # fmt: skip
