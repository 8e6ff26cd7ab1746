"""The statistics of a selection: one function behind the page, the API and the CSV.

Counted from the directory's index with the directory's own selection (`select`), so
every number is the total the directory shows for the same filters and that value.
Unlike the directory's facets, a breakdown counts the final selection: with
`country=ES` ticked, "by country" shows Spain alone ("statistics of my selection").
"""

import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import numpy as np
from django.db import connections
from django.urls import reverse
from django.utils.translation import get_language
from pydantic import BaseModel

from clusterhub.core.places import country_label, country_name
from clusterhub.directory.index import MEMBER_TYPES, Masked, get_index, in_background
from clusterhub.directory.query import FACETS, DirectoryFilters
from clusterhub.directory.services import select
from clusterhub.network.services import linked_ordinals
from clusterhub.profiles.schema import MEMBER_BANDS
from clusterhub.vocab.translations import value_label

from .geography import country_geometries, region_position
from .query import (
    BREAKDOWN_TITLES,
    BREAKDOWNS,
    MEMBER_TYPE_LABELS,
    Breakdown,
    Count,
    CountryProperties,
    MapData,
    Place,
    RegionPlace,
    RegionProperties,
    Statistics,
)

# The names a place on the map shows (hover or tap), alphabetically.
NAMES_SHOWN = 5
# Results kept per process, for the index they were counted in: the home page, the map
# and the statistics of the whole directory are asked far more often than written. A
# write makes them stale; the least recently used go first past these many of a kind
# (a map's GeoJSON is up to a megabyte of shapes, the others tens of kilobytes).
KEPT_RESULTS = {"statistics": 64, "map": 64, "geojson": 8, "figure": 16}
# Past this many published profiles, a result a write made stale is given once more
# while a thread counts it again for the new index (the directory's index does the same
# past its SYNC_REBUILD_MAX): counting the home page again after a write takes 0.2–0.4 s
# at 100,000 profiles, seconds at 1,000,000, and every process would wait for it.
SYNC_COUNT_MAX = 50_000
STALE_WRITES_MAX = 100  # a stale result given is behind by at most these many writes


@dataclass
class _Kept:
    state: tuple[int, int]  # the index's (version, seq)
    results: OrderedDict = field(default_factory=OrderedDict)
    stale: OrderedDict = field(default_factory=OrderedDict)  # of an index before
    stale_seq: int = 0  # that index's


_kept: dict[tuple[str, str], _Kept] = {}
_kept_lock = threading.Lock()
BAND_ORDER = {band: n for n, (band, _low, _high) in enumerate(MEMBER_BANDS)}


def kept(kind: str, key: tuple, query: DirectoryFilters, using: str, compute: Callable):
    """`compute(index)` for the current index and this query, kept until a write makes
    another index (see SYNC_COUNT_MAX for what a large directory gives meanwhile)."""
    index = get_index(using)
    state = (index.version, index.seq)
    key = (*key, query.model_dump_json(), get_language())
    with _kept_lock:
        store = _kept.get((kind, using))
        found = stale = None
        if store is not None:
            if store.state == state:
                found = store.results.get(key)
                if store.stale_seq >= state[1] - STALE_WRITES_MAX:
                    stale = store.stale.get(key)
            elif state[1] - STALE_WRITES_MAX <= store.state[1] < state[1]:
                stale = store.results.get(key)
        if found is not None:
            store.results.move_to_end(key)
            return found
    large = index.listed > SYNC_COUNT_MAX
    counting = getattr(_counting, "active", False)  # a result made of others: all fresh
    if stale is not None and large and not counting and not connections[using].in_atomic_block:
        in_background(("statistics", using, kind, key),
                      lambda: _store(kind, using, state, key, _counted(compute, index)))  # fmt: skip
        return stale
    return _store(kind, using, state, key, _counted(compute, index))


_counting = threading.local()


def _counted(compute: Callable, index):
    """`compute(index)`, the results it asks `kept` for counted for this index too (the
    GeoJSON of a stale map would be kept as the new one's)."""
    before = getattr(_counting, "active", False)
    _counting.active = True
    try:
        return compute(index)
    finally:
        _counting.active = before


def _store(kind: str, using: str, state: tuple[int, int], key: tuple, found):
    with _kept_lock:
        store = _kept.get((kind, using))
        if store is None or store.state != state:  # the first result of this index
            store = _kept[(kind, using)] = (
                _Kept(state, stale=store.results, stale_seq=store.state[1])
                if store
                else _Kept(state)
            )
        store.results[key] = found
        while len(store.results) > KEPT_RESULTS[kind]:
            store.results.popitem(last=False)
    return found


def statistics(query: DirectoryFilters, using: str = "default") -> Statistics:
    return kept("statistics", (), query, using, lambda index: _statistics(query, using, index))


