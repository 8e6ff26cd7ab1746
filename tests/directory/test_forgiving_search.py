"""What people type: facet labels, typos, word forms, synonyms, "did you mean"."""

import pytest

from clusterhub.directory.expansion import clauses
from clusterhub.directory.index import get_index
from clusterhub.directory.lexicon import Lexicon, Synonyms, Term, synonyms, typos_allowed
from clusterhub.directory.query import DirectoryQuery
from clusterhub.directory.services import search
from clusterhub.directory.text import words
from clusterhub.ingest.demo import demo_documents
from clusterhub.vocab.services import vocabularies
from tests.documents import save_documents


@pytest.fixture
def demo_directory(db):
    save_documents(list(demo_documents(300, seed=1)))


def facet_count(key: str, label: str) -> int:
    facet = search(DirectoryQuery(facet_limit=1000)).facets[key]
    return next(v.count for v in facet.values if v.label == label)


@pytest.mark.parametrize(
    ("q", "key", "label"),
    [("Malta", "country", "Malta"),
     ("artificial intelligence", "technology_fields", "Artificial Intelligence"),
     ("Deutschland", "country", "Germany"), ("Alemania", "country", "Germany"),
     ("galicia", "regions", "Galicia"), ("interreg", "programmes", "INTERREG"),
     ("gold label", "cluster_excellence_label", "Gold")],
)  # fmt: skip
def test_a_facet_value_is_found_by_its_label(demo_directory, q, key, label):
    result = search(DirectoryQuery(q=q, page_size=100))
    having = facet_count(key, label)
    assert result.total >= having > 0
    ranked = result.items[:having]
    # The organisations having the value come first (after name matches).
    assert sum(label in _labels(item.slug, key) for item in ranked) >= min(having, 10) - 1


def _labels(slug: str, key: str) -> list[str]:
    index = get_index()
    return index.facets[key].labels_of(index.ordinal_of(slug))


def test_the_issues_examples_find_what_they_name(demo_directory):
    assert search(DirectoryQuery(q="Malta")).total >= facet_count("country", "Malta") == 14
    automotive = search(DirectoryQuery(q="automotve")).items
    assert "Automotive" in automotive[0].name
    biotech = search(DirectoryQuery(q="biotech")).items
    assert biotech and all(
        {"Industrial Biotechnology"} & set(_labels(i.slug, "technology_fields"))
        or "Biopharmaceuticals" in _labels(i.slug, "sectoral_industries")
        or "Biopharmaceuticals" in _labels(i.slug, "emerging_industries")
        for i in biotech[:10]
    )


def test_exact_matches_rank_before_typos(demo_directory):
    # "furniture" as written, then a typo of it: the exact matches come first.
    exact = search(DirectoryQuery(q="furniture", page_size=100))
    typo = search(DirectoryQuery(q="furnitrue", page_size=100))
    assert typo.total >= 1 and {i.slug for i in typo.items} <= {i.slug for i in exact.items}
    assert search(DirectoryQuery(q="furn")).total >= exact.total  # as typed so far


def test_typos_allowed_grow_with_the_word():
    assert [typos_allowed(w) for w in ("auto", "autom", "automoti", "automotiv")] == [0, 1, 1, 2]
    lexicon = Lexicon({"automotive": 5, "automation": 3, "malta": 2, "mal": 1})
    assert ("automotive", 1) in lexicon.near("automotve", 2)
    assert lexicon.near("malt", 0) == []
    assert ("autom", 1) in lexicon.near_prefixes("autmo", 1)  # still typing
    assert lexicon.correction("automtive") == "automotive"
    assert lexicon.knows("automo") and not lexicon.knows("automz")
    lexicon.add(["automzzz"])  # a write's new word: known at once, as a beginning too
    assert lexicon.knows("automz") and ("automzzz", 1) in lexicon.near("automzz", 1)


def test_near_misses_kept_are_forgotten_when_a_write_brings_a_word():
    lexicon = Lexicon({"automotive": 5, "plastic": 2})
    assert lexicon.near("automotxve", 2) == [("automotive", 1)]
    assert lexicon.near_prefixes("plastick", 1) == []
    lexicon.add(["automotivo", "plastics"])
    assert sorted(lexicon.near("automotxve", 2)) == [("automotive", 1), ("automotivo", 2)]
    assert lexicon.near_prefixes("plastick", 1) == [("plastic", 1)]


def test_word_forms_come_from_snowball_stems():
    lexicon = Lexicon({"robotics": 4, "robot": 2, "services": 9, "service": 3, "ai": 1})
    assert lexicon.forms("robots") == ["robot", "robotics"]
    assert lexicon.forms("service") == ["services"]
    assert lexicon.forms("ai") == []  # too short to stem


