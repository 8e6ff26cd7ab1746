"""The directory search service: words, facets, ranges, order, and an always-current index."""

import dataclasses
import threading

import numpy as np
import pytest
from django.db import transaction

from clusterhub.directory import index as index_module
from clusterhub.directory.backends import PostgresBackend, SQLiteBackend
from clusterhub.directory.expansion import clauses
from clusterhub.directory.index import Masked, NameWords, get_index
from clusterhub.directory.lexicon import Term
from clusterhub.directory.query import FACETS, DirectoryQuery
from clusterhub.directory.services import search
from clusterhub.profiles.models import ClusterOrganisation
from clusterhub.profiles.writing import delete_profiles
from tests.documents import save_document

from .conftest import profile


def keep_sets_from(monkeypatch, size):
    # Whichever database the suite runs on.
    for backend in (SQLiteBackend, PostgresBackend):
        monkeypatch.setattr(backend, "keep_sets_from", size)


def names(**query) -> list[str]:
    return [item.name for item in search(DirectoryQuery(page_size=100, **query)).items]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("galego", "CLUSTER DO AUDIOVISUAL GALEGO"),  # lower case finds upper case
        ("GALEGO", "CLUSTER DO AUDIOVISUAL GALEGO"),
        ("textil", "Cluster Têxtil do Norte"),  # no accent finds the accent
        ("Têxtil", "Cluster Têxtil do Norte"),  # the accent finds it too
        ("Clúster moda", "Clúster de la Moda de Galicia"),
        ("cluster moda", "Clúster de la Moda de Galicia"),
        ("audiov", "CLUSTER DO AUDIOVISUAL GALEGO"),  # prefix: search as you type
    ],
)
def test_case_and_accents_fold_both_ways(small_directory, q, expected):
    assert expected in names(q=q)


def test_words_must_all_match(small_directory):
    assert names(q="textil norte") == ["Cluster Têxtil do Norte"]
    assert names(q="textil nowhereword") == []


def test_searches_every_text_field(small_directory):
    assert "CLUSTER DO AUDIOVISUAL GALEGO" in names(q="Pithcing")  # success story, typo kept
    assert "CLUSTER DO AUDIOVISUAL GALEGO" in names(q="MIPCOM")  # service details, references
    assert "CLUSTER DO AUDIOVISUAL GALEGO" in names(q="Cap Digital")  # collaborating cluster
    assert "CLUSTER DO AUDIOVISUAL GALEGO" in names(q="Conecta PEME")  # programme
    assert "CLUSTER DO AUDIOVISUAL GALEGO" in names(q="reliable solvent")  # why partner


def test_name_matches_come_first(small_directory):
    # "Blue Sea Network" says textile four times in its mission; names still win.
    found = names(q="textil")
    assert found.index("Cluster Têxtil do Norte") < found.index("Blue Sea Network")


@pytest.mark.parametrize(
    "q", ['"', "*", ":", "-", "NEAR", "NEAR(a b)", "((", "a OR", '"unbalanced', "col:value",
          "-minus", "^", "...", "  ", "the of and", "%", "_", "'; DROP TABLE x; --"],
)  # fmt: skip
def test_any_query_text_is_safe(small_directory, q):
    result = search(DirectoryQuery(q=q))
    assert result.total >= 0


def test_punctuation_only_is_no_text_filter(small_directory):
    assert search(DirectoryQuery(q="?!...")).total == search(DirectoryQuery()).total == 64


def test_snippet_highlights_the_match(small_directory):
    items = search(DirectoryQuery(q="sustainable fashion")).items
    # Clusters of the Apparel sector ("fashion", a synonym) rank first; then the text's.
    item = next(i for i in items if i.name == "Cluster Têxtil do Norte")
    assert "<mark>sustainable</mark> <mark>fashion</mark>" in item.snippet
    assert item.score is not None and item.score > 0


def test_snippet_escapes_html(db):
    save_document(profile("Escaping Cluster", mission="<script>alert(1)</script> quantum"))
    (item,) = search(DirectoryQuery(q="quantum")).items
    assert "<script>" not in item.snippet and "&lt;script&gt;" in item.snippet


def test_or_within_a_facet_and_across_facets(small_directory):
    pt = set(names(country=["PT"]))
    es = set(names(country=["ES"]))
    assert set(names(country=["PT", "ES"])) == pt | es
    apparel = set(names(sectoral_industries=["apparel"]))
    assert set(names(country=["PT", "ES"], sectoral_industries=["apparel"])) == (pt | es) & apparel
    assert {"Cluster Têxtil do Norte", "Clúster de la Moda de Galicia"} <= apparel


