"""Lists in the reader's alphabet: ICU's collation for the page's language, through PyICU.

A case-folded sort puts "Łódzkie" after "Zachodniopomorskie" and "Ñ" after "Z"; a Polish
reader looks for Ł after L, a Spanish one for Ñ after N, a German one for Ä beside A.
CLDR's collation rules say where each letter goes in each language; ICU applies them.
"""

from collections.abc import Callable, Iterable
from functools import lru_cache

import icu
from django.conf import settings
from django.utils.translation import get_language


@lru_cache(maxsize=16)
def _collator(language: str) -> icu.Collator:
    collator = icu.Collator.createInstance(icu.Locale(language))
    collator.setStrength(icu.Collator.SECONDARY)  # case aside: "iot" beside "IoT"
    return collator


def in_reader_order(items: Iterable, key: Callable[..., str] = str) -> list:
    """`items` sorted by `key` in the page's language's alphabet."""
    collator = _collator(get_language() or settings.LANGUAGE_CODE)
    return sorted(items, key=lambda item: collator.getSortKey(key(item)))
