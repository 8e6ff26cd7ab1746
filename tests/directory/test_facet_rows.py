"""What each facet counts and how it names its values, over a selection of the
directory; and the name words' exact lookup (each found by a mutant that survived the
search tests; docs/mutation.md)."""

import numpy as np

from clusterhub.directory.facets import FACETS
from clusterhub.directory.index import NameWords
from clusterhub.profiles.models import ClusterOrganisation
from tests.documents import save_documents

from .conftest import profile

BY_KEY = {f.key: f for f in FACETS}


def rows(key: str, ids: set[int]) -> set[tuple[str, str, str]]:
    slugs = dict(ClusterOrganisation.objects.values_list("pk", "slug"))
    return {(slugs[o], value, label) for o, value, label in BY_KEY[key].rows("default", ids)}


def three(db):
    docs = [
        profile("Alpha Cluster", country="FR", languages=["fr"], regions=["Bretagne"],
                international={"target_countries": ["JP"]}),
        profile("Beta Cluster", country="DE", languages=["de"], regions=["Bayern"],
                international={"target_countries": ["CA", "JP"]}),
        profile("Gamma Cluster", country="IT", languages=["it"], regions=["Lazio"]),
    ]  # fmt: skip
    orgs = save_documents(docs, status="published")
    return {o.slug: o.pk for o in orgs}


def test_a_facet_counts_every_organisation_of_the_selection_not_only_up_to_the_first_left_out(db):
    pks = three(db)
    selection = {pks["beta-cluster"], pks["gamma-cluster"]}  # the first one left out
    assert rows("country", selection) == {
        ("beta-cluster", "DE", "Germany"), ("gamma-cluster", "IT", "Italy")}  # fmt: skip
    assert rows("regions", selection) == {
        ("beta-cluster", "bayern", "Bayern"), ("gamma-cluster", "lazio", "Lazio")}  # fmt: skip


def test_country_lists_and_languages_are_named_not_coded(db):
    pks = three(db)
    everyone = set(pks.values())
    assert rows("target_countries", everyone) == {
        ("alpha-cluster", "JP", "Japan"), ("beta-cluster", "CA", "Canada"),
        ("beta-cluster", "JP", "Japan")}  # fmt: skip
    assert rows("languages", {pks["alpha-cluster"], pks["beta-cluster"]}) == {
        ("alpha-cluster", "fr", "French"), ("beta-cluster", "de", "German")}  # fmt: skip


def test_a_word_no_name_has_finds_nobody():
    index = NameWords.build([["alpha", "cluster"], ["beta"]])
    assert index.docs_of("cluster").tolist() == [0]
    assert index.docs_of("beta").tolist() == [1]
    assert index.docs_of("absent").tolist() == []
    assert index.docs_of("aaa").tolist() == []  # sorts before every word
    assert index.docs_of("zzz").tolist() == []  # and after
    assert index.docs_of("clus").tolist() == []  # a beginning is not a word


def test_a_value_repeated_for_one_organisation_counts_once_and_no_other_pair_merges():
    from clusterhub.directory.index import FacetColumn, Masked

    column = FacetColumn()
    a, b = column.value_index("a", "A"), column.value_index("b", "B")
    # organisation 0 has a twice and b; organisation 3 has a: (0, b) and (3, a) are
    # different pairs however the pairs are keyed.
    column.freeze(docs=[0, 0, 0, 3], values=[a, a, b, a], size=4, capacity=4)
    everyone = np.ones(4, dtype=bool)
    assert column.counts(Masked(everyone)).tolist() == [2, 1]
    assert column.has(a, 4).tolist() == [True, False, False, True]
    assert column.has(b, 4).tolist() == [True, False, False, False]