def test_facets_are_disjunctive(small_directory):
    result = search(DirectoryQuery(country=["ES"], facet_limit=100))
    countries = {v.value: v for v in result.facets["country"].values}
    assert [v for v, facet_value in countries.items() if facet_value.selected] == ["ES"]
    everything = search(DirectoryQuery(facet_limit=100))
    all_counts = {v.value: v.count for v in everything.facets["country"].values}
    # Ticking Spain still shows how many are in each other country.
    for value, facet_value in countries.items():
        assert facet_value.count == all_counts[value]
    # Other facets count within Spain only.
    assert sum(v.count for v in result.facets["cluster_excellence_label"].values) <= result.total


def test_facets_ordered_by_count_then_label_and_truncated(small_directory):
    facet = search(DirectoryQuery(facet_limit=3)).facets["sectoral_industries"]
    assert len(facet.values) == 3 and facet.truncated
    keys = [(-v.count, v.label.casefold()) for v in facet.values]
    assert keys == sorted(keys)
    full = search(DirectoryQuery(facet_limit=3, expand=["sectoral_industries"]))
    assert not full.facets["sectoral_industries"].truncated
    assert len(full.facets["sectoral_industries"].values) > 3


def test_every_facet_is_counted(small_directory):
    result = search(DirectoryQuery())
    assert set(result.facets) == set(FACETS)
    for key, facet in result.facets.items():
        assert facet.values, key
        assert not facet.timed_out


def test_a_slow_facet_is_flagged_not_failing(small_directory, settings):
    settings.DIRECTORY_FACET_TIMEOUT = -1
    result = search(DirectoryQuery(q="cluster"))
    assert result.total > 0
    assert all(f.timed_out and f.values == [] for f in result.facets.values())


def test_selected_value_without_matches_stays_visible(small_directory):
    result = search(DirectoryQuery(country=["PT"], q="galego"))
    assert result.total == 0
    (pt,) = [v for v in result.facets["country"].values if v.value == "PT"]
    assert pt.selected and pt.count == 0


def test_ranges(small_directory):
    found = search(DirectoryQuery(members_min=100, members_max=130, country=["PT"])).items
    assert "Cluster Têxtil do Norte" in [i.name for i in found]
    assert all(100 <= i.members <= 130 and i.country == "PT" for i in found)
    assert "Cluster Têxtil do Norte" in names(established_from=1990, established_to=1999)
    assert "Cluster Têxtil do Norte" not in names(established_from=2000)


def test_sorts(small_directory):
    by_name = names(sort="name")
    assert by_name == sorted(by_name, key=str.casefold)
    members = [i.members for i in search(DirectoryQuery(sort="members", page_size=100)).items]
    known = [m for m in members if m is not None]
    assert known == sorted(known, reverse=True) and members[: len(known)] == known
    assert names(sort="established", country=["PT"])[0] == "Cluster Têxtil do Norte"


def test_pages(small_directory):
    first = search(DirectoryQuery(sort="name", page_size=10))
    second = search(DirectoryQuery(sort="name", page_size=10, page=2))
    assert first.total == second.total == 64
    assert not {i.slug for i in first.items} & {i.slug for i in second.items}
    assert search(DirectoryQuery(page=99)).items == []


@pytest.mark.parametrize("query", [{"q": "cluster"}, {"q": "cluster", "sort": "name"}, {}])
def test_an_empty_directory_finds_nothing(db, query):
    index_module._cache.clear()
    result = search(DirectoryQuery(**query))
    assert result.total == 0 and result.items == []


def test_index_follows_create_update_and_delete(small_directory):
    assert names(q="zyxwords") == []
    org = save_document(profile("Zyxwords Cluster", country="DE"))
    assert names(q="zyxwords") == ["Zyxwords Cluster"]
    save_document(profile("Renamed Cluster", slug="zyxwords-cluster", country="DE"))
    assert names(q="zyxwords") == [] and names(q="renamed") == ["Renamed Cluster"]
    assert "Renamed Cluster" in names(country=["DE"])
    delete_profiles([ClusterOrganisation.objects.get(pk=org.pk)])
    assert names(q="renamed") == [] and "Renamed Cluster" not in names(country=["DE"])


