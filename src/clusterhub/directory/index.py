"""The facet index: every organisation's facet values as numpy arrays, in memory.

Counting facets is the cost of a faceted directory: 13 facets, each disjunctive (its
counts ignore its own filter), over 100,000 organisations for every request. SQL
GROUP BYs take a second or more at that size; here a count is one `bincount` over
the facet's entries under a boolean mask — about a millisecond.

Each process builds the index once from the database and rebuilds it when
`DirectoryVersion` (bumped in the same transaction as every profile write) moves.
Which facets there are, and what each counts, comes from `facets.FACETS`.
"""

import bisect
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from django.db import connections

from clusterhub.profiles import models as pm

from .backends import backend_for
from .facets import FACETS
from .models import DirectoryVersion
from .text import words

# Text match sets kept per index (see DirectoryIndex.text_matches): those of at least
# this many organisations, up to this many sets (12.5 KB each at 100,000 profiles).
CACHED_MATCHES_MIN = 5000
CACHED_MATCHES_MAX = 256


def _words(size: int) -> int:
    """uint64 words holding one bit per organisation."""
    return (size + 63) // 64


def _packed(mask: np.ndarray) -> np.ndarray:
    """A boolean mask as bits in uint64 words, the layout of `FacetColumn.bitmaps`."""
    bits = np.zeros(_words(len(mask)) * 8, dtype=np.uint8)
    packed = np.packbits(mask)
    bits[: len(packed)] = packed
    return bits.view(np.uint64)


def _unpacked(bits: np.ndarray, size: int) -> np.ndarray:
    """The boolean mask of `size` organisations that `_packed` made into `bits`."""
    return np.unpackbits(bits.view(np.uint8), count=size).view(bool)


@dataclass
class FacetColumn:
    """One facet: its values and, per organisation, the values it has (CSR layout)."""

    values: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    lookup: dict[str, int] = field(default_factory=dict)
    indptr: np.ndarray | None = None
    entries: np.ndarray | None = None  # value index of each entry
    entry_doc: np.ndarray | None = None  # organisation ordinal of each entry
    all_counts: np.ndarray | None = None  # counts over every organisation, once
    label_rank: np.ndarray | None = None  # position of each value in label order
    # Per value, its organisations as bits (rows of uint64 words); None for facets with
    # so many values that reading the entries costs less (regions).
    bitmaps: np.ndarray | None = None

    def value_index(self, value: str, label: str) -> int:
        index = self.lookup.get(value)
        if index is None:
            index = self.lookup[value] = len(self.values)
            self.values.append(value)
            self.labels.append(label)
        return index

    def freeze(self, docs: list[int], values: list[int], size: int) -> None:
        """The CSR arrays from (organisation ordinal, value index) pairs in reading order;
        a value repeated for one organisation counts once, where it first came."""
        docs_a = np.array(docs, dtype=np.int64)
        values_a = np.array(values, dtype=np.int64)
        _, first = np.unique(docs_a * (len(self.values) + 1) + values_a, return_index=True)
        first.sort()
        kept = first[np.argsort(docs_a[first], kind="stable")]
        self.entries = values_a[kept].astype(np.int32)
        self.entry_doc = docs_a[kept].astype(np.int32)
        self.indptr = np.concatenate(([0], np.cumsum(np.bincount(self.entry_doc, minlength=size))))
        words = _words(size)
        if len(self.values) * words < len(self.entries):
            dense = np.zeros((len(self.values), words * 64), dtype=bool)
            dense[self.entries, self.entry_doc] = True
            self.bitmaps = np.packbits(dense, axis=1).view(np.uint64)

    def has(self, value: int, size: int) -> np.ndarray:
        """The organisations having one value (by its index)."""
        return self._having([value], size)

    def mask(self, selected: list[str], size: int) -> np.ndarray:
        """Organisations having any of the selected values (OR within a facet)."""
        return self._having([self.lookup[v] for v in selected if v in self.lookup], size)

    def _having(self, rows: list[int], size: int) -> np.ndarray:
        """Organisations having any of these values (by index)."""
        if self.bitmaps is not None:
            return _unpacked(np.bitwise_or.reduce(self.bitmaps[rows], axis=0), size)
        wanted = np.zeros(len(self.values), dtype=bool)
        wanted[rows] = True
        result = np.zeros(size, dtype=bool)
        result[self.entry_doc[wanted[self.entries]]] = True
        return result

    def top(self, counts: np.ndarray, limit: int) -> tuple[np.ndarray, int]:
        """Up to `limit` value indexes with a count, by count then label; and how many
        values have a count."""
        present = np.flatnonzero(counts)
        if self.label_rank is None:
            order = sorted(range(len(self.labels)), key=lambda i: self.labels[i].casefold())
            self.label_rank = np.empty(len(order), dtype=np.int64)
            self.label_rank[order] = np.arange(len(order))
        ordered = present[np.lexsort((self.label_rank[present], -counts[present]))]
        return ordered[:limit], len(present)

    def counts(self, mask: np.ndarray) -> np.ndarray:
        """How many of the masked organisations have each value."""
        selected = int(np.count_nonzero(mask))
        if selected == len(mask):
            if self.all_counts is None:
                self.all_counts = np.bincount(self.entries, minlength=len(self.values))
            return self.all_counts
        if self.bitmaps is not None and selected * 64 >= len(mask):
            # One AND and popcount per value over 64 organisations a word: a few
            # hundred thousand words for all facets, against millions of entries.
            return np.bitwise_count(self.bitmaps & _packed(mask)).sum(axis=1, dtype=np.int64)
        if selected * 8 < len(mask):
            # Few organisations: read just their entries (CSR slices) instead of
            # testing every entry against the mask.
            docs = np.flatnonzero(mask)
            starts = self.indptr[docs]
            lengths = self.indptr[docs + 1] - starts
            offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
            positions = offsets + np.arange(int(lengths.sum()))
            return np.bincount(self.entries[positions], minlength=len(self.values))
        return np.bincount(self.entries[mask[self.entry_doc]], minlength=len(self.values))

    def values_of(self, doc: int) -> list[int]:
        """The value indexes of one organisation, in reading order."""
        return self.entries[self.indptr[doc] : self.indptr[doc + 1]].tolist()

    def labels_of(self, doc: int) -> list[str]:
        return [self.labels[v] for v in self.values_of(doc)]


