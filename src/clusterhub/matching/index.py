"""What the partner finder knows about every published profile, as numpy arrays.

Built on the directory's index (same organisations, same ordinals, same facet
columns), plus what only matching needs: the related sectors, each profile's member
composition, and a TF-IDF index of what profiles write about themselves. Rebuilt
with the directory's index, whenever a profile is written.
"""

import threading
import time
from dataclasses import dataclass, field
from functools import cache
from itertools import chain
from pathlib import Path

import numpy as np
from stop_words import get_stop_words

from clusterhub.core.places import country_name
from clusterhub.directory.index import SYNC_REBUILD_MAX, DirectoryIndex, get_index, in_background
from clusterhub.directory.text import index_text, words
from clusterhub.profiles import models as pm
from clusterhub.vocab.services import vocabularies
from clusterhub.vocab.translations import read_translations, reader_language

RELATED_SECTORS = Path(__file__).resolve().parent / "data" / "related_sectors.txt"

# Text similarity: words kept per profile, and the words of a profile a query uses.
MAX_WORDS = 400
QUERY_WORDS = 30
# Words in more than this share of profiles say nothing about one ("cluster", "the").
COMMON_WORD_SHARE = 0.3
# Nor do numbers, letters left over from abbreviations ("R&D" folds to "r d") and the
# shortest words ("up" of "start-up", "de", "la"): on the demo's 301 profiles they were
# 61 of the 94 different words given as reasons ("similar descriptions (r, d, 62)").
SHORTEST_WORD = 3
# Function words ("between", "whose", "para", "dans"): the stop-words package's lists for
# the languages profiles are written in, less the words of the controlled vocabularies.
# Its lists are long (1,333 English words) and hold words that say what clusters do
# ("research", "information", "members", "goods"), which the vocabularies name; the
# vocabularies' own grammar words ("Facilitation of collaboration between members",
# "More than 20") stay function words.
STOP_LANGUAGES = ("english", "spanish", "french", "german", "italian", "portuguese", "polish")
VOCABULARY_GRAMMAR = frozenset({"and", "between", "more", "other", "than", "the", "etc"})


@cache
def function_words() -> frozenset[str]:
    listed = {w for language in STOP_LANGUAGES for s in get_stop_words(language) for w in words(s)}
    named = {w for v in vocabularies().values() for label in v.labels for w in words(label)}
    return frozenset(listed - (named - VOCABULARY_GRAMMAR) | VOCABULARY_GRAMMAR)


def _meaningful(word: str) -> bool:
    return len(word) >= SHORTEST_WORD and not word.isdigit() and word not in function_words()


@cache
def _link_translations(language: str) -> dict[str, str]:
    path = RELATED_SECTORS.with_name("translations") / f"{language}.po"
    return {text: string for (_, text), string in read_translations(path).items()}


def link_label(why: str) -> str:
    """How two sectors are linked (`related_sectors.txt`), in the reader's language
    (`data/translations/<language>.po`)."""
    language = reader_language()
    return why if language == "en" else _link_translations(language).get(why, why)