def test_a_rolled_back_write_leaves_no_trace(small_directory):
    with pytest.raises(RuntimeError), transaction.atomic():
        save_document(profile("Ghostword Cluster"))
        assert names(q="ghostword") == ["Ghostword Cluster"]  # seen inside the transaction
        raise RuntimeError
    assert names(q="ghostword") == []
    save_document(profile("Another Cluster"))  # the next write gets a fresh version
    assert names(q="ghostword") == [] and names(q="another") == ["Another Cluster"]


def test_query_count_is_fixed(small_directory, django_assert_max_num_queries):
    search(DirectoryQuery())  # builds the index once
    # state; the word, the words it begins, its near misses; ranks; snippets
    with django_assert_max_num_queries(7):
        search(DirectoryQuery(q="textil", country=["PT", "ES"], sectoral_industries=["apparel"]))


def test_name_words_match_word_prefixes():
    index = NameWords.build([["cluster", "textil", "norte"], ["clusterland"], ["master", "z"]])

    def found(names, *words, prefix=True):
        return sorted(names.ordinals(Term(words, prefix)).tolist())

    assert found(index, "clust") == [0, 1]
    assert found(index, "clust", prefix=False) == []  # whole words
    assert found(index, "cluster", "nor") == [0]
    assert found(index, "ster") == []  # not inside words
    assert found(index, "z") == [2]
    assert found(NameWords.build([]), "a") == []
    written = index.with_names({3: ["clustering"], 4: ["cluster", "norte"]})  # written since
    assert found(written, "clust") == [0, 1, 3, 4]
    assert found(written, "cluster", "nor") == [0, 4]
    assert found(index, "clust") == [0, 1]
    assert index.frequent(0) == {"cluster", "textil", "norte", "clusterland", "master", "z"}
    assert written.frequent(1) == {"cluster", "norte"}  # in two names, one written since


def test_strings_of_the_build_and_written_since():
    from clusterhub.directory.index import SlugLookup, Strings

    strings = Strings(["Clúster Têxtil", None, "", "Ærø"])
    assert strings[:] == ["Clúster Têxtil", None, "", "Ærø"] and len(strings) == 4
    strings.put(4, ["Later", None])  # two ordinals appended by a write
    strings.put(5, ["Rewritten"])  # a later write from the index of size 5
    assert strings[3:] == ["Ærø", "Later", "Rewritten"] and strings[4] == "Later"
    lookup = SlugLookup(["b", "a", "c"])
    assert [lookup.ordinal(s, Strings(["b", "a", "c"])) for s in "abcd"] == [1, 0, 2, None]


@pytest.mark.parametrize("few_share", [1, 10**9])  # every mask sorted, or read in parts
def test_an_order_with_ordinals_appended_selects_as_one_sorted_order(monkeypatch, few_share):
    import random

    from clusterhub.directory.index import Order

    monkeypatch.setattr(index_module, "ORDER_PART", 4)  # a page read in several parts
    monkeypatch.setattr(index_module, "FEW_SHARE", few_share)

    rng = random.Random(3)
    keys = [(rng.randint(0, 40), o) for o in range(300)]  # ties broken by the ordinal
    order = Order(np.array(sorted(range(200), key=keys.__getitem__), dtype=np.int64))
    for start in range(200, 300, 25):  # four writes, their ordinals in no order
        batch = list(range(start, start + 25))
        rng.shuffle(batch)
        order = order.with_appended(batch, keys.__getitem__)
    assert order.all().tolist() == sorted(range(300), key=keys.__getitem__)
    for _ in range(20):
        mask = np.array([rng.random() < 0.3 for _ in range(300)])
        expected = [o for o in sorted(range(300), key=keys.__getitem__) if mask[o]]
        assert order.select(mask).tolist() == expected
        for limit in (1, 3, 10, 40, 120):  # the first of a page, appended ones among them
            assert order.select(mask, limit).tolist() == expected[:limit]


def test_facet_bitmaps_count_what_the_entries_count(small_directory):
    index_module._cache.clear()  # built whole, not from writes on an empty index
    index = get_index()
    rng = np.random.default_rng(5)
    with_bitmaps = [c for c in index.facets.values() if c.bitmaps is not None]
    assert with_bitmaps
    for column in with_bitmaps:
        entries_only = dataclasses.replace(column, bitmaps=None, all_counts=None)
        for share in (0.1, 0.5, 0.9):
            mask = Masked(rng.random(index.size) < share)
            assert column.counts(mask).tolist() == entries_only.counts(mask).tolist()
        chosen = column.values[:2]
        assert (column.mask(chosen, index.size) == entries_only.mask(chosen, index.size)).all()