def _statistics(query: DirectoryFilters, using: str, index) -> Statistics:
    selection = select(query, using, index)
    index, final = selection.index, selection.final
    masked = Masked(final)
    clusters = int(np.count_nonzero(final))
    breakdowns = []
    countries = 0
    for key in BREAKDOWNS:
        if key == "established":
            breakdowns.append(_by_year(index, final, clusters))
            continue
        if key == "members_by_type":
            breakdowns.append(_members_by_type(index, final, clusters))
            continue
        column = index.facets[key]
        counts = column.counts(masked)
        shown, _present = column.top(counts, len(column.values))
        if key == "members_band":  # bands in order, not largest first
            shown = sorted(shown.tolist(), key=lambda i: BAND_ORDER.get(column.values[i], 0))
            shown = np.array(shown, dtype=np.int64)
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
    a, b = linked_ordinals(index, using)
    keep = final[a] & final[b]
    low, high = np.minimum(a[keep], b[keep]), np.maximum(a[keep], b[keep])
    # Sorted and deduplicated by hand: NumPy 2.4's `unique` hashes, 14 times slower on
    # 400,000 pairs (0.28 s against 0.02).
    pairs = np.sort(low.astype(np.int64) * index.size + high)
    first_of_each = np.ones(len(pairs), dtype=bool)
    first_of_each[1:] = pairs[1:] != pairs[:-1]
    pairs = pairs[first_of_each]
    low, high = pairs // index.size, pairs % index.size
    column = index.facets["country"]
    country_of = _country_of(index)
    first, second = country_of[low], country_of[high]
    across = (first >= 0) & (second >= 0) & (first != second)
    # Each pair of countries as one number: the places of its codes in alphabetical
    # order, the first one first (ties of a count come in that order).
    codes = np.array(column.values, dtype=object)
    by_place = np.argsort(codes)  # place in order → value index
    place = np.argsort(by_place)  # value index → place in order
    x, y = place[first[across]], place[second[across]]
    found, counts = np.unique(np.minimum(x, y) * len(codes) + np.maximum(x, y), return_counts=True)
    order = np.lexsort((found, -counts))  # most first
    rows = []
    for pair, n in zip(found[order].tolist(), counts[order].tolist(), strict=True):
        i, j = (int(by_place[k]) for k in divmod(pair, len(codes)))
        rows.append(Count(value=f"{codes[i]}-{codes[j]}",
                          label=f"{column.labels[i]} – {column.labels[j]}", count=n))  # fmt: skip
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


def _members_by_type(index, final: np.ndarray, clusters: int) -> Breakdown:
    """The members of each kind summed over the selection; `not_stated`, the
    organisations stating no kind at all."""
    stated = np.zeros(index.size, dtype=bool)
    counts = []
    for kind in MEMBER_TYPES:
        members = index.member_types[kind][final]
        known = ~np.isnan(members)
        stated[final] |= known
        counts.append(Count(value=kind, label=str(MEMBER_TYPE_LABELS[kind]),
                            count=int(members[known].sum())))  # fmt: skip
    return Breakdown(
        key="members_by_type", title=str(BREAKDOWN_TITLES["members_by_type"]), counts=counts,
        not_stated=clusters - int(np.count_nonzero(stated)),
    )  # fmt: skip


def _country_of(index) -> np.ndarray:
    """Each ordinal's value index in the country facet, -1 where none is stated."""
    column = index.facets["country"]
    country_of = np.full(index.size, -1, dtype=np.int64)
    country_of[column.entry_doc[: len(column.entries)]] = column.entries
    return country_of


def _places(index, final: np.ndarray, key: str) -> list[tuple[int, int, np.ndarray]]:
    """(value index, count, ordinals in name order) of each value of a facet that the
    selection has, largest first."""
    column = index.facets[key]
    docs = column.entry_doc[: len(column.entries)]
    values = column.entries[: len(column.entries)]
    chosen = final[docs]
    docs, values = docs[chosen], values[chosen]
    counts = np.bincount(values, minlength=len(column.values))
    order = np.lexsort((index.name_rank[docs], values))
    docs = docs[order]
    starts = np.concatenate(([0], np.cumsum(counts)))
    shown, _present = column.top(counts, len(column.values))
    return [(v, int(counts[v]), docs[starts[v] : starts[v + 1]]) for v in shown.tolist()]


def for_reader(result: Statistics) -> Statistics:
    """The statistics as the page's reader reads them: titles, countries, languages and
    vocabulary terms in their language. Counts are kept once for every language (and the
    API's JSON keeps the English labels); the words are put on here."""

    def label(key: str, row: Count) -> str:
        if key == "collaborations_across_borders":
            return " – ".join(country_label(code) for code in row.value.split("-"))
        if key == "members_by_type":
            return str(MEMBER_TYPE_LABELS[row.value])
        return value_label(row.value, row.label)

    breakdowns = [
        b.model_copy(update={
            "title": str(BREAKDOWN_TITLES[b.key]),
            "counts": [c.model_copy(update={"label": label(b.key, c)}) for c in b.counts],
        })
        for b in result.breakdowns
    ]  # fmt: skip
    return result.model_copy(update={"breakdowns": breakdowns})


def map_for_reader(found: MapData) -> MapData:
    """A map's places named for the page's reader (countries and regions in their
    language)."""
    countries = [
        p.model_copy(update={"label": value_label(p.value, p.label)}) for p in found.countries
    ]
    return found.model_copy(update={"countries": countries})