@cache
def related_sectors() -> dict[str, dict[str, str]]:
    """Sector → {related sector: how they are linked}, both ways, from the data file."""
    known = set(vocabularies()["sectoral_industries"].labels)
    related: dict[str, dict[str, str]] = {}
    for number, line in enumerate(RELATED_SECTORS.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 3 or not all(parts):
            raise ValueError(f"{RELATED_SECTORS.name}, line {number}: expected 'A | B | why'")
        a, b, why = parts
        for sector in (a, b):
            if sector not in known:
                raise ValueError(f"{RELATED_SECTORS.name}, line {number}: unknown {sector!r}")
        related.setdefault(a, {})[b] = why
        related.setdefault(b, {})[a] = why
    return related


@dataclass
class TextIndex:
    """TF-IDF vectors (log tf × idf, unit length) by profile and by word."""

    vocabulary: list[str]
    doc_indptr: np.ndarray  # per profile, its (word, weight) entries
    doc_words: np.ndarray
    doc_weights: np.ndarray
    word_indptr: np.ndarray  # per word, its (profile, weight) entries
    word_docs: np.ndarray
    word_weights: np.ndarray

    @classmethod
    def build(cls, texts: list[str], own_words: list[list[str]]) -> "TextIndex":
        """`own_words`: per text, words left out of it — the profile's own name and
        places, which say who and where it is, not what it does."""
        size = len(texts)
        tokens = [text.split()[:MAX_WORDS] for text in texts]
        flat = list(chain.from_iterable(tokens))
        # Built with C loops (dict.fromkeys, map): a Python loop per word took seconds.
        vocabulary = list(dict.fromkeys(flat))
        ids = {w: i for i, w in enumerate(vocabulary)}
        word_of = np.fromiter(map(ids.__getitem__, flat), dtype=np.int64, count=len(flat))
        doc_of = np.repeat(np.arange(size, dtype=np.int64), [len(t) for t in tokens])
        pairs = doc_of * max(1, len(vocabulary)) + word_of
        keys, tf = np.unique(pairs, return_counts=True)
        docs = keys // max(1, len(vocabulary))
        word = keys % max(1, len(vocabulary))
        df = np.bincount(word, minlength=len(vocabulary))
        # A word in one profile matches nothing; one in most profiles tells nothing.
        kept = (df[word] > 1) & (df[word] <= max(2, COMMON_WORD_SHARE * size))
        # Judged once per distinct word, not per occurrence (the loop above is C's).
        meaningless = np.fromiter(
            (not _meaningful(w) for w in vocabulary), dtype=bool, count=len(vocabulary)
        )
        kept &= ~meaningless[word]
        own = [doc * max(1, len(vocabulary)) + ids[w]
               for doc, ws in enumerate(own_words) for w in ws if w in ids]  # fmt: skip
        kept &= ~np.isin(keys, np.array(own, dtype=np.int64))
        docs, word, tf = docs[kept], word[kept], tf[kept]
        weights = (1 + np.log(tf)) * np.log(size / df[word])
        norms = np.sqrt(np.bincount(docs, weights=weights**2, minlength=size))
        weights = weights / np.where(norms > 0, norms, 1)[docs]
        doc_indptr = np.concatenate(([0], np.cumsum(np.bincount(docs, minlength=size))))
        by_word = np.argsort(word, kind="stable")
        word_indptr = np.concatenate(([0], np.cumsum(np.bincount(word, minlength=len(vocabulary)))))
        return cls(
            vocabulary=vocabulary,
            doc_indptr=doc_indptr,
            doc_words=word.astype(np.int32),
            doc_weights=weights.astype(np.float32),
            word_indptr=word_indptr,
            word_docs=docs[by_word].astype(np.int32),
            word_weights=weights[by_word].astype(np.float32),
        )

    def vector(self, doc: int) -> tuple[np.ndarray, np.ndarray]:
        start, end = self.doc_indptr[doc], self.doc_indptr[doc + 1]
        return self.doc_words[start:end], self.doc_weights[start:end]

    def similarity(self, doc: int, size: int) -> np.ndarray:
        """Cosine of every profile's vector with this one's strongest words."""
        words, weights = self.vector(doc)
        strongest = np.argsort(-weights)[:QUERY_WORDS]
        parts_docs, parts_weights = [], []
        for w, q in zip(words[strongest].tolist(), weights[strongest].tolist(), strict=True):
            start, end = self.word_indptr[w], self.word_indptr[w + 1]
            parts_docs.append(self.word_docs[start:end])
            parts_weights.append(self.word_weights[start:end] * q)
        if not parts_docs:
            return np.zeros(size)
        return np.bincount(
            np.concatenate(parts_docs), weights=np.concatenate(parts_weights), minlength=size
        )

    def shared_words(self, doc: int, other: int, limit: int = 4) -> list[str]:
        """The words contributing most to the similarity of two profiles."""
        words_a, weights_a = self.vector(doc)
        words_b, weights_b = self.vector(other)
        common, at_a, at_b = np.intersect1d(words_a, words_b, return_indices=True)
        order = np.argsort(-(weights_a[at_a] * weights_b[at_b]))[:limit]
        return [self.vocabulary[w] for w in common[order].tolist()]


@dataclass
class MatchingIndex:
    directory: DirectoryIndex
    sme_share: np.ndarray  # of the members, nan when not stated
    research_share: np.ndarray
    text: TextIndex
    built_at: float = field(default_factory=time.monotonic)

    @property
    def size(self) -> int:
        return self.directory.size


def _described(alias: str, index: DirectoryIndex) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Per ordinal: the folded words of the mission, services and success story, and
    the shares of SMEs and of research organisations among the members."""
    position = {int(pk): i for i, pk in enumerate(index.ids.tolist())}
    texts = [[] for _ in range(index.size)]
    sme = np.full(index.size, np.nan)
    research = np.full(index.size, np.nan)
    organisations = pm.ClusterOrganisation.objects.using(alias).filter(status=pm.Status.PUBLISHED)
    for pk, mission, story, total, smes, researchers in organisations.values_list(
        "pk", "mission", "success_story", "members_total", "members_sme",
        "members_research_organisations",
    ).iterator(chunk_size=2000):  # fmt: skip
        i = position.get(pk)
        if i is None:
            continue
        texts[i].extend((mission, story))
        if total:
            sme[i] = (smes or 0) / total
            research[i] = (researchers or 0) / total
    services = pm.Service.objects.using(alias).values_list("organisation_id", "details")
    for pk, details in services.iterator(chunk_size=5000):
        i = position.get(pk)
        if i is not None and details:
            texts[i].append(details)
    return [index_text(" ".join(parts)) for parts in texts], sme, research


def _own_words(index: DirectoryIndex) -> list[list[str]]:
    """Per ordinal, the words of the profile's name, regions and country."""
    regions = index.facets["regions"]
    return [
        words(
            " ".join(
                [index.names[o], country_name(index.countries[o] or ""), *regions.labels_of(o)]
            )
        )
        for o in range(index.size)
    ]


def build_matching_index(alias: str, index: DirectoryIndex) -> MatchingIndex:
    texts, sme, research = _described(alias, index)
    return MatchingIndex(index, sme, research, TextIndex.build(texts, _own_words(index)))


_cache: dict[str, MatchingIndex] = {}
_lock = threading.Lock()


# Past SYNC_REBUILD_MAX profiles, a matching index is built again at most this often:
# every write makes a new directory index, and building this one costs seconds.
REBUILD_EVERY = 60.0


def get_matching_index(alias: str = "default") -> MatchingIndex:
    """This process's matching index, rebuilt with the directory's index. As there,
    past SYNC_REBUILD_MAX profiles a stale one serves while a thread builds the next
    (REBUILD_EVERY seconds after the last at the soonest)."""
    index = get_index(alias)
    current = _cache.get(alias)
    if current is not None and current.directory is index:
        return current
    if current is not None and current.size > SYNC_REBUILD_MAX:
        if time.monotonic() - current.built_at < REBUILD_EVERY:
            return current

        def rebuild():
            _cache[alias] = build_matching_index(alias, index)

        in_background(("matching", alias), rebuild)
        return current
    with _lock:
        current = _cache.get(alias)
        if current is None or current.directory is not index:
            current = _cache[alias] = build_matching_index(alias, index)
    return current