@dataclass
class NameWords:
    """The folded words of every name, sorted, each with the organisations having it.

    Names are short, so this fits in memory; matching a name here instead of in the
    database saves a query per search and gives both backends one answer.
    """

    words: list[str]
    indptr: np.ndarray
    docs: np.ndarray  # organisation ordinals, grouped by word

    @classmethod
    def build(cls, names: list[list[str]]) -> "NameWords":
        pairs = sorted({(w, doc) for doc, ws in enumerate(names) for w in ws})
        vocabulary: list[str] = []
        starts: list[int] = []
        for i, (w, _) in enumerate(pairs):
            if not vocabulary or vocabulary[-1] != w:
                vocabulary.append(w)
                starts.append(i)
        indptr = np.array([*starts, len(pairs)], dtype=np.int64)
        docs = np.array([doc for _, doc in pairs], dtype=np.int64)
        return cls(vocabulary, indptr, docs)

    def docs_of(self, word: str) -> np.ndarray | None:
        """The organisations whose name has this word, or None if no name has it."""
        at = bisect.bisect_left(self.words, word)
        if at == len(self.words) or self.words[at] != word:
            return None
        return self.docs[self.indptr[at] : self.indptr[at + 1]]

    def having_all(self, terms: list[str], size: int) -> np.ndarray:
        """Organisations whose name has, for every term, a word starting with it."""
        result = np.ones(size, dtype=bool)
        for term in terms:
            lo = bisect.bisect_left(self.words, term)
            # The first word past every word starting with `term`.
            hi = bisect.bisect_left(self.words, term[:-1] + chr(ord(term[-1]) + 1), lo)
            mask = np.zeros(size, dtype=bool)
            mask[self.docs[self.indptr[lo] : self.indptr[hi]]] = True
            result &= mask
        return result


