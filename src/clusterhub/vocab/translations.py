"""The vocabularies' labels in the interface's languages.

`data/translations/<language>.po` holds, for each vocabulary (`msgctxt`, the data file's
name) and each of its ECCP English labels (`msgid`), the label a reader of that language
sees (`msgstr`). Documents, the API and exports for programs keep the English labels;
pages, facets and statistics show these. PO files rather than a table of our own: the
translators' tools (Poedit, Weblate) read them, and Babel, already installed for CLDR,
parses them without a compile step.
"""

from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings
from django.utils.translation import get_language

from clusterhub.core.places import (
    country_label,
    country_name,
    language_label,
    language_name,
    region_label,
)

from .services import DATA_DIR

TRANSLATIONS_DIR = DATA_DIR / "translations"


def read_translations(path: Path) -> dict[tuple[str | None, str], str]:
    """(context, English text) → its translation, from one PO file; empty when there is no
    file. Fuzzy and empty entries are left out: the English text shows instead."""
    if not path.exists():
        return {}
    with path.open("rb") as po:
        messages = read_po(po, locale=None)
    return {
        (message.context, message.id): message.string
        for message in messages
        if message.id and message.string and not message.fuzzy
    }


@cache
def catalogue(language: str) -> dict[tuple[str, str], str]:
    """(vocabulary, English label) → the label in `language`."""
    return read_translations(TRANSLATIONS_DIR / f"{language}.po")


@cache
def _by_label(language: str) -> dict[str, str]:
    """Folded English label → its translation, whatever the vocabulary: a facet value
    knows its label, not always its vocabulary (one label in two vocabularies, such as
    "Medical Devices", is translated alike; a test holds it)."""
    return {label.casefold(): string for (_, label), string in catalogue(language).items()}


def reader_language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def term_label(label: str, language: str | None = None) -> str:
    """A vocabulary label as a reader of `language` (by default the page's) reads it; a
    label no vocabulary holds (an unreviewed term, a region) as it is."""
    language = language or reader_language()
    if language == "en":
        return label
    return _by_label(language).get(label.casefold(), label)


@cache
def label_translations(label: str) -> tuple[tuple[str, str], ...]:
    """(language, label) in every language that translates it (the search finds a value
    by any of them)."""
    folded = label.casefold()
    found = {
        (code, by_label[folded])
        for code, _ in settings.LANGUAGES
        if folded in (by_label := _by_label(code)) and by_label[folded] != label
    }
    return tuple(sorted(found))


def value_label(value: str, label: str) -> str:
    """A facet value's label for the reader: a country's or a language's name in the
    page's language (a value that is an ISO code labelled with its English name), a
    vocabulary term's translation, a region's ISO name in that language, any other as it
    is."""
    if len(value) == 2 and label == country_name(value) and value.isupper():
        return country_label(value)
    if len(value) == 2 and label == language_name(value) and value.islower():
        return language_label(value)
    translated = term_label(label)
    return region_label(label) if translated is label else translated
