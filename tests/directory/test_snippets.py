"""The snippet under a search result: the words around the first match, matches marked."""

from clusterhub.directory.text import snippet


def test_a_term_inside_a_word_is_not_a_match():
    # "predigital" holds "digital" but does not begin with it: the window starts at the
    # word that does, and only that word is marked.
    text = "A predigital era. " + "filler " * 40 + "Then digital tools came."
    out = snippet(text, ["digital"])
    assert "<mark>digital</mark> tools" in out
    assert "predigital" not in out and out.count("<mark>") == 1


def test_only_inside_words_is_no_snippet():
    assert snippet("predigital and nondigital", ["digital"]) == ""


def test_the_window_does_not_start_inside_a_word():
    text = "Supercalifragilistic " * 10 + "energy transition"
    out = snippet(text, ["energy"])
    assert out.startswith("… Supercalifragilistic ")
    assert out.endswith("<mark>energy</mark> transition")


def test_accents_match_and_the_original_text_is_shown():
    out = snippet("Clúster de Energía Renovável", ["energia", "renovavel"])
    assert out == "Clúster de <mark>Energía</mark> <mark>Renovável</mark>"


def test_text_whose_folding_changes_lengths():
    # "ß" folds to "ss": matched word by word, the original words shown.
    out = snippet("Die Straße der Energie", ["strasse", "energie"])
    assert out == "Die <mark>Straße</mark> der <mark>Energie</mark>"


def test_prefixes_of_words_and_html_escaped():
    out = snippet("<b>Innovative</b> & innovation", ["innov"])
    assert out == "&lt;b&gt;<mark>Innovative</mark>&lt;/b&gt; &amp; <mark>innovation</mark>"
