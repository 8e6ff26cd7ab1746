"""The facet index: every organisation's facet values as numpy arrays, in memory.

Counting facets is the cost of a faceted directory: 14 facets, each disjunctive (its
counts ignore its own filter), over 100,000 organisations for every request. SQL
GROUP BYs take a second or more at that size; here a count is one `bincount` over
the facet's entries under a boolean mask — about a millisecond.

Each process builds the index once from the database (before gunicorn forks, so the
workers share it). After that a write does not rebuild it: as a search engine keeps
segments and a deletion set, every write logs the organisations it changed
(`DirectoryChange`, in commit order), and each process, on its next request, reads
those few organisations and makes a new index that marks their old entries deleted
(`live`) and appends their new ones. Appending writes past the end of arrays allocated
with room to spare, which the previous index never reads: it stays whole for the
requests still using it, and the memory shared between workers stays shared. When the
room is used up, or a tenth of the entries are deleted ones, the index is built again
(in a thread past SYNC_REBUILD_MAX organisations).
"""

import bisect
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from hashlib import blake2b

import numpy as np
from django.db import connections
from stop_words import get_stop_words

from clusterhub.core.places import country_names
from clusterhub.profiles import models as pm
from clusterhub.vocab.translations import label_translations

from .backends import backend_for
from .facets import FACETS
from .lexicon import Lexicon, Term
from .models import DirectoryChange, DirectoryVersion
from .text import words

# Text match sets kept per index (see DirectoryIndex.text_matches): those the backend
# finds worth keeping (`keep_sets_from`: every set on PostgreSQL, the large ones on
# SQLite), the least recently used going first past this many bytes (a set of bits
# takes 14 KB at 100,000 profiles, 140 KB at 1,000,000; one of ordinals four bytes an
# organisation) or this many sets. The number is bounded because each write passes over
# every kept set (`_bring_matches`, about 5 µs a set: 20 ms a worker at 4,096), as many
# as 64 MB of bits holds at 100,000 profiles.
CACHED_MATCHES_BYTES = 64 * 2**20
CACHED_MATCHES_MOST = 4096
# A set is kept as its ordinals (32 bits each) when, with room for this many more (or
# an eighth more), they are fewer than this share of the organisations (one bit each).
KEPT_AS_ORDINALS = 1 / 40
KEPT_ROOM_MIN = 256
# Label matches kept per index, in bytes of their bits (DirectoryIndex.label_matches):
# about 2,700 sets of terms at 100,000 profiles, 270 at 1,000,000.
LABEL_MATCHES_BYTES = 32 * 2**20
LABEL_MATCHES_MOST = 4096
# Room for organisations written after a build: this share of the size, at least
# ROOM_MIN. Arrays are allocated zeroed, so unused room costs no memory.
ROOM_SHARE = 0.1
ROOM_MIN = 4096
# Writes kept in the change log, with their entries (a few KB each): a process further
# behind builds its index again.
CHANGES_KEPT = 10_000
# The first part of an order read for a page (Order.select); each next one twice as long.
ORDER_PART = 1 << 12
# Masks of at most one organisation in this many are ordered by sorting their ordinals.
FEW_SHARE = 64


def _words(size: int) -> int:
    """uint64 words holding one bit per organisation."""
    return (size + 63) // 64


def _packed(mask: np.ndarray, words: int | None = None) -> np.ndarray:
    """A boolean mask as bits in uint64 words, the layout of `FacetColumn.bitmaps`."""
    bits = np.zeros((words or _words(len(mask))) * 8, dtype=np.uint8)
    packed = np.packbits(mask)
    bits[: len(packed)] = packed
    return bits.view(np.uint64)


def _unpacked(bits: np.ndarray, size: int) -> np.ndarray:
    """The boolean mask of `size` organisations that `_packed` made into `bits`."""
    return np.unpackbits(bits.view(np.uint8), count=size).view(bool)


def _mask_of(found: np.ndarray, size: int) -> np.ndarray:
    """The mask of a kept match set: its ordinals (int32) or its bits (uint64)."""
    if found.dtype == np.int32:
        mask = np.zeros(size, dtype=bool)
        mask[found] = True
        return mask
    return _unpacked(found, size)


def _set_bits(bits: np.ndarray, ordinals: list[int]) -> None:
    """Set the bits of these ordinals in packed words (np.packbits' big-endian bytes)."""
    as_bytes = bits.view(np.uint8)
    for o in ordinals:
        as_bytes[o >> 3] |= np.uint8(0x80 >> (o & 7))


class Strings(Sequence):
    """One string (or None) per ordinal: the build's as UTF-8 in one buffer, those
    appended since in a list shared by the indexes that writes make from the build.

    A list of str objects would be written to on every read (CPython counts each
    object's references in the object), and every page a worker touches stops being
    shared with the others: at 100,000 profiles, 27,000 searches added 14 % to the
    server's memory without a single write. Reading from a buffer writes nothing.
    """

    def __init__(self, values: list[str | None]):
        encoded = [b"" if v is None else v.encode() for v in values]
        self._buffer = b"".join(encoded)
        self._ends = np.cumsum([len(e) for e in encoded], dtype=np.int64)
        self._none = np.array([v is None for v in values], dtype=bool)
        self._written: list[str | None] = []

    def __len__(self) -> int:
        return len(self._ends) + len(self._written)

    def __getitem__(self, o):
        if isinstance(o, slice):
            return [self[i] for i in range(*o.indices(len(self)))]
        o = int(o)
        built = len(self._ends)
        if o >= built:
            return self._written[o - built]
        if self._none[o]:
            return None
        start = int(self._ends[o - 1]) if o else 0
        return self._buffer[start : int(self._ends[o])].decode()

    def put(self, start: int, values: list[str | None]) -> None:
        """Set the strings of the ordinals from `start` on, past the build's (past the
        size of the index writing them, so no index reading them sees a change)."""
        built = len(self._ends)
        self._written[start - built :] = values


def _slug_key(slug: str) -> int:
    return int.from_bytes(blake2b(slug.encode(), digest_size=8).digest(), "little") >> 1


class SlugLookup:
    """The build's ordinals by slug: sorted 63-bit hashes of the slugs beside their
    ordinals, made in the master with the index and shared by its workers, where a dict
    made in each worker on its first profile page cost it its own copy (10 MB at
    100,000 profiles) and the first visitor a pause."""

    def __init__(self, slugs: list[str]):
        keys = np.array([_slug_key(s) for s in slugs], dtype=np.int64)
        self.ordinals = np.argsort(keys, kind="stable")
        self.keys = keys[self.ordinals]

    def ordinal(self, slug: str, slugs: Strings) -> int | None:
        key = _slug_key(slug)
        at = int(np.searchsorted(self.keys, key))
        while at < len(self.keys) and self.keys[at] == key:  # a shared hash: compare
            if slugs[self.ordinals[at]] == slug:
                return int(self.ordinals[at])
            at += 1
        return None


