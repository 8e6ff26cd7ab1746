"""Text as the search backends see it: folded words, safe queries, highlighted snippets.

Both backends index the same pre-folded words (lower case, accents dropped, split on
anything that is not a letter or digit), so "galego" finds "GALEGO", "textil" finds
"Têxtil" and "Clúster" finds "Cluster" alike on SQLite and PostgreSQL, and no user
input ever reaches a query parser: only these words do.
"""

import functools
import re
from html import escape  # Django's escape is this one, behind a lazy-string wrapper

from django.utils.safestring import SafeString, mark_safe

from clusterhub.core.folding import fold

WORD_RE = re.compile(r"[^\W_]+")
BETWEEN_WORDS_RE = re.compile(r"[\W_]+")
MAX_QUERY_WORDS = 12


def words(text: str) -> list[str]:
    return WORD_RE.findall(fold(text))


def index_text(text: str) -> str:
    """What a backend indexes: the folded words, space-separated."""
    return BETWEEN_WORDS_RE.sub(" ", fold(text)).strip()


def query_words(q: str) -> list[str]:
    """The words of a search box query; punctuation and FTS syntax are dropped."""
    return list(dict.fromkeys(words(q)))[:MAX_QUERY_WORDS]


@functools.lru_cache(maxsize=256)
def _first_match(terms: tuple[str, ...]) -> re.Pattern:
    """A word beginning with one of the terms: made once for the snippets of a page."""
    return re.compile(r"(?<![^\W_])(?:" + "|".join(map(re.escape, terms)) + ")")


def snippet(text: str, terms: list[str], width: int = 30) -> SafeString:
    """About `width` words around the first match, matches in <mark>, all escaped."""
    terms = tuple(terms)
    folded = fold(text)
    lo, hi = 0, len(text)
    if len(folded) == len(text):
        # The usual case: positions match, so a regex finds the first match and only
        # the words around it are looked at (bodies can be long).
        found = _first_match(terms).search(folded)
        if not found:
            return mark_safe("")
        # A third of the window before the match, the rest after (about 8 characters a word).
        lo = max(0, found.start() - 3 * width)
        hi = min(len(text), found.start() + 8 * width)
        inside = WORD_RE.match(text, lo)
        if lo and inside and WORD_RE.match(text, lo - 1):  # do not start inside a word
            lo = inside.end()
        spans = [(*m.span(), m.group()) for m in WORD_RE.finditer(folded, lo, hi)]
    else:  # ligatures, "ß"…: folding changes lengths, fold word by word
        spans = [(m.start(), m.end(), fold(m.group())) for m in WORD_RE.finditer(text)]
    hits = [i for i, span in enumerate(spans) if span[2].startswith(terms)]
    if not hits:
        return mark_safe("")
    first = max(0, hits[0] - width // 3)
    last = min(len(spans), first + width)
    # Punctuation before the first word or after the last one belongs to the text too.
    start = lo if first == 0 else spans[first][0]
    end = hi if last == len(spans) and hi == len(text) else spans[last - 1][1]
    out, position = [], start
    for i in hits:
        if first <= i < last:
            s, e, _ = spans[i]
            out.append(escape(text[position:s]) + f"<mark>{escape(text[s:e])}</mark>")
            position = e
    out.append(escape(text[position:end]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + " ".join("".join(out).split()) + suffix)