def map_of(query: DirectoryFilters, using: str = "default") -> MapData:
    """Where the organisations a directory query selects are: by country, and by
    region where a region names an ISO 3166-2 subdivision (placed at its coordinates).
    Counts are the directory's totals for the same filters and that place."""
    return kept("map", (), query, using, lambda index: _map_of(query, using, index))


def _map_of(query: DirectoryFilters, using: str, index) -> MapData:
    selection = select(query, using, index)
    index, final = selection.index, selection.final

    def place(key: str, value: int, count: int, ordinals: np.ndarray) -> dict:
        column = index.facets[key]
        return {"value": column.values[value], "label": column.labels[value], "count": count,
                "names": [index.names[o] for o in ordinals[:NAMES_SHOWN].tolist()]}  # fmt: skip

    countries = [Place(**place("country", *found)) for found in _places(index, final, "country")]
    country_of = _country_of(index)
    codes = index.facets["country"].values
    regions, not_placed = [], []
    for value, count, ordinals in _places(index, final, "regions"):
        found = place("regions", value, count, ordinals)
        # Most frequent country first: where two countries have a region of that name.
        stated = country_of[ordinals]
        frequent = np.bincount(stated[stated >= 0], minlength=len(codes))
        ranked = [codes[c] for c in np.argsort(-frequent, kind="stable").tolist() if frequent[c]]
        position = region_position(found["label"], ranked)
        if position is None:
            not_placed.append(Place(**found))
            continue
        subdivision, latitude, longitude = position
        regions.append(RegionPlace(**found, country=subdivision.split("-")[0],
                                   subdivision=subdivision, latitude=latitude,
                                   longitude=longitude))  # fmt: skip
    return MapData(clusters=int(np.count_nonzero(final)), countries=countries, regions=regions,
                   regions_not_placed=not_placed)  # fmt: skip


def newest_profiles(limit: int = 6, using: str = "default") -> list[dict]:
    """The published profiles added last (the highest ids the directory lists): slug,
    name, country, country_name."""
    index = get_index(using)
    listed = np.flatnonzero(index.live)
    ids = index.ids[listed]
    if len(ids) > limit:  # the `limit` highest ids, without sorting them all
        top = np.argpartition(-ids, limit)[:limit]
        listed, ids = listed[top], ids[top]
    newest = listed[np.argsort(-ids)]
    return [
        {"slug": index.slugs[o], "name": index.names[o], "country": index.countries[o],
         "country_name": country_name(index.countries[o]) if index.countries[o] else ""}
        for o in newest.tolist()
    ]  # fmt: skip


def synthetic_profiles(using: str = "default") -> int:
    """How many published profiles are synthetic demo data."""
    index = get_index(using)
    return int(np.count_nonzero(index.synthetic & index.live))


def selection_chips(query: DirectoryFilters, using: str = "default") -> list[tuple[str, str]]:
    """(facet, value label) of each facet value a query ticks: "Country", "Spain"."""
    index = get_index(using)
    chips = []
    for key, value in query.to_pairs():
        if key in FACETS:
            column = index.facets[key]
            at = column.lookup.get(value)
            chips.append((FACETS[key], column.labels[at] if at is not None else value))
    return chips


def directory_urls(query: DirectoryFilters, key: str) -> Callable[[str], str]:
    """The directory's address for the query's selection narrowed to one value of a
    facet (the query's own values of that facet give way to it), by value."""
    pairs = [(k, v) for k, v in query.to_pairs() if k != key]
    start = f"{reverse('directory:list')}?{urlencode(pairs)}{'&' if pairs else ''}"
    return lambda value: start + urlencode([(key, value)])


def map_geojson(query: DirectoryFilters, level: str = "all", using: str = "default") -> str:
    """The map of a selection as GeoJSON text (`level`: country, region or all), in the
    shape of `MapFeatures` (the API's schema; the tests validate it against it). Each
    country's shape is written as JSON once a process: through geojson-pydantic's models
    each answer took 0.4 s, validating and writing every shape again."""
    return kept("geojson", (level,), query, using, lambda index: _map_geojson(query, level, using))


def _feature(id_: str, geometry: str, properties: BaseModel) -> str:
    return f'{{"type":"Feature","id":{json.dumps(id_)},"geometry":{geometry},"properties":{properties.model_dump_json()}}}'


def _map_geojson(query: DirectoryFilters, level: str, using: str) -> str:
    found = map_of(query, using)
    features = []
    if level in ("all", "country"):
        shapes, url = country_geometries(), directory_urls(query, "country")
        for place in found.countries:
            properties = CountryProperties(**place.model_dump(), directory=url(place.value))
            features.append(_feature(place.value, shapes.get(place.value, "null"), properties))
    if level in ("all", "region"):
        url = directory_urls(query, "regions")
        for place in found.regions:
            point = json.dumps({"type": "Point", "coordinates": [place.longitude, place.latitude]})
            properties = RegionProperties(**place.model_dump(), directory=url(place.value))
            features.append(_feature(place.subdivision, point, properties))
    return f'{{"type":"FeatureCollection","features":[{",".join(features)}]}}'