@dataclass
class DirectoryIndex:
    version: int
    ids: np.ndarray  # organisation ids, ascending; position = ordinal
    slugs: list[str]
    names: list[str]
    countries: list[str | None]
    labels: list[str | None]
    members: np.ndarray  # float, nan when not stated
    established_year: np.ndarray  # float, nan when not stated
    orders: dict[str, np.ndarray]  # sort → ordinals in that order
    name_rank: np.ndarray
    name_length: np.ndarray  # words in the name
    name_words: NameWords
    facets: dict[str, FacetColumn]
    _matches: OrderedDict = field(default_factory=OrderedDict, repr=False)
    _matches_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _by_slug: dict[str, int] | None = field(default=None, repr=False)
    _derived: dict[str, object] = field(default_factory=dict, repr=False)

    @property
    def size(self) -> int:
        return len(self.ids)

    def derived(self, key: str, build: Callable[["DirectoryIndex"], object]) -> object:
        """What another app builds from this index (the resolution's folded names), kept
        as long as the index and no longer: kept in a cache of its own, it held the
        previous index alive until its next use."""
        found = self._derived.get(key)
        if found is None:
            found = self._derived[key] = build(self)
        return found

    def ordinal_of(self, slug: str) -> int | None:
        """The ordinal of a listed (published) profile, by slug."""
        if self._by_slug is None:
            self._by_slug = {s: o for o, s in enumerate(self.slugs)}
        return self._by_slug.get(slug)

    def text_matches(self, terms: list[str], fetch: Callable[[], np.ndarray]) -> np.ndarray:
        """Mask of the organisations matching the words; `fetch()` gives their ids.

        The words most often typed ("cluster", "innovation") match most of the
        directory, and those are the costly sets to read from the full-text index
        (FTS5 walks every entry of every word with the prefix: 10–15 ms at 100,000
        profiles). Large sets are kept, as bits, for the life of this index: until the
        next write.
        """
        key = tuple(terms)
        with self._matches_lock:
            bits = self._matches.get(key)
            if bits is not None:
                self._matches.move_to_end(key)
        if bits is not None:
            return _unpacked(bits, self.size)
        mask = np.zeros(self.size, dtype=bool)
        mask[self.ordinals(fetch())] = True
        if np.count_nonzero(mask) >= CACHED_MATCHES_MIN:
            with self._matches_lock:
                self._matches[key] = _packed(mask)
                while len(self._matches) > CACHED_MATCHES_MAX:
                    self._matches.popitem(last=False)
        return mask

    def ordinals(self, ids: np.ndarray) -> np.ndarray:
        """Ordinals of these organisation ids (ids unknown to the index are left out)."""
        positions = np.searchsorted(self.ids, ids)
        inside = positions < self.size
        positions, ids = positions[inside], ids[inside]
        return positions[self.ids[positions] == ids]


def _collect(rows, position: dict[int, int], column: FacetColumn, size: int) -> None:
    """(organisation id, value, label) rows → the facet's arrays, repeats dropped."""
    docs, values = [], []
    for org_id, value, label in rows:
        docs.append(position[org_id])
        values.append(column.value_index(value, label))
    column.freeze(docs, values, size)


def build_index(alias: str) -> DirectoryIndex:
    version = current_version(alias)
    orgs = list(
        pm.ClusterOrganisation.objects.using(alias)
        .filter(status=pm.Status.PUBLISHED)  # the directory lists published profiles only
        .order_by("pk")
        .values_list(
            "pk", "slug", "name", "country", "cluster_excellence_label__label",
            "members_total", "established", "updated_at",
        )
    )  # fmt: skip
    size = len(orgs)
    position = {row[0]: i for i, row in enumerate(orgs)}
    ids = np.array([row[0] for row in orgs], dtype=np.int64)
    members = np.array([np.nan if r[5] is None else r[5] for r in orgs], dtype=np.float64)
    founded = np.array([np.nan if r[6] is None else r[6].year for r in orgs], dtype=np.float64)
    folded_names = [r[2].casefold() for r in orgs]
    by_name = np.array(
        sorted(range(size), key=lambda i: (folded_names[i], orgs[i][1])), dtype=np.int64
    )
    name_rank = np.empty(size, dtype=np.int64)
    name_rank[by_name] = np.arange(size)
    updated = np.array([r[7].timestamp() for r in orgs], dtype=np.float64)
    orders = {
        "name": by_name,
        # Most members first, unknown last; then by name.
        "members": np.lexsort((name_rank, -np.nan_to_num(members, nan=-1.0))),
        # Oldest first, unknown last.
        "established": np.lexsort((name_rank, np.nan_to_num(founded, nan=9999.0))),
        "updated": np.lexsort((name_rank, -updated)),
    }
    listed = set(position)
    facets = {}
    for spec in FACETS:
        facets[spec.key] = FacetColumn()
        _collect(spec.rows(alias, listed), position, facets[spec.key], size)
    name_words = [words(r[2]) for r in orgs]
    return DirectoryIndex(
        version=version,
        ids=ids,
        slugs=[r[1] for r in orgs],
        names=[r[2] for r in orgs],
        countries=[r[3] or None for r in orgs],
        labels=[r[4] for r in orgs],
        members=members,
        established_year=founded,
        orders=orders,
        name_rank=name_rank,
        name_length=np.array([len(ws) for ws in name_words], dtype=np.int64),
        name_words=NameWords.build(name_words),
        facets=facets,
    )


