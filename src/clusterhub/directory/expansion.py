"""A search box query as clauses: for each word typed, the terms that stand for it.

Every word must be found (AND across clauses); a clause is found by any of its terms
(OR), at three levels: its exact terms are the word as typed, its other forms (the
same Snowball stem) and its synonyms, including those of a phrase it is part of
("artificial intelligence" → "ai"); its prefix term the word as the beginning of
longer ones (search as you type); its typo terms the lexicon's words within the typos
its length allows, and, for the last word, beginnings of words within them too (it may
still be being typed). An organisation ranks by the levels its words were found at
(see services.py): "ai" the word before "aigaio", a typo after both.
"""

from dataclasses import dataclass

from .lexicon import Lexicon, Synonyms, Term, synonyms, typos_allowed

# Per clause, at most this many forms and typo terms, the most frequent first: a short
# query to the database, and a word with many near misses is mostly noise past these.
MAX_FORMS = 20
MAX_TYPOS = 30


@dataclass(frozen=True)
class Clause:
    word: str
    exact: tuple[Term, ...]
    prefix: tuple[Term, ...]
    typo: tuple[Term, ...]

    @property
    def levels(self) -> tuple[tuple[Term, ...], ...]:
        return (self.exact, self.prefix, self.typo)

    @property
    def terms(self) -> tuple[Term, ...]:
        return self.exact + self.prefix + self.typo


def clauses(typed: list[str], lexicon: Lexicon, synonyms_: Synonyms | None = None) -> list[Clause]:
    """The clauses of the folded words of a query, in the order typed."""
    synonyms_ = synonyms_ or synonyms()
    by_phrase = synonyms_.by_phrase
    # Synonyms of phrases typed ("artificial intelligence"): each of its words is then
    # also found by them.
    of_phrases: list[set[Term]] = [set() for _ in typed]
    for start in range(len(typed)):
        for n in range(2, synonyms_.longest_phrase() + 1):
            phrase = tuple(typed[start : start + n])
            if len(phrase) == n and phrase in by_phrase:
                for i in range(start, start + n):
                    of_phrases[i].update(Term(p) for p in by_phrase[phrase])
    found = []
    for i, word in enumerate(typed):
        exact = [Term((word,))]
        forms = [f for f in lexicon.forms(word) if not f.startswith(word)]
        exact += [Term((f,)) for f in _most_frequent(forms, lexicon, MAX_FORMS)]
        exact += sorted({Term(p) for p in by_phrase.get((word,), ())} | of_phrases[i],
                        key=lambda t: t.words)  # fmt: skip
        typos = _typos(word, lexicon, last=i == len(typed) - 1, exact=exact)
        found.append(Clause(word, tuple(dict.fromkeys(exact)), (Term((word,), True),), typos))
    return found


def _typos(word: str, lexicon: Lexicon, last: bool, exact: list[Term]) -> tuple[Term, ...]:
    allowed = typos_allowed(word)
    if not allowed:
        return ()
    covered = {t.words[0] for t in exact if len(t.words) == 1}
    near = [(w, d, False) for w, d in lexicon.near(word, allowed)]
    if last:
        near += [(p, d, True) for p, d in lexicon.near_prefixes(word, allowed)]
    near = [n for n in near if not n[0].startswith(word) and n[0] not in covered]
    near.sort(key=lambda n: (n[1], -lexicon.frequency.get(n[0], 0), n[0]))
    return tuple(dict.fromkeys(Term((w,), prefix=p) for w, _, p in near[:MAX_TYPOS]))


def _most_frequent(found: list[str], lexicon: Lexicon, limit: int) -> list[str]:
    return sorted(found, key=lambda w: (-lexicon.frequency.get(w, 0), w))[:limit]


def suggestion(typed: list[str], lexicon: Lexicon) -> list[str]:
    """The query people likely meant ("did you mean"): each word the lexicon does not
    know replaced by its likeliest correction; the words unchanged when none is known."""
    out = []
    for word in typed:
        correction = None if lexicon.knows(word) else lexicon.correction(word)
        out.append(correction or word)
    return out
