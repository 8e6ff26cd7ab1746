"""Every vocabulary label translated into every interface language, as data
(`vocab/data/translations/<language>.po`), and shown and searched in them."""

from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation

from clusterhub.vocab.services import vocabularies
from clusterhub.vocab.translations import (
    TRANSLATIONS_DIR,
    catalogue,
    label_translations,
    term_label,
    value_label,
)

OTHER_LANGUAGES = [code for code, _ in settings.LANGUAGES if code != "en"]


def test_every_language_has_a_file_translating_every_label():
    for language in OTHER_LANGUAGES:
        translated = catalogue(language)
        missing = [
            f"{vocab.name}: {label}"
            for vocab in vocabularies().values()
            for label in vocab.labels
            if not translated.get((vocab.name, label), "").strip()
        ]
        assert not missing, f"{language}.po lacks {missing}"


def test_no_entry_is_fuzzy_or_names_a_label_the_vocabularies_do_not_hold():
    known = {(v.name, label) for v in vocabularies().values() for label in v.labels}
    for language in OTHER_LANGUAGES:
        with (TRANSLATIONS_DIR / f"{language}.po").open("rb") as po:
            messages = [m for m in read_po(po) if m.id]
        assert not [m.id for m in messages if m.fuzzy], language
        stale = [(m.context, m.id) for m in messages if (m.context, m.id) not in known]
        assert not stale, f"{language}.po: {stale}"


def test_a_label_in_two_vocabularies_is_translated_alike():
    # Facet values are translated by label (a value knows its label, not its vocabulary).
    for language in OTHER_LANGUAGES:
        by_label: dict[str, set[str]] = {}
        for (_, label), string in catalogue(language).items():
            by_label.setdefault(label.casefold(), set()).add(string)
        assert not {k: v for k, v in by_label.items() if len(v) > 1}, language


def test_labels_follow_the_page_language():
    with translation.override("es"):
        assert term_label("Automotive") == "Automoción"
        assert value_label("automotive", "Automotive") == "Automoción"
        assert value_label("DE", "Germany") == "Alemania"
        assert value_label("de", "German") == "alemán"
        assert term_label("A term no vocabulary holds") == "A term no vocabulary holds"
    with translation.override("pl"):
        assert term_label("Artificial Intelligence") == "Sztuczna inteligencja"
    with translation.override("fr"):  # regions: ISO 3166-2's names in the language
        assert value_label("bayern", "Bayern") == "Bavière"
        assert value_label("interreg", "INTERREG") == "INTERREG"
    with translation.override("de"):
        assert value_label("lombardia", "Lombardia") == "Lombardei"
        assert value_label("galicia", "Galicia") == "Galicia"
    with translation.override("en"):
        assert term_label("Automotive") == "Automotive"
    translated = dict(label_translations("Automotive"))
    assert translated["es"] == "Automoción" and translated["pl"] == "Motoryzacja"
    assert "it" not in translated  # Italian says "Automotive" too