def test_a_term_matches_as_the_full_text_index_does():
    tokens = ["artificial", "intelligence", "and", "robots"]
    assert Term(("artificial", "intelligence")).matches(tokens)
    assert not Term(("intelligence", "artificial")).matches(tokens)
    assert Term(("rob",), prefix=True).matches(tokens) and not Term(("rob",)).matches(tokens)


def test_synonyms_of_a_phrase_typed_find_for_each_of_its_words():
    lexicon = Lexicon({"agri": 3, "agro": 2, "food": 2})
    table = Synonyms(groups=((("agri", "food"), ("agro", "food")),),
                     abbreviations=((("ai",), (("artificial", "intelligence"),)),))  # fmt: skip
    agri, food = clauses(["agri", "food"], lexicon, table)
    assert Term(("agro", "food")) in agri.exact and Term(("agro", "food")) in food.exact
    (ai,) = clauses(["ai"], lexicon, table)
    assert Term(("artificial", "intelligence")) in ai.exact
    artificial, _ = clauses(["artificial", "intelligence"], lexicon, table)
    assert Term(("ai",)) not in artificial.exact  # an abbreviation is one way


def test_every_synonym_is_found_in_the_data_or_the_vocabularies(db):
    known = set()
    for vocabulary in vocabularies().values():
        for label in vocabulary.labels:
            known.update(words(label))
    for doc in demo_documents(300, seed=1):
        known.update(words(doc.model_dump_json()))
    table = synonyms()
    meanings = [p for _, meant in table.abbreviations for p in meant]
    assert table.groups and meanings
    for phrase in [*(p for g in table.groups for p in g), *meanings]:
        assert set(phrase) <= known, f"synonyms.txt: {' '.join(phrase)!r} is found nowhere"


def test_a_bad_synonyms_line_is_named(tmp_path):
    bad = tmp_path / "synonyms.txt"
    bad.write_text("# fine\nai => artificial intelligence\nfashion, apparel\nlonely\n")
    with pytest.raises(ValueError, match=r"synonyms\.txt, line 4"):
        Synonyms.read(bad)


def test_did_you_mean_when_nothing_matches(demo_directory):
    nothing = search(DirectoryQuery(q="qqqqqqqqqqqq"))
    assert nothing.total == 0 and nothing.suggestion is None
    short = search(DirectoryQuery(q="glaeog"))  # 6 letters: one typo allowed, two here
    assert short.total == 0 and short.suggestion == "galego"
    assert search(DirectoryQuery(q=short.suggestion)).total


def test_a_long_facet_has_a_search_box_that_works_without_javascript(demo_directory, client):
    page = client.get("/clusters/", {"q": "cluster"})
    assert b'id="find-regions"' in page.content  # Region has hundreds of values
    found = client.get("/clusters/facets/regions/", {"find": "gali", "within": "q=cluster"})
    assert found.status_code == 200 and b"Galicia" in found.content
    assert b"Wallonia" not in found.content
    assert b"/clusters/?q=cluster&amp;regions=galicia" in found.content
    fragment = client.get("/clusters/facets/regions/", {"find": "wal"}, HTTP_HX_REQUEST="true")
    assert b'name="regions" value="region-wallonia"' in fragment.content
    assert client.get("/clusters/facets/nothing/").status_code == 404


def test_the_page_offers_what_was_likely_meant(demo_directory, client):
    page = client.get("/clusters/", {"q": "glaeog", "country": "ES"})
    assert b"Did you mean" in page.content and b"?country=ES&amp;q=galego" in page.content


def test_the_api_finds_the_values_of_a_long_facet(demo_directory, client):
    found = client.get("/api/clusters/facets/regions", {"find": "gal", "q": "audiovisual"})
    assert found.status_code == 200
    values = found.json()["values"]
    assert [v["label"] for v in values] == ["Galicia"] and values[0]["count"] >= 1
    assert client.get("/api/clusters/facets/nothing").status_code == 422
    assert client.get("/api/clusters/facets/regions", {"find": "x" * 101}).status_code == 422


@pytest.mark.parametrize("q", ["cluster innovation", "automotve", "inno", "digital spain", "ai"])
def test_pages_of_a_ranked_search_join_into_the_ranking_asked_whole(demo_directory, monkeypatch, q):
    """A page orders only the ranks it falls in, and only as far as it goes: paged, the
    ranking is the one asked in one page."""
    from clusterhub.directory import index as index_module

    monkeypatch.setattr(index_module, "ORDER_PART", 4)  # each page read in several parts
    whole = [item.slug for item in search(DirectoryQuery(q=q, page_size=100)).items]
    paged, page = [], 1
    while len(paged) < len(whole):
        paged += [item.slug for item in search(DirectoryQuery(q=q, page_size=7, page=page)).items]
        page += 1
    assert whole and paged[: len(whole)] == whole