class Masked:
    """A mask of organisations, with its count, its bits packed as the bitmaps are and
    its ordinals, each made once for every facet counted under it (most facets of a
    search share one: 1.5 ms of packing at 300,000 profiles, ten times over)."""

    def __init__(self, mask: np.ndarray):
        self.mask = mask
        self.selected = int(np.count_nonzero(mask))
        self._packed: np.ndarray | None = None
        self._ordinals: np.ndarray | None = None

    @property
    def packed(self) -> np.ndarray:
        if self._packed is None:
            self._packed = _packed(self.mask)
        return self._packed

    @property
    def ordinals(self) -> np.ndarray:
        """The ordinals masked, for facets counted from the entries of a few."""
        if self._ordinals is None:
            self._ordinals = np.flatnonzero(self.mask)
        return self._ordinals


class KeptSets:
    """Sets kept for sets of terms (text or label matches), the least recently used
    going first past a budget of bytes or a number of sets. The bytes are counted as
    sets come and go: summed again at each keep, over thousands of sets, they cost more
    than the read a kept set spares. A key is hashed as few times as can be: a tuple of
    a dozen terms takes a microsecond, and a write keeps every set again."""

    def __init__(self, budget: int, most: int):
        self.budget, self.most = budget, most
        self._entries: OrderedDict = OrderedDict()  # terms → (entry, its bytes)
        self.nbytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, terms) -> bool:
        return terms in self._entries

    def __getitem__(self, terms) -> tuple:
        return self._entries[terms][0]

    def costed(self) -> list[tuple]:
        """(terms, entry, its bytes) of every set, the least recently used first."""
        return [(terms, entry, cost) for terms, (entry, cost) in self._entries.items()]

    def extend(self, costed: list[tuple]) -> None:
        """Sets already costed, not kept here yet: a new index's, brought from the one
        before (the same buffers, so the same bytes, within the same bounds)."""
        for terms, entry, cost in costed:
            self._entries[terms] = (entry, cost)
            self.nbytes += cost

    def used(self, terms) -> tuple | None:
        """The entry for the terms, now the most recently used; None if not kept."""
        kept = self._entries.get(terms)
        if kept is None:
            return None
        self._entries.move_to_end(terms)
        return kept[0]

    def put(self, terms, entry: tuple, cost: int) -> None:
        replaced = self._entries.pop(terms, None)
        self.nbytes += cost - (replaced[1] if replaced is not None else 0)
        self._entries[terms] = (entry, cost)
        while self.nbytes > self.budget or len(self._entries) > self.most:
            self.nbytes -= self._entries.popitem(last=False)[1][1]


class Full(Exception):
    """An index has no room left for what a write appends: build it again."""


def _room(size: int) -> int:
    return max(ROOM_MIN, int(size * ROOM_SHARE))


def _buffer(values, capacity: int, dtype) -> np.ndarray:
    buffer = np.zeros(capacity, dtype=dtype)
    buffer[: len(values)] = values
    return buffer


def _appended(view: np.ndarray, values) -> np.ndarray:
    """`view` (the start of a larger buffer) followed by `values`, written into the
    buffer's room; the view itself, which an older index holds, is left as it was."""
    buffer = view.base if view.base is not None else view
    n, extra = len(view), len(values)
    if n + extra > len(buffer):
        raise Full
    buffer[n : n + extra] = values
    return buffer[: n + extra]


@dataclass
class FacetColumn:
    """One facet: its values and, per organisation, the values it has (CSR layout)."""

    values: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    lookup: dict[str, int] = field(default_factory=dict)
    indptr: np.ndarray | None = None
    entries: np.ndarray | None = None  # value index of each entry
    entry_doc: np.ndarray | None = None  # organisation ordinal of each entry
    live_total: int = 0  # organisations not deleted
    all_counts: np.ndarray | None = None  # counts over every live organisation, once
    label_rank: np.ndarray | None = None  # position of each value in label order
    # Per value, its organisations as bits (rows of uint64 words, room included); None
    # for facets with so many values that reading the entries costs less (regions).
    bitmaps: np.ndarray | None = None

    def value_index(self, value: str, label: str) -> int:
        index = self.lookup.get(value)
        if index is None:
            index = self.lookup[value] = len(self.values)
            self.values.append(value)
            self.labels.append(label)
        return index

    def freeze(self, docs: list[int], values: list[int], size: int, capacity: int) -> None:
        """The CSR arrays from (organisation ordinal, value index) pairs in reading order;
        a value repeated for one organisation counts once, where it first came."""
        kept_docs, kept_values = _first_of_each(docs, values, len(self.values))
        room = len(kept_docs) * (capacity - size) // max(size, 1) + 4 * (capacity - size)
        self.entries = _buffer(kept_values, len(kept_docs) + room, np.int32)[: len(kept_docs)]
        self.entry_doc = _buffer(kept_docs, len(kept_docs) + room, np.int32)[: len(kept_docs)]
        indptr = np.concatenate(([0], np.cumsum(np.bincount(kept_docs, minlength=size))))
        self.indptr = _buffer(indptr, capacity + 1, np.int64)[: size + 1]
        self.live_total = size
        words = _words(capacity)
        if len(self.values) * _words(size) < len(self.entries):
            dense = np.zeros((len(self.values), words * 64), dtype=bool)
            dense[self.entries, self.entry_doc] = True
            self.bitmaps = np.packbits(dense, axis=1).view(np.uint64)

    def _bits(self, size: int) -> np.ndarray:
        return self.bitmaps[:, : _words(size)]

    def has(self, value: int, size: int) -> np.ndarray:
        """The organisations having one value (by its index)."""
        return self._having([value], size)

    def mask(self, selected: list[str], size: int) -> np.ndarray:
        """Organisations having any of the selected values (OR within a facet)."""
        return self._having([self.lookup[v] for v in selected if v in self.lookup], size)

    def having_any(self, size: int) -> np.ndarray:
        """Organisations having at least one value of the facet."""
        return np.diff(self.indptr[: size + 1]) > 0

    def _having(self, rows: list[int], size: int) -> np.ndarray:
        """Organisations having any of these values (by index)."""
        if self.bitmaps is not None:
            return _unpacked(np.bitwise_or.reduce(self._bits(size)[rows], axis=0), size)
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

    def counts(self, masked: Masked) -> np.ndarray:
        """How many of the masked organisations (never deleted ones) have each value."""
        if masked.selected == self.live_total:
            if self.all_counts is None:
                self.all_counts = self._counted(masked)
            return self.all_counts
        return self._counted(masked)

    def _counted(self, masked: Masked) -> np.ndarray:
        mask, selected = masked.mask, masked.selected
        if self.bitmaps is not None and selected * 64 >= len(mask):
            # One AND and popcount per value over 64 organisations a word: a few
            # hundred thousand words for all facets, against millions of entries.
            bits = self._bits(len(mask)) & masked.packed
            return np.bitwise_count(bits).sum(axis=1, dtype=np.int64)
        if selected * 8 < len(mask):
            # Few organisations: read just their entries (CSR slices) instead of
            # testing every entry against the mask.
            docs = masked.ordinals
            starts = self.indptr[docs]
            lengths = self.indptr[docs + 1] - starts
            offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
            positions = offsets + np.arange(int(lengths.sum()))
            return np.bincount(self.entries[positions], minlength=len(self.values))
        # Every entry weighed by its organisation's mask: selecting the masked entries
        # first branches once an entry (regions, a 40 % mask, 300,000 profiles: 2.6 ms,
        # weighed 1.25).
        weights = mask[self.entry_doc]
        return np.bincount(self.entries, weights, len(self.values)).astype(np.int64)

    def values_of(self, doc: int) -> list[int]:
        """The value indexes of one organisation, in reading order."""
        return self.entries[self.indptr[doc] : self.indptr[doc + 1]].tolist()

    def labels_of(self, doc: int) -> list[str]:
        return [self.labels[v] for v in self.values_of(doc)]

    def changed(
        self, deleted: list[int], added: list[list[tuple[str, str]]], size: int
    ) -> "FacetColumn":
        """This facet with the organisations at `deleted` gone and new organisations
        appended from ordinal `size` on, one list of (value, label) each."""
        column = replace(self, all_counts=None)
        new_values = {v: label for doc in added for v, label in doc if v not in self.lookup}
        if new_values:  # a value no organisation had: lists and bitmaps of its own
            column.values, column.labels = list(self.values), list(self.labels)
            column.lookup, column.label_rank = dict(self.lookup), None
            for value, label in new_values.items():
                column.value_index(value, label)
            if self.bitmaps is not None:
                extra = np.zeros((len(new_values), self.bitmaps.shape[1]), dtype=np.uint64)
                column.bitmaps = np.concatenate((self.bitmaps, extra))
        docs, values = [], []
        for offset, pairs in enumerate(added):
            for value, _ in pairs:
                docs.append(size + offset)
                values.append(column.lookup[value])
        kept_docs, kept_values = _first_of_each(docs, values, len(column.values))
        column.entries = _appended(self.entries, kept_values)
        column.entry_doc = _appended(self.entry_doc, kept_docs)
        lengths = np.bincount(kept_docs - size, minlength=len(added)) if len(added) else []
        column.indptr = _appended(self.indptr, self.indptr[-1] + np.cumsum(lengths))
        if column.bitmaps is not None:
            if _words(size + len(added)) > column.bitmaps.shape[1]:
                raise Full
            for doc, value in zip(kept_docs.tolist(), kept_values.tolist(), strict=True):
                _set_bits(column.bitmaps[value], [doc])
        column.live_total = self.live_total - len(deleted) + len(added)
        if self.all_counts is not None and not new_values:
            counts = self.all_counts.copy()
            for doc in deleted:
                np.subtract.at(counts, self.values_of(doc), 1)
            np.add.at(counts, kept_values, 1)
            column.all_counts = counts
        return column