def test_facet_entries_count_each_masked_organisations_values(small_directory):
    """Both ways of counting from the entries: the few masked organisations' slices, and
    every entry weighed by its organisation's mask."""
    index_module._cache.clear()
    index = get_index()
    rng = np.random.default_rng(7)
    for column in index.facets.values():
        entries_only = dataclasses.replace(column, bitmaps=None, all_counts=None)
        for share in (0.05, 0.5):
            mask = rng.random(index.size) < share
            expected = np.zeros(len(column.values), dtype=np.int64)
            for doc in np.flatnonzero(mask).tolist():
                expected[column.values_of(doc)] += 1
            assert entries_only.counts(Masked(mask)).tolist() == expected.tolist()


@pytest.mark.parametrize(("as_ordinals", "room"), [(0, 256), (1, 256), (1, 0)])
def test_kept_match_sets_follow_writes(small_directory, monkeypatch, as_ordinals, room):
    """Kept as bits, as ordinals, and as ordinals with no room for the write's."""
    keep_sets_from(monkeypatch, 1)
    monkeypatch.setattr(index_module, "KEPT_AS_ORDINALS", as_ordinals)
    monkeypatch.setattr(index_module, "KEPT_ROOM_MIN", room)
    before = names(q="cluster")
    index = get_index()
    kept = clauses(["cluster"], index.lexicon)[0].exact
    assert index._matches[kept][1].dtype == (np.int32 if as_ordinals else np.uint64)
    # An eighth of the set's 64 as room at least: the ninth appended finds none left.
    written = [f"Zyx Cluster {n}" for n in range(1 if room else 9)]
    for name in written:
        save_document(profile(name, country="DE"))
    # Brought up to date, not read again; without room, read again when asked.
    assert (kept in get_index()._matches) == bool(room)
    assert set(names(q="cluster")) == {*before, *written}


def test_kept_sets_go_least_recently_used_first_past_their_bytes_or_number():
    kept = index_module.KeptSets(budget=100, most=3)
    for n, cost in enumerate((40, 10, 10)):
        kept.put(n, (n,), cost)
    kept.used(0)  # now the most recently used
    kept.put(3, (3,), 10)  # a fourth set: the least recently used goes
    assert [terms for terms, *_ in kept.costed()] == [2, 0, 3] and kept.nbytes == 60
    kept.put(2, (2,), 55)  # kept again, larger: past 100 bytes, the least used goes
    assert [terms for terms, *_ in kept.costed()] == [3, 2] and kept.nbytes == 65
    assert kept.used(0) is None and 0 not in kept


def test_written_organisations_match_terms_as_the_full_text_index_does():
    written = index_module._WrittenWords(
        name_words=[["textile", "cluster"], ["wood", "hub"], ["artificial"]],
        body_words=[["smart", "fabrics"], ["artificial", "intelligence", "labs"], ["intelligence"]],
    )
    assert written.matching((Term(("textile",)),)) == {0}
    assert written.matching((Term(("text",)),)) == set()  # a word, not a prefix
    assert written.matching((Term(("text",), prefix=True), Term(("hub",)))) == {0, 1}
    # A phrase: its words in a row within one field (not name then text), the last a prefix.
    assert written.matching((Term(("artificial", "intel"), prefix=True),)) == {1}
    assert written.matching((Term(("artificial", "intelligence")),)) == {1}


def test_each_backend_keeps_match_sets_from_its_own_size():
    # Every set on PostgreSQL, where even reading no match costs a round trip; FTS5 reads a
    # small set in 0.1 ms, and every kept set costs each write a pass.
    assert (PostgresBackend.keep_sets_from, SQLiteBackend.keep_sets_from) == (0, 1000)


@pytest.mark.parametrize(("keep_from", "kept"), [(0, True), (1000, False)])
def test_match_sets_are_kept_from_the_backends_size(small_directory, monkeypatch, keep_from, kept):
    keep_sets_from(monkeypatch, keep_from)
    index = get_index()
    (clause,) = clauses(["zyxwv"], index.lexicon)
    assert names(q="zyxwv") == []
    assert (clause.exact in index._matches) == kept


def test_the_most_frequent_words_are_matched_with_the_index(small_directory, monkeypatch):
    monkeypatch.setattr(index_module, "FREQUENT_WORD_MIN", 1)
    keep_sets_from(monkeypatch, 1)
    expected = names(q="cluster")
    index_module._cache.clear()  # the next search builds the index
    index = get_index()
    assert clauses(["cluster"], index.lexicon)[0].exact in index._matches  # before any search
    assert len(index._matches) <= 3 * index_module.FREQUENT_WORDS  # three levels a word
    assert set(names(q="cluster")) == set(expected)


