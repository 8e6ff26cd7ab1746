"""What a typed word may mean: the words the directory holds, their forms (Snowball
stems), their near misses (typos) and their synonyms (`synonyms.txt`, data).

The lexicon is every folded word of the search documents, the names and the facet
labels, with the number of organisations having it. Query words are expanded against
it in Python (`expansion.py`), so both databases get the same expanded words and give
the same answers; neither needs a fuzzy or stemming extension of its own.
"""

import bisect
import threading
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import Stemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

from .text import words

SYNONYMS_FILE = Path(__file__).with_name("synonyms.txt")

# Snowball stemmers of the interface's languages; Snowball has none for Galician, whose
# word endings Portuguese's rules read well enough.
STEM_LANGUAGES = ("english", "spanish", "portuguese", "french", "german", "italian", "polish")
# Near misses kept for this many words typed (see Lexicon._near).
NEAR_KEPT = 10_000
# Shorter words are not stemmed: their stems ("ai", "ict") would join unrelated words.
STEM_MIN = 4


def typos_allowed(word: str) -> int:
    """As Meilisearch and Typesense count them: none below 5 letters, one from 5, two
    from 9 (a transposition is one typo)."""
    return 0 if len(word) < 5 else 1 if len(word) < 9 else 2


@cache
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(language)


def stems(word: str) -> set[tuple[str, str]]:
    """(language, stem) of a word in every stemmed language (stems under three letters
    left out)."""
    if len(word) < STEM_MIN:
        return set()
    found = set()
    for language in STEM_LANGUAGES:
        stem = _stemmer(language).stemWord(word)
        if len(stem) >= STEM_MIN - 1:
            found.add((language, stem))
    return found


@dataclass(frozen=True)
class Term:
    """What one query word becomes in the database: a word, a prefix (`prefix`), or a
    phrase of words in a row (a synonym such as "artificial intelligence")."""

    words: tuple[str, ...]
    prefix: bool = False

    def matches(self, tokens: list[str]) -> bool:
        """Whether a field's folded words (in order) have this term, as FTS5 and
        tsquery match it: a prefix on the last word, the rest whole, in a row."""
        n = len(self.words)
        last = self.words[-1]
        for i in range(len(tokens) - n + 1):
            if tokens[i : i + n - 1] != list(self.words[:-1]):
                continue
            token = tokens[i + n - 1]
            if token == last or (self.prefix and token.startswith(last)):
                return True
        return False