def _first_of_each(docs, values, value_count: int) -> tuple[np.ndarray, np.ndarray]:
    """(docs, values) pairs sorted by doc, each pair once, in reading order."""
    docs_a = np.array(docs, dtype=np.int64)
    values_a = np.array(values, dtype=np.int64)
    _, first = np.unique(docs_a * (value_count + 1) + values_a, return_index=True)
    first.sort()
    kept = first[np.argsort(docs_a[first], kind="stable")]
    return docs_a[kept].astype(np.int32), values_a[kept].astype(np.int32)


class WordIndex:
    """Sorted words, each with the things (organisation ordinals, label entries) having
    it; a term is looked up as FTS5 would match it, so memory and database agree."""

    def __init__(self, pairs: list[tuple[str, int]]):
        pairs = sorted(set(pairs))
        self.words: list[str] = []
        starts: list[int] = []
        for i, (w, _) in enumerate(pairs):
            if not self.words or self.words[-1] != w:
                self.words.append(w)
                starts.append(i)
        self.indptr = np.array([*starts, len(pairs)], dtype=np.int64)
        self.things = np.array([thing for _, thing in pairs], dtype=np.int64)

    def having_word(self, word: str, prefix: bool) -> np.ndarray:
        lo = bisect.bisect_left(self.words, word)
        if prefix:  # the first word past every word starting with `word`
            hi = bisect.bisect_left(self.words, word[:-1] + chr(ord(word[-1]) + 1), lo)
        else:
            hi = lo + 1 if lo < len(self.words) and self.words[lo] == word else lo
        return self.things[self.indptr[lo] : self.indptr[hi]]

    def having(self, term: Term) -> np.ndarray:
        """The things having the term (a phrase: all its words)."""
        found = None
        for i, word in enumerate(term.words):
            things = self.having_word(word, term.prefix and i == len(term.words) - 1)
            found = things if found is None else np.intersect1d(found, things)
        return found


@dataclass
class NameWords:
    """The folded words of every name, each with the organisations having it; those
    written since the build in `extra`. Names are short, so this fits in memory;
    matching a name here instead of in the database gives both backends one answer."""

    base: WordIndex
    extra: dict[str, list[int]] = field(default_factory=dict)
    extra_words: list[str] = field(default_factory=list)  # of `extra`, sorted

    @classmethod
    def build(cls, names: list[list[str]]) -> "NameWords":
        return cls(WordIndex([(w, doc) for doc, ws in enumerate(names) for w in ws]))

    def with_names(self, names: dict[int, list[str]]) -> "NameWords":
        extra = {w: list(docs) for w, docs in self.extra.items()}
        for doc, ws in names.items():
            for w in dict.fromkeys(ws):
                extra.setdefault(w, []).append(doc)
        return NameWords(self.base, extra, sorted(extra))

    def docs_of(self, word: str) -> np.ndarray:
        """The organisations (deleted ones too) whose name has this word, ascending: the
        build's in order, then those written since, each write's ordinals past the last."""
        found = self.base.having_word(word, prefix=False)
        if word in self.extra:
            found = np.concatenate((found, np.array(self.extra[word], dtype=np.int64)))
        return found

    def frequent(self, limit: float) -> set[str]:
        """The words in the names of more than `limit` organisations (deleted ones
        too). Asked once an index, so once a write: counting every word of every name
        took 0.1 s of each write at 1,000,000 profiles."""
        counts = np.diff(self.base.indptr)
        found = {self.base.words[i] for i in np.flatnonzero(counts > limit).tolist()}
        for w, docs in self.extra.items():
            if len(self.base.having_word(w, prefix=False)) + len(docs) > limit:
                found.add(w)
        return found

    def ordinals(self, term: Term) -> np.ndarray:
        """The organisations whose name has the term, as ordinals (deleted ones too). A
        name is either the build's or written since, so each part is looked up on its
        own."""
        found = self.base.having(term)
        if not self.extra:
            return found
        written = None
        for i, word in enumerate(term.words):
            matching = self._extra_matching(word, term.prefix and i == len(term.words) - 1)
            hits = {doc for w in matching for doc in self.extra[w]}
            written = hits if written is None else written & hits
        return np.concatenate((found, np.array(sorted(written), dtype=np.int64)))

    def _extra_matching(self, word: str, prefix: bool) -> list[str]:
        """The words of `extra` that are `word` (or begin with it)."""
        lo = bisect.bisect_left(self.extra_words, word)
        if not prefix:
            return self.extra_words[lo : lo + 1] if self.extra_words[lo : lo + 1] == [word] else []
        hi = bisect.bisect_left(self.extra_words, word[:-1] + chr(ord(word[-1]) + 1), lo)
        return self.extra_words[lo:hi]


