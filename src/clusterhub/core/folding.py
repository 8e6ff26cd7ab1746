"""Case and accent folding, shared by place-name lookups and full-text search."""

import re
import unicodedata

# Combining marks, which NFKD splits off accented letters.
COMBINING_RE = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lower case without accents: "Clúster Têxtil" → "cluster textil"."""
    if text.isascii():  # most text: nothing to decompose (a tenth of a snippet's cost)
        return text.lower()
    return COMBINING_RE.sub("", unicodedata.normalize("NFKD", text)).casefold()