def current_version(alias: str) -> int:
    found = DirectoryVersion.objects.using(alias).filter(pk=1).values_list("version", flat=True)
    return next(iter(found), 0)


def bump_version(alias: str) -> None:
    """Mark every process's index stale; called inside the writing transaction.

    A random value, not a counter: after a rolled-back write the next write must not
    land on the number an index built inside the rolled-back transaction carries. The
    row is made again if it is gone (a `flush`): without it nothing would move.
    """
    DirectoryVersion.objects.using(alias).update_or_create(
        pk=1, defaults={"version": secrets.randbits(62)}
    )


_cache: dict[str, DirectoryIndex] = {}
_lock = threading.Lock()
_rebuilding: dict[tuple, threading.Thread] = {}

# Up to this many organisations a stale index is rebuilt before the request goes on
# (about 0.3 s at 5,000). Past it, the request is served from the previous index while
# a thread builds the new one (6 s at 100,000): for those few seconds after a write
# the facets and the list are as they were before it, instead of a request stalling.
SYNC_REBUILD_MAX = 5000


def get_index(alias: str = "default") -> DirectoryIndex:
    """This process's index of the database `alias`, rebuilt when the data changed."""
    version = current_version(alias)
    index = _cache.get(alias)
    if index is not None and index.version == version:
        return index
    if index is not None and index.size > SYNC_REBUILD_MAX:
        # Not from inside a write: the thread could not see it, and would only wait
        # for its locks.
        if not connections[alias].in_atomic_block:
            _rebuild_in_background(alias)
        return index
    with _lock:
        index = _cache.get(alias)
        if index is None or index.version != version:
            index = _cache[alias] = _build(alias)
    return index


def _build(alias: str) -> DirectoryIndex:
    index = build_index(alias)
    keep_frequent_matches(index, alias)
    return index


def _rebuild_in_background(alias: str) -> None:
    def rebuild():
        _cache[alias] = _build(alias)

    in_background(("directory", alias), rebuild)


def in_background(key: tuple, build: Callable[[], None]) -> None:
    """Run `build` in a thread, unless one for `key` is running already."""

    def run():
        try:
            build()
        finally:
            connections.close_all()  # this thread's own connections
            with _lock:
                _rebuilding.pop(key, None)

    with _lock:
        if key in _rebuilding:
            return
        thread = _rebuilding[key] = threading.Thread(target=run, daemon=True)
    thread.start()


def wait_for_rebuild(alias: str = "default", timeout: float | None = None) -> None:
    """Block until the background rebuilds of `alias` (if any) are done."""
    for key, thread in list(_rebuilding.items()):
        if key[1] == alias:
            thread.join(timeout)


FREQUENT_WORDS = 64


def keep_frequent_matches(index: DirectoryIndex, alias: str) -> None:
    """Read the match sets of the words in the most profiles now, with the index: they
    are the words typed most, and the slowest to match (10–15 ms each at 100,000
    profiles), which every worker would otherwise pay again after every write."""
    if index.size < CACHED_MATCHES_MIN:
        return  # no set could be large enough to keep
    backend = backend_for(alias)
    for word in backend.frequent_words(FREQUENT_WORDS, CACHED_MATCHES_MIN):
        terms = words(word)
        if terms == [word]:  # a word as the search box would send it
            index.text_matches(terms, lambda t=terms: backend.matches(t))