@cache
def _function_words(language: str) -> frozenset[str]:
    """A language's grammar words (the stop-words package; Galician's are Spanish's and
    Portuguese's): left out of the labels' translations, where "ai" of the Italian "Accesso
    ai finanziamenti" would answer the query "AI" with access to finance."""
    codes = ("es", "pt") if language == "gl" else (language,)
    return frozenset(w for code in codes for s in get_stop_words(code) for w in words(s))


# Facet keys whose labels are searched, and the facet of each label entry.
LABEL_FACETS = tuple(spec.key for spec in FACETS if spec.label_searched)


@dataclass
class LabelWords:
    """The words of the labels of the facets searched by label ("Malta", "Artificial
    Intelligence"), of a country's other names ("España", "Allemagne") and of a term's
    labels in the interface's languages ("Automoción"): which values, of which facet,
    each word finds."""

    words: WordIndex
    entries: list[tuple[str, int]]  # (facet key, value index) of each label entry

    @classmethod
    def build(cls, facets: dict[str, FacetColumn]) -> "LabelWords":
        entries, pairs = [], []
        for key in LABEL_FACETS:
            column = facets[key]
            for i, (value, label) in enumerate(zip(column.values, column.labels, strict=True)):
                names = (label,)
                if key == "country":
                    names = country_names(value)
                elif key == "cluster_excellence_label":
                    names = (f"{label} Label",)  # as pages show it: "Gold Label"
                for name in names:
                    for w in words(name):
                        pairs.append((w, len(entries)))
                for language, name in label_translations(label):
                    grammar = _function_words(language)
                    for w in words(name):
                        if w not in grammar:
                            pairs.append((w, len(entries)))
                entries.append((key, i))
        return cls(WordIndex(pairs), entries)

    def values(self, term: Term) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        for entry in self.words.having(term).tolist():
            key, value = self.entries[entry]
            found.setdefault(key, []).append(value)
        return found

    def all_words(self) -> list[str]:
        return self.words.words


@dataclass
class Written:
    """What a write changed for the index: the organisations now listed (in the build's
    row layout), their facet values and their words, and the ids no longer listed."""

    rows: list[tuple]
    facets: dict[str, list[list[tuple[str, str]]]]
    name_words: list[list[str]]
    body_words: list[list[str]]
    gone: list[int]

    def entries(self) -> dict[int, dict]:
        """Each organisation's part, as the change log holds it (`{"gone": true}`: no
        longer listed)."""
        found: dict[int, dict] = dict.fromkeys(self.gone, GONE)
        for n, row in enumerate(self.rows):
            found[row[0]] = {"row": list(row), "body_words": self.body_words[n],
                             "facets": {key: per_doc[n] for key, per_doc in self.facets.items()}}  # fmt: skip
        return found

    @classmethod
    def of(cls, entries: dict[int, dict]) -> "Written":
        """The write made of these organisations' entries (`entries()`), by id."""
        listed = [entries[i] for i in sorted(entries) if not entries[i].get("gone")]
        rows = [tuple(e["row"]) for e in listed]
        return cls(
            rows=rows,
            facets={spec.key: [e["facets"][spec.key] for e in listed] for spec in FACETS},
            name_words=[words(r[2]) for r in rows],
            body_words=[e["body_words"] for e in listed],
            gone=[i for i, e in entries.items() if e.get("gone")],
        )


GONE = {"gone": True}  # the entry of an organisation a write unlisted


# The members of each kind that statistics sum ("members by type"), in the order shown.
MEMBER_TYPES = ("sme", "large_companies", "research_organisations", "other_actors")
ROW_FIELDS = ("pk", "slug", "name", "country", "cluster_excellence_label__label",
              "members_total", "established", "updated_at",
              *(f"members_{kind}" for kind in MEMBER_TYPES), "synthetic")  # fmt: skip
MEMBER_TYPES_AT = ROW_FIELDS.index(f"members_{MEMBER_TYPES[0]}")  # where they start in a row
SYNTHETIC_AT = ROW_FIELDS.index("synthetic")