class Lexicon:
    """The directory's words with the number of organisations having each."""

    def __init__(self, frequency: dict[str, int]):
        self.frequency = dict(frequency)
        self._lock = threading.Lock()
        self._by_length: dict[int, list[str]] = defaultdict(list)
        for word in self.frequency:
            self._by_length[len(word)].append(word)
        self._stems: dict[tuple[str, str], list[str]] | None = None
        self._prefixes: dict[int, list[str]] = {}
        # The near misses of the words typed, found again for each search (a tenth of a
        # text search's time) where people type the same words; forgotten when a write
        # brings a word the lexicon did not have, which may be one of them.
        self._near: dict[tuple[str, int, bool], list[tuple[str, int]]] = {}
        self._words_added = 0  # new words so far: a near miss found before one is not kept

    def add(self, new_words) -> None:
        """Words a write brought (a new name, a new text): known at once, as typos and
        forms too. Words no longer used stay until the next full build; they match
        nothing, which costs nothing."""
        with self._lock:
            for word in new_words:
                if word in self.frequency:
                    continue
                self.frequency[word] = 1
                self._by_length[len(word)].append(word)
                self._near, self._words_added = {}, self._words_added + 1
                if self._stems is not None:
                    for key in stems(word):
                        self._stems.setdefault(key, []).append(word)
                for n, prefixes in self._prefixes.items():
                    at = bisect.bisect_left(prefixes, word[:n])
                    if n < len(word) and (at == len(prefixes) or prefixes[at] != word[:n]):
                        prefixes.insert(at, word[:n])

    def forms(self, word: str) -> list[str]:
        """Other words of the lexicon with a stem of `word` (plural and singular,
        conjugations) in one of the stemmed languages."""
        if self._stems is None:
            with self._lock:
                if self._stems is None:
                    found: dict[tuple[str, str], list[str]] = {}
                    for known in self.frequency:
                        for key in stems(known):
                            found.setdefault(key, []).append(known)
                    self._stems = found
        same = {w for key in stems(word) for w in self._stems.get(key, ())}
        same.discard(word)
        return sorted(same)

    def near(self, word: str, typos: int) -> list[tuple[str, int]]:
        """Words within `typos` edits (not the word itself), with their distance."""
        if typos == 0:
            return []
        return self._kept_near(word, typos, False)

    def near_prefixes(self, word: str, typos: int) -> list[tuple[str, int]]:
        """Beginnings of longer words within `typos` edits of `word`, as someone still
        typing it would mean them ("automot" for "autmot")."""
        if typos == 0:
            return []
        return self._kept_near(word, typos, True)

    def _kept_near(self, word: str, typos: int, prefixes: bool) -> list[tuple[str, int]]:
        key = (word, typos, prefixes)
        found = self._near.get(key)
        if found is not None:
            return found
        added = self._words_added
        if prefixes:
            choices = [p for n in range(len(word) - 1, len(word) + 2) for p in self._prefixes_of(n)]
        else:
            lengths = range(max(1, len(word) - typos), len(word) + typos + 1)
            choices = [w for n in lengths for w in self._by_length.get(n, ())]
        found = self._within(word, choices, typos)
        with self._lock:
            if len(self._near) >= NEAR_KEPT:
                self._near = {}
            if added == self._words_added:
                self._near[key] = found
        return found

    def knows(self, word: str) -> bool:
        """Whether the word, or a word it begins, is in the lexicon."""
        if word in self.frequency:
            return True
        prefixes = self._prefixes_of(len(word))
        at = bisect.bisect_left(prefixes, word)
        return at < len(prefixes) and prefixes[at] == word

    def _prefixes_of(self, n: int) -> list[str]:
        found = self._prefixes.get(n)
        if found is None:
            longer = [w for length, ws in self._by_length.items() if length > n for w in ws]
            found = self._prefixes[n] = sorted({w[:n] for w in longer})
        return found

    @staticmethod
    def _within(word: str, choices: list[str], typos: int) -> list[tuple[str, int]]:
        found = process.extract(word, choices, scorer=OSA.distance, score_cutoff=typos, limit=None)
        return [(choice, int(distance)) for choice, distance, _ in found if distance > 0]

    def correction(self, word: str) -> str | None:
        """The likeliest word meant by one that matches nothing: the most frequent within
        two edits (one for words under five letters), for "did you mean"."""
        if len(word) < 3:
            return None
        found = self.near(word, 1 if len(word) < 5 else 2)
        if not found:
            return None
        return min(found, key=lambda f: (f[1], -self.frequency.get(f[0], 0), f[0]))[0]


@dataclass(frozen=True)
class Synonyms:
    """Synonyms and abbreviations (`synonyms.txt`). A group (`a, b, c`) is phrases that
    mean the same: each finds what the others find. An abbreviation (`ai => artificial
    intelligence`) finds what its meanings find; the data need not hold it."""

    groups: tuple[tuple[tuple[str, ...], ...], ...]
    abbreviations: tuple[tuple[tuple[str, ...], tuple[tuple[str, ...], ...]], ...] = ()

    @classmethod
    def read(cls, path: Path = SYNONYMS_FILE) -> "Synonyms":
        groups, abbreviations = [], []
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            typed, arrow, meant = line.partition("=>")
            typed = tuple(words(typed))
            phrases = tuple(tuple(words(p)) for p in (meant if arrow else line).split(","))
            if arrow and typed and all(phrases):
                abbreviations.append((typed, phrases))
            elif not arrow and len(phrases) >= 2 and all(phrases):
                groups.append(phrases)
            else:
                raise ValueError(
                    f"{path.name}, line {number}: write 'a, b' (two phrases or more) or "
                    "'abbreviation => meaning, …'"
                )
        return cls(tuple(groups), tuple(abbreviations))

    @property
    def by_phrase(self) -> dict[tuple[str, ...], set[tuple[str, ...]]]:
        return _by_phrase(self)

    def longest_phrase(self) -> int:
        phrases = [p for g in self.groups for p in g] + [a for a, _ in self.abbreviations]
        return max((len(p) for p in phrases), default=1)


@cache
def _by_phrase(synonyms: Synonyms) -> dict[tuple[str, ...], set[tuple[str, ...]]]:
    found: dict[tuple[str, ...], set[tuple[str, ...]]] = defaultdict(set)
    for group in synonyms.groups:
        for phrase in group:
            found[phrase].update(p for p in group if p != phrase)
    for typed, meant in synonyms.abbreviations:
        found[typed].update(meant)
    return dict(found)


@cache
def synonyms() -> Synonyms:
    return Synonyms.read()