QUERIES = [{}, {"q": "cluster"}, {"q": "zyx"}, {"q": "malta"}, {"country": ["MT", "DE"]},
           {"q": "automotve"}, {"sort": "members"}, {"sort": "updated", "page": 2},
           {"sort": "established"}, {"page_size": 50}, {"q": "cluster", "page_size": 50}]  # fmt: skip


# With the entries the change log holds, and as large writes are read: by each process.
# Match sets kept as bits and as ordinals.
@pytest.mark.parametrize(("entries_max", "as_ordinals"), [(index_module.ENTRIES_MAX, 0), (0, 1)])
def test_writes_are_applied_to_the_index_without_building_it(
    transactional_db, seed_doc, monkeypatch, entries_max, as_ordinals
):
    from clusterhub.ingest.demo import synthetic_profiles
    from tests.documents import save_documents

    monkeypatch.setattr(index_module, "ENTRIES_MAX", entries_max)
    monkeypatch.setattr(index_module, "KEPT_AS_ORDINALS", as_ordinals)
    keep_sets_from(monkeypatch, 1)
    docs = [seed_doc, *synthetic_profiles(30, seed=2)]
    save_documents(docs)
    index_module._cache.clear()
    first = get_index()
    names(q="cluster")  # a kept match set, to be brought up to date
    assert "Zyx Cluster" not in names(q="malta")  # label matches kept with the first index
    builds = []
    build = index_module._build
    monkeypatch.setattr(index_module, "_build", lambda alias: builds.append(1) or build(alias))
    save_document(profile("Zyx Cluster", country="MT", sectoral_industries=["Automotive"]))
    assert names(q="zyx") == ["Zyx Cluster"] and "Zyx Cluster" in names(q="malta")
    save_document(profile("Zyx Cluster", country="DE"))  # rewritten: its old entries go
    for name in ("Aardvark Cluster", "Mid Cluster", "Mid Cluster Two"):  # sorted among all
        save_document(profile(name, country="MT"))
    delete_profiles([ClusterOrganisation.objects.get(slug=docs[3].slug)])
    updated = get_index()
    assert builds == [] and updated.size >= first.size + 5 and updated.listed == first.size + 3
    assert first.size == len(first.live) and "Zyx Cluster" not in first.names[: first.size]
    written = [search(DirectoryQuery(**q)).model_dump() for q in QUERIES]
    index_module._cache.clear()  # the same data, indexed afresh, answers the same
    assert [search(DirectoryQuery(**q)).model_dump() for q in QUERIES] == written
    assert written[2]["items"][0]["country"] == "DE"
    assert "Zyx Cluster" not in [item["name"] for item in written[3]["items"]]


def test_a_large_index_is_rebuilt_behind_the_requests(transactional_db, seed_doc, monkeypatch):
    from clusterhub.ingest.demo import synthetic_profiles
    from tests.documents import save_documents

    save_documents([seed_doc, *synthetic_profiles(20, seed=2)])
    monkeypatch.setattr(index_module, "ROOM_MIN", 0)  # no room: every write needs a build
    monkeypatch.setattr(index_module, "ROOM_SHARE", 0)
    index_module._cache.clear()
    first = get_index()
    monkeypatch.setattr(index_module, "SYNC_REBUILD_MAX", 0)  # as if it were large
    builds = []
    build = index_module._build
    monkeypatch.setattr(
        index_module,
        "_build",
        lambda alias: builds.append(threading.current_thread()) or build(alias),
    )
    for name in ("Zyx Cluster", "Yxz Cluster"):  # each write, not only the first
        save_document(profile(name))
        stale = get_index()
        assert name not in stale.names  # the request goes on with the previous index
        index_module.wait_for_rebuild(timeout=60)
        fresh = get_index()
        assert fresh is not stale and name in fresh.names
    assert fresh.size == first.size + 2
    # Built behind the requests once per write, and kept: no request built one itself.
    assert len(builds) == 2 and threading.main_thread() not in builds


def test_writes_move_the_version_even_after_a_flush(db):
    from clusterhub.directory.index import current_state
    from clusterhub.directory.models import DirectoryVersion

    DirectoryVersion.objects.all().delete()  # what `flush` leaves
    save_document(profile("Flushed Cluster"))
    assert current_state("default") != (0, 0)
    assert names(q="flushed") == ["Flushed Cluster"]