@dataclass
class DirectoryIndex:
    version: int  # the last write's token, with `seq` (see DirectoryVersion)
    seq: int
    ids: np.ndarray  # organisation id of each ordinal
    live: np.ndarray  # per ordinal: listed (not deleted nor rewritten since)
    slugs: Strings
    names: Strings
    countries: Strings  # None where not stated
    labels: Strings
    members: np.ndarray  # float, nan when not stated
    member_types: dict[str, np.ndarray]  # MEMBER_TYPES → members of that kind, nan if not stated
    synthetic: np.ndarray  # bool: demo data
    established_year: np.ndarray  # float, nan when not stated
    updated: np.ndarray  # timestamps
    orders: dict[str, "Order"]  # sort → ordinals in that order (deleted ones too)
    name_length: np.ndarray  # words in the name
    name_words: NameWords
    facets: dict[str, FacetColumn]
    label_words: LabelWords
    lexicon: Lexicon
    base_size: int  # ordinals of the build; ids[:base_size] ascending
    moved: dict[int, int] = field(default_factory=dict)  # id → ordinal appended since
    _matches: KeptSets = field(
        default_factory=lambda: KeptSets(CACHED_MATCHES_BYTES, CACHED_MATCHES_MOST), repr=False
    )
    _matches_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _label_matches: KeptSets = field(
        default_factory=lambda: KeptSets(LABEL_MATCHES_BYTES, LABEL_MATCHES_MOST), repr=False
    )
    # slug → ordinal: of the build's ordinals (a SlugLookup, shared by the indexes that
    # writes make from it), and of those appended since.
    _base_slugs: "SlugLookup | None" = field(default=None, repr=False)
    moved_slugs: dict[str, int] = field(default_factory=dict, repr=False)
    _derived: dict[str, object] = field(default_factory=dict, repr=False)
    _name_rank: np.ndarray | None = field(default=None, repr=False)
    _moved_arrays: tuple | None = field(default=None, repr=False)

    @property
    def size(self) -> int:
        """Ordinals, deleted ones included: the length of every mask."""
        return len(self.ids)

    @property
    def listed(self) -> int:
        return int(self.facets[FACETS[0].key].live_total)

    @property
    def name_rank(self) -> np.ndarray:
        """Each ordinal's position in name order."""
        if self._name_rank is None:
            rank = np.empty(self.size, dtype=np.int64)
            rank[self.orders["name"].all()] = np.arange(self.size)
            self._name_rank = rank
        return self._name_rank

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
        found = self.moved_slugs.get(slug)
        if found is None and self._base_slugs is not None:
            found = self._base_slugs.ordinal(slug, self.slugs)
        return found if found is not None and self.live[found] else None

    def text_matches(
        self, terms: tuple[Term, ...], fetch: Callable[[], np.ndarray], keep_from: int
    ) -> np.ndarray:
        """Mask of the organisations having any of the terms; `fetch()` gives their ids.

        The words most often typed ("cluster", "innovation") match most of the
        directory, and those are the costly sets to read from the full-text index
        (FTS5 walks every entry of every word with the prefix: 10–15 ms at 100,000
        profiles); on PostgreSQL even a small set costs a round trip and a heap page a
        match. Sets of at least `keep_from` organisations (the backend's) are kept
        (CACHED_MATCHES_BYTES), as bits or ordinals, and brought up to date by each
        write (`with_written`) rather than read again.
        """
        kept = self._kept(self._matches, terms)
        if kept is not None:
            return _mask_of(kept[1], self.size) & self.live
        ordinals = self.ordinals(fetch())
        mask = np.zeros(self.size, dtype=bool)
        mask[ordinals] = True
        if len(ordinals) >= keep_from:
            self._keep(self._matches, terms, (self.size, self._kept_set(mask, ordinals)))
        return mask

    def _kept_set(self, mask: np.ndarray, ordinals: np.ndarray) -> np.ndarray:
        """A match set as kept: its ordinals (int32, with room for those writes append)
        when they take less memory than its bits (uint64 words). At 1,000,000 profiles
        a set's bits take 137 KB: 64 MB kept 470 sets, fewer than a mix of searches
        asks for, and the least recently used went first, just before being asked again."""
        room = max(KEPT_ROOM_MIN, len(ordinals) // 8)
        if len(ordinals) + room < self.capacity * KEPT_AS_ORDINALS:
            return _buffer(ordinals, len(ordinals) + room, np.int32)[: len(ordinals)]
        return _packed(mask, _words(self.capacity))

    def label_matches(self, terms: tuple[Term, ...]) -> np.ndarray | None:
        """Mask of the organisations having a facet value whose label has one of the
        terms; None when no label has one, as for most words. Kept, as bits with the
        values they stand for, and brought up to date by writes (`with_written`): made
        again for every word typed, a mask per facet over every organisation, it was a
        third of a text search's matching."""
        kept = self._kept(self._label_matches, terms)
        if kept is not None:
            return None if kept[1] is None else _unpacked(kept[1], self.size)
        values: dict[str, set[int]] = {}
        for term in terms:
            for key, found in self.label_words.values(term).items():
                values.setdefault(key, set()).update(found)
        mask = None
        for key, found in values.items():
            having = self.facets[key]._having(sorted(found), self.size)
            mask = having if mask is None else mask | having
        bits = None if mask is None else _packed(mask, _words(self.capacity))
        self._keep(self._label_matches, terms, (self.size, bits, values))
        return mask

    def _kept(self, store: KeptSets, terms: tuple[Term, ...]) -> tuple | None:
        """The entry kept in `store` (text or label matches) for the terms, if it covers
        this index: (the size it covers, its bits, …)."""
        with self._matches_lock:
            kept = store.used(terms)
        return kept if kept is not None and kept[0] >= self.size else None

    def _keep(self, store: KeptSets, terms: tuple[Term, ...], entry: tuple) -> None:
        """Keep an entry (the size it covers, its set, …) in `store`."""
        with self._matches_lock:
            store.put(terms, entry, self._set_cost(entry[1]))

    def _set_cost(self, found: np.ndarray | None) -> int:
        """The bytes of a kept set: a set of ordinals its buffer, any other one of bits."""
        if found is not None and found.dtype == np.int32:
            return (found.base if found.base is not None else found).nbytes
        return _words(self.capacity) * 8

    @property
    def capacity(self) -> int:
        return len(self.ids.base if self.ids.base is not None else self.ids)

    def ordinals(self, ids: np.ndarray) -> np.ndarray:
        """Ordinals of these organisation ids (ids not listed are left out)."""
        found = self.positions(ids)
        return found[found >= 0]

    def positions(self, ids: np.ndarray) -> np.ndarray:
        """The ordinal of each of these organisation ids (any shape), -1 if not listed."""
        shape, ids = ids.shape, ids.reshape(-1)
        base = self.ids[: self.base_size]
        positions = np.searchsorted(base, ids)
        found = np.full(len(ids), -1, dtype=np.int64)
        inside = positions < self.base_size
        hit = inside.copy()
        hit[inside] = base[positions[inside]] == ids[inside]
        found[hit] = positions[hit]
        if self.moved:
            if self._moved_arrays is None:
                moved_ids = np.array(sorted(self.moved), dtype=np.int64)
                moved_ords = np.array([self.moved[i] for i in moved_ids.tolist()], np.int64)
                self._moved_arrays = (moved_ids, moved_ords)
            moved_ids, moved_ords = self._moved_arrays
            at = np.minimum(np.searchsorted(moved_ids, ids), len(moved_ids) - 1)
            again = moved_ids[at] == ids
            found[again] = moved_ords[at[again]]
        found[found >= 0] = np.where(self.live[found[found >= 0]], found[found >= 0], -1)
        return found.reshape(shape)

    def with_written(self, written: Written, version: int, seq: int) -> "DirectoryIndex":
        """A new index with a write's changes: the previous entries of the organisations
        written or deleted marked deleted, the listed ones appended. This index is left
        as it was. Raises Full when there is no room left."""
        gone = [*written.gone, *(r[0] for r in written.rows)]
        deleted = self.ordinals(np.array(gone, dtype=np.int64)).tolist()
        size, added = self.size, len(written.rows)
        if size + added - (self.listed - len(deleted) + added) > _room(self.base_size):
            raise Full  # so many deleted entries that counting them costs
        rows = written.rows
        ids = _appended(self.ids, [r[0] for r in rows])
        live = np.concatenate((self.live, np.ones(added, dtype=bool)))
        live[deleted] = False
        members = _appended(self.members, [_nan(r[5]) for r in rows])
        member_types = {
            kind: _appended(self.member_types[kind], [_nan(r[MEMBER_TYPES_AT + n]) for r in rows])
            for n, kind in enumerate(MEMBER_TYPES)
        }
        synthetic = _appended(self.synthetic, [bool(r[SYNTHETIC_AT]) for r in rows])
        founded = _appended(self.established_year, [_nan(r[6]) for r in rows])
        updated = _appended(self.updated, [r[7] for r in rows])
        self.slugs.put(size, [r[1] for r in rows])  # past this index's size: unread here
        self.names.put(size, [r[2] for r in rows])
        self.countries.put(size, [r[3] for r in rows])
        self.labels.put(size, [r[4] for r in rows])
        name_length = _appended(self.name_length, [len(ws) for ws in written.name_words])
        facets = {
            key: column.changed(deleted, written.facets[key], size)
            for key, column in self.facets.items()
        }
        new_ordinals = list(range(size, size + added))
        index = DirectoryIndex(
            version=version, seq=seq, ids=ids, live=live, slugs=self.slugs, names=self.names,
            countries=self.countries, labels=self.labels, members=members,
            member_types=member_types, synthetic=synthetic, established_year=founded, updated=updated, orders={}, name_length=name_length,
            name_words=self.name_words.with_names(dict(zip(new_ordinals, written.name_words, strict=True))),
            facets=facets, label_words=self.label_words, lexicon=self.lexicon,
            base_size=self.base_size,
            moved={**self.moved, **{r[0]: o for r, o in zip(rows, new_ordinals, strict=True)}},
            _base_slugs=self._base_slugs,
            moved_slugs={**self.moved_slugs, **{r[1]: o for r, o in zip(rows, new_ordinals, strict=True)}},
        )  # fmt: skip
        if any(len(facets[k].values) != len(self.facets[k].values) for k in LABEL_FACETS):
            index.label_words = LabelWords.build(facets)
            self.lexicon.add(index.label_words.all_words())
        index.orders = {key: order.with_appended(new_ordinals, _sort_key(index, key))
                        for key, order in self.orders.items()}  # fmt: skip
        for ws in (*written.name_words, *written.body_words):
            self.lexicon.add(ws)
        self._bring_matches(index, written)
        if index.label_words is self.label_words:  # no new label: the kept matches hold
            self._bring_label_matches(index, written)
        return index

    def _bring_label_matches(self, index: "DirectoryIndex", written: Written) -> None:
        """Give the new index this one's kept label matches, with the bits of the
        organisations it appends that have one of the values each stands for."""
        with self._matches_lock:
            kept = self._label_matches.costed()
        if not kept:
            return
        # Each appended organisation's value indexes, per facet: looked up once a write,
        # not once a kept set.
        having = [
            {key: {index.facets[key].lookup[value] for value, _ in written.facets[key][n]}
             for key in LABEL_FACETS}
            for n in range(len(written.rows))
        ]  # fmt: skip
        brought = []
        for terms, (covers, bits, values), cost in kept:
            if covers != self.size:
                continue  # made by an older index: made again when asked
            if bits is not None:
                hits = [self.size + n for n, doc in enumerate(having)
                        if any(doc[key] & found for key, found in values.items())]  # fmt: skip
                _set_bits(bits, hits)
            brought.append((terms, (index.size, bits, values), cost))
        index._label_matches.extend(brought)

    def _bring_matches(self, index: "DirectoryIndex", written: Written) -> None:
        """Give the new index this one's kept match sets, with the bits of the
        organisations it appends (their words read here, as FTS5 would match them)."""
        with self._matches_lock:
            kept = self._matches.costed()
        if not kept:
            return
        written_words = _WrittenWords(written.name_words, written.body_words)
        brought = []
        for terms, (covers, found), cost in kept:
            if covers != self.size:
                continue  # made by an older index: read again when asked
            hits = sorted(self.size + n for n in written_words.matching(terms))
            if found.dtype == np.int32:
                try:
                    found = _appended(found, hits)
                except Full:
                    continue  # no room left: read again when asked
            else:
                _set_bits(found, hits)
            brought.append((terms, (index.size, found), cost))
        index._matches.extend(brought)


class _WrittenWords:
    """The folded words of the organisations a write appends, to match a kept set's
    terms as the full-text index would: which of them have each word, and each beginning
    of a word. A write passes over every kept set (thousands), each of up to a dozen
    terms: a term is one lookup here, whatever the number written, where bisecting each
    organisation's sorted words cost 20–40 µs a set."""

    def __init__(self, name_words: list[list[str]], body_words: list[list[str]]):
        self.fields = list(zip(name_words, body_words, strict=True))
        self.having: dict[str, set[int]] = {}
        self.beginning: dict[str, set[int]] = {}
        for n, fields in enumerate(self.fields):
            for word in {w for tokens in fields for w in tokens}:
                self.having.setdefault(word, set()).add(n)
                for end in range(1, len(word) + 1):
                    self.beginning.setdefault(word[:end], set()).add(n)

    def matching(self, terms: tuple[Term, ...]) -> set[int]:
        """The organisations written (by their place in the write) having any term."""
        found: set[int] = set()
        for term in terms:
            if len(term.words) == 1:
                found |= (self.beginning if term.prefix else self.having).get(term.words[0], set())
            else:  # a phrase: its words in a row, within one field
                first = self.having.get(term.words[0], set())
                found.update(n for n in first - found
                             if any(term.matches(tokens) for tokens in self.fields[n]))  # fmt: skip
        return found


def _sort_key(index: DirectoryIndex, key: str) -> Callable[[int], tuple]:
    """The key of an ordinal in one order, as `build_index` sorts."""

    def by_name(o: int) -> tuple:
        return (index.names[o].casefold(), index.slugs[o])

    def nan_last(value: float, nan: float) -> float:
        return nan if np.isnan(value) else float(value)

    return {
        "name": by_name,
        "members": lambda o: (-nan_last(index.members[o], -1.0), *by_name(o)),
        "established": lambda o: (nan_last(index.established_year[o], 9999.0), *by_name(o)),
        "updated": lambda o: (-float(index.updated[o]), *by_name(o)),
    }[key]


@dataclass(frozen=True)
class Order:
    """Ordinals in one sort order: the build's, sorted once, and those appended since,
    kept apart (sorted among themselves, each with its place among the build's). A
    write costs a bisect and a copy of the few appended, where putting them into one
    array copied all of it in every process (2.4 ms at 100,000 profiles, four orders)."""

    base: np.ndarray
    extra: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    at: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    # Each built ordinal's place in `base` (made with the build, shared by the orders
    # writes make from it).
    place: np.ndarray | None = None

    def __post_init__(self):
        if self.place is None:
            place = np.empty(len(self.base), dtype=np.int32)
            place[self.base] = np.arange(len(self.base), dtype=np.int32)
            object.__setattr__(self, "place", place)

    def with_appended(self, ordinals: list[int], key: Callable[[int], tuple]) -> "Order":
        """This order with `ordinals` put where `key` sorts them."""
        extra, at = self.extra, self.at
        for o in ordinals:
            k = key(o)
            i = bisect.bisect_left(extra, k, key=key)
            extra = np.insert(extra, i, o)
            at = np.insert(at, i, bisect.bisect_left(self.base, k, key=key))
        return Order(self.base, extra, at, self.place)

    def select(self, mask: np.ndarray, limit: int | None = None) -> np.ndarray:
        """The ordinals of `mask`, in this order; only the first `limit` if given.

        Reading the mask at every place of the order costs 7 ms at 1,000,000 profiles (a
        gather at random places): a few ordinals are sorted by their places instead, and
        for many the order is read in growing parts until `limit` are found (a page of a
        large selection is in the first part)."""
        wanted = len(self.base) + len(self.extra) if limit is None else limit
        if np.count_nonzero(mask) * FEW_SHARE <= len(self.base):
            return self._sorted(np.flatnonzero(mask))[:wanted]
        in_extra = mask[self.extra]
        parts, done, found, step = [], 0, 0, ORDER_PART
        while done < len(self.base):
            part = self.base[done : done + step]
            hits = np.flatnonzero(mask[part])
            parts.append(hits + done)
            found += len(hits)
            done += len(part)
            step *= 2
            if found >= wanted:
                break
        at_base = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        chosen = self.base[at_base]
        # An appended ordinal comes just before the build's one it precedes: those
        # before the first unread one are in place.
        extra = in_extra & (self.at <= done)
        if extra.any():
            before = np.searchsorted(at_base, self.at[extra])
            chosen = np.insert(chosen, before, self.extra[extra])
        return chosen[:wanted]

    def _sorted(self, ordinals: np.ndarray) -> np.ndarray:
        """These ordinals in this order, sorted by their places: a built one by its place
        in `base`, after the appended ones that precede it; an appended one by the
        place it precedes, then by its rank among the appended."""
        built = ordinals < len(self.base)
        place = np.empty(len(ordinals), dtype=np.int64)
        after = np.full(len(ordinals), len(self.extra), dtype=np.int64)
        place[built] = self.place[ordinals[built]]
        if not built.all():
            sorter = np.argsort(self.extra)
            j = sorter[np.searchsorted(self.extra, ordinals[~built], sorter=sorter)]
            place[~built], after[~built] = self.at[j], j
        return ordinals[np.lexsort((after, place))]

    def all(self) -> np.ndarray:
        return np.insert(self.base, self.at, self.extra)


def _nan(value: float | None) -> float:
    return np.nan if value is None else value


def _read_rows(alias: str, ids: list[int] | None = None) -> list[tuple]:
    """The listing of published organisations (all, or those of `ids`), by id: the
    values of ROW_FIELDS, with what the index keeps of each (the year founded, the
    timestamp of the last update), so that the change log can hold them as JSON."""
    found = pm.ClusterOrganisation.objects.using(alias).filter(status=pm.Status.PUBLISHED)
    if ids is not None:
        found = found.filter(pk__in=ids)
    return [
        (pk, slug, name, country or None, label, members,
         established.year if established else None, updated.timestamp(), *kinds)
        for pk, slug, name, country, label, members, established, updated, *kinds
        in found.order_by("pk").values_list(*ROW_FIELDS)
    ]  # fmt: skip


def build_index(alias: str) -> DirectoryIndex:
    seq, version = current_state(alias)
    orgs = _read_rows(alias)  # the directory lists published profiles only
    size = len(orgs)
    capacity = size + _room(size)
    position = {row[0]: i for i, row in enumerate(orgs)}
    ids = _buffer([row[0] for row in orgs], capacity, np.int64)[:size]
    members_a = _buffer([_nan(r[5]) for r in orgs], capacity, np.float64)[:size]
    founded_a = _buffer([_nan(r[6]) for r in orgs], capacity, np.float64)[:size]
    updated = _buffer([r[7] for r in orgs], capacity, np.float64)[:size]
    member_types = {
        kind: _buffer([_nan(r[MEMBER_TYPES_AT + n]) for r in orgs], capacity, np.float64)[:size]
        for n, kind in enumerate(MEMBER_TYPES)
    }
    synthetic = _buffer([bool(r[SYNTHETIC_AT]) for r in orgs], capacity, bool)[:size]
    folded_names = [r[2].casefold() for r in orgs]
    by_name = np.array(
        sorted(range(size), key=lambda i: (folded_names[i], orgs[i][1])), dtype=np.int64
    )
    name_rank = np.empty(size, dtype=np.int64)
    name_rank[by_name] = np.arange(size)
    orders = {
        "name": Order(by_name),
        # Most members first, unknown last; then by name.
        "members": Order(np.lexsort((name_rank, -np.nan_to_num(members_a, nan=-1.0)))),
        # Oldest first, unknown last.
        "established": Order(np.lexsort((name_rank, np.nan_to_num(founded_a, nan=9999.0)))),
        "updated": Order(np.lexsort((name_rank, -updated))),
    }
    listed = set(position)
    facets = {}
    for spec in FACETS:
        column = facets[spec.key] = FacetColumn()
        docs, values = [], []
        for org_id, value, label in spec.rows(alias, listed):
            docs.append(position[org_id])
            values.append(column.value_index(value, label))
        column.freeze(docs, values, size, capacity)
    name_words = [words(r[2]) for r in orgs]
    label_words = LabelWords.build(facets)
    frequency = backend_for(alias).vocabulary()
    for w in label_words.all_words():
        frequency.setdefault(w, 1)
    return DirectoryIndex(
        version=version,
        seq=seq,
        ids=ids,
        live=np.ones(size, dtype=bool),
        slugs=Strings([r[1] for r in orgs]),
        names=Strings([r[2] for r in orgs]),
        countries=Strings([r[3] for r in orgs]),
        labels=Strings([r[4] for r in orgs]),
        members=members_a,
        member_types=member_types,
        synthetic=synthetic,
        established_year=founded_a,
        updated=updated,
        orders=orders,
        name_length=_buffer([len(ws) for ws in name_words], capacity, np.int64)[:size],
        name_words=NameWords.build(name_words),
        facets=facets,
        label_words=label_words,
        lexicon=Lexicon(frequency),
        base_size=size,
        _name_rank=name_rank,
        _base_slugs=SlugLookup([r[1] for r in orgs]),
    )


def read_written(alias: str, ids: list[int]) -> Written:
    """What the index needs of these organisations, as they are now."""
    from .models import SearchDocument

    rows = _read_rows(alias, ids)
    listed = {r[0] for r in rows}
    position = {r[0]: i for i, r in enumerate(rows)}
    facets = {}
    for spec in FACETS:
        per_doc: list[list[tuple[str, str]]] = [[] for _ in rows]
        for org_id, value, label in spec.rows(alias, listed, sorted(listed)):
            per_doc[position[org_id]].append((value, label))
        facets[spec.key] = per_doc
    texts = dict.fromkeys(listed, ("", ""))
    found = SearchDocument.objects.using(alias).filter(organisation_id__in=sorted(listed))
    for org_id, name, body in found.values_list("organisation_id", "name_words", "body_words"):
        texts[org_id] = (name, body)
    return Written(
        rows=rows,
        facets=facets,
        name_words=[words(r[2]) for r in rows],
        body_words=[texts[r[0]][1].split() for r in rows],
        gone=[i for i in ids if i not in listed],
    )


def current_state(alias: str) -> tuple[int, int]:
    """(seq, version) of the last write. Asked on every search: one statement written
    once, where the ORM took a millisecond to compose it (a tenth of a search)."""
    connection = connections[alias]
    table = connection.ops.quote_name(DirectoryVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT seq, version FROM {table} WHERE id = 1")
        return cursor.fetchone() or (0, 0)


# A write of up to this many organisations logs what the index needs of each (its
# entry), read once here instead of by every process; the processes read larger writes
# (imports) from the database themselves.
ENTRIES_MAX = 500


def log_change(alias: str, ids: list[int]) -> None:
    """Log the organisations a write changed, with their entries, and mark every
    process's index stale; called inside the writing transaction, after the rows.

    The version is random, not a counter: after a rolled-back write the next write must
    not land on the token an index built inside the rolled-back transaction carries
    (such an index sees the log disagree and is built again). The row is made again if
    it is gone (a `flush`): without it nothing would move.
    """
    from django.db.models import F

    version = secrets.randbits(62)
    rows = DirectoryVersion.objects.using(alias).filter(pk=1)
    if not rows.update(seq=F("seq") + 1, version=version):
        DirectoryVersion.objects.using(alias).update_or_create(
            pk=1, defaults={"version": version, "seq": 1}
        )
    seq = rows.values_list("seq", flat=True).get()
    entries = read_written(alias, ids).entries() if len(ids) <= ENTRIES_MAX else {}
    DirectoryChange.objects.using(alias).bulk_create(
        [DirectoryChange(seq=seq, version=version, organisation_id=i, entry=entries.get(i))
         for i in ids],
        batch_size=1000,
    )  # fmt: skip
    if seq % 1000 == 0:
        DirectoryChange.objects.using(alias).filter(seq__lte=seq - CHANGES_KEPT).delete()


def changes_since(alias: str, since: tuple[int, int], limit: int) -> tuple | None:
    """(the organisations written since the write `since` (its seq and version: what an
    index or anything brought up to date from the log was made at), as id → its last
    entry or None where the log holds none; seq and version of the last of those
    writes), or None when the log cannot say: pruned, rolled back past that write, or
    more than `limit` organisations."""
    since_seq, since_version = since
    log = DirectoryChange.objects.using(alias)
    if since_seq:
        own = log.filter(seq=since_seq).values_list("version", flat=True).first()
        if own != since_version:
            return None  # pruned, or that write was rolled back
    found = log.filter(seq__gt=since_seq).order_by("seq")
    ids: dict[int, dict | None] = {}
    last = None
    for seq, version, org_id, entry in found.values_list(
        "seq", "version", "organisation_id", "entry"
    )[: limit + 1]:
        ids[org_id] = entry
        last = (seq, version)
    if last is None or len(ids) > limit:
        return None
    return ids, *last


_cache: dict[str, DirectoryIndex] = {}
_lock = threading.Lock()
_rebuilding: dict[tuple, threading.Thread] = {}

# Up to this many organisations a stale index is rebuilt before the request goes on
# (about 0.3 s at 5,000). Past it, the request is served from the previous index while
# a thread builds the new one (6 s at 100,000): for those few seconds the facets and
# the list are as they were before. Writes never need that: they are applied.
SYNC_REBUILD_MAX = 5000


def loaded_index(alias: str = "default") -> DirectoryIndex | None:
    """This process's index as it is, without reading the database (readiness)."""
    return _cache.get(alias)


def get_index(alias: str = "default") -> DirectoryIndex:
    """This process's index of the database `alias`, brought up to date with the writes
    since it was made."""
    seq, version = current_state(alias)
    index = _cache.get(alias)
    if index is not None and (index.seq, index.version) == (seq, version):
        return index
    with _lock:
        # Read again: another thread may have brought the index past the state read
        # while this one waited, and that index, compared with the older state, looked
        # like one made by a rolled-back write: it was built again (seconds, and memory
        # no longer shared).
        seq, version = current_state(alias)
        index = _cache.get(alias)
        if index is not None and (index.seq, index.version) == (seq, version):
            return index
        if index is not None:
            updated = _updated(alias, index)
            if updated is not None:
                _cache[alias] = updated
                return updated
        if index is None or index.size <= SYNC_REBUILD_MAX:
            index = _cache[alias] = _build(alias)
            return index
    # Not from inside a write: the thread could not see it, and would only wait for
    # its locks.
    if not connections[alias].in_atomic_block:
        _rebuild_in_background(alias)
    return index


def _updated(alias: str, index: DirectoryIndex) -> DirectoryIndex | None:
    """The index with the writes since it was made, or None if it must be built again."""
    found = changes_since(
        alias, (index.seq, index.version), limit=max(0, index.capacity - index.size)
    )
    if found is None:
        return None
    entries, seq, version = found
    unlogged = [i for i, entry in entries.items() if entry is None]
    written = {i: entry for i, entry in entries.items() if entry is not None}
    if unlogged:
        written.update(read_written(alias, unlogged).entries())
    try:
        return index.with_written(Written.of(written), version, seq)
    except Full:
        return None


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
# The words read with the index: those in at least this many profiles, the slow ones.
FREQUENT_WORD_MIN = 1000


def keep_frequent_matches(index: DirectoryIndex, alias: str) -> None:
    """Read the match sets of the words in the most profiles now, with the index: they
    are the words typed most, and the slowest to match (10–15 ms each at 100,000
    profiles), which every worker would otherwise pay after every start."""
    if index.size < FREQUENT_WORD_MIN:
        return  # no word is in enough profiles to be slow
    from .expansion import clauses

    backend = backend_for(alias)
    for word in backend.frequent_words(FREQUENT_WORDS, FREQUENT_WORD_MIN):
        if words(word) == [word]:  # a word as the search box would send it
            for clause in clauses([word], index.lexicon):
                for terms in clause.levels:
                    if terms:
                        index.text_matches(
                            terms, lambda t=terms: backend.matches(t), backend.keep_sets_from
                        )
