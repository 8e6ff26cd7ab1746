"""The same queries give the same answers on SQLite and on PostgreSQL.

Needs CLUSTERHUB_TEST_DATABASE_URL (set by .ci/run): the data goes into both the
default database and the `postgres` alias, and every query runs on both.
"""

import pytest
from django.conf import settings

from clusterhub.directory.query import DirectoryQuery
from clusterhub.directory.services import search
from clusterhub.directory.text import query_words, words
from clusterhub.ingest.demo import demo_documents
from tests.documents import save_documents

pytestmark = [
    pytest.mark.skipif(
        "postgres" not in settings.DATABASES,
        reason="set CLUSTERHUB_TEST_DATABASE_URL to a PostgreSQL database (.ci/run does)",
    ),
    pytest.mark.django_db(databases=["default", "postgres"]),
]

QUERIES = [
    {},
    {"q": "galego"},
    {"q": "textil"},
    {"q": "automotive cluster"},
    {"q": "Clúster"},
    {"q": "inno"},
    {"q": "the"},
    {"q": '"NEAR( -:*'},
    {"country": ["ES", "PT"]},
    {"sectoral_industries": ["automotive", "apparel"], "country": ["DE", "FR", "IT"]},
    {"q": "cluster", "cluster_excellence_label": ["gold"], "languages": ["de"]},
    {"q": "innovation", "target_countries": ["BR"], "sort": "members"},
    {"members_band": ["100-249"], "sort": "established", "page": 3},
    {"services": ["access-to-finance"], "cooperation_activities": ["joint-projects"]},
    {"programmes": ["cosme"], "sort": "name", "page": 2, "page_size": 7},
    {"members_min": 50, "members_max": 200, "established_from": 2000, "sort": "updated"},
    {"regions": ["galicia"], "emerging_industries": ["creative-industries"]},
    {"technology_fields": ["robotics"], "s3_priority_areas": ["energy"], "q": "support"},
]


@pytest.fixture
def both():
    docs = list(demo_documents(300, seed=5))
    for alias in ("default", "postgres"):
        save_documents(docs, using=alias)
    vendors = {settings.DATABASES[a]["ENGINE"].rsplit(".", 1)[-1] for a in ("default", "postgres")}
    return vendors


def answer(alias: str, params: dict):
    result = search(DirectoryQuery(facet_limit=1000, **params), using=alias)
    facets = {
        key: sorted((v.value, v.count) for v in facet.values)
        for key, facet in result.facets.items()
    }
    return result.total, facets, result.items


def name_matches(item, terms) -> bool:
    name = set(words(item.name))
    return all(any(w.startswith(t) for w in name) for t in terms)


@pytest.mark.parametrize("params", QUERIES, ids=[str(q) for q in QUERIES])
def test_same_totals_facets_and_top_results(both, params):
    sqlite_total, sqlite_facets, sqlite_top = answer("default", params)
    pg_total, pg_facets, pg_top = answer("postgres", params)
    assert sqlite_total == pg_total
    assert sqlite_facets == pg_facets
    terms = query_words(params.get("q", ""))
    if terms and params.get("sort", "relevance") == "relevance":
        # BM25 and ts_rank order differently; what both guarantee is that the
        # organisations whose name has every word come first, which and in what order.
        for top in (sqlite_top, pg_top):
            hits = [name_matches(item, terms) for item in top]
            assert hits == sorted(hits, reverse=True)
        leading = [[i.slug for i in top if name_matches(i, terms)] for top in (sqlite_top, pg_top)]
        assert leading[0] == leading[1]
        if sqlite_total <= len(sqlite_top):
            assert {i.slug for i in sqlite_top} == {i.slug for i in pg_top}
    else:
        assert [i.slug for i in sqlite_top] == [i.slug for i in pg_top]
