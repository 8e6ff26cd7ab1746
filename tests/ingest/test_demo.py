"""Synthetic demo profiles: deterministic, realistic spread, marked synthetic."""

from collections import Counter

from clusterhub.ingest.demo import demo_documents, synthetic_profiles
from clusterhub.vocab.services import vocabularies


def dumps(docs):
    return [d.model_dump(mode="json") for d in docs]


def test_same_seed_same_profiles_other_seed_other_profiles():
    assert dumps(synthetic_profiles(40, seed=9)) == dumps(synthetic_profiles(40, seed=9))
    assert dumps(synthetic_profiles(40, seed=9)) != dumps(synthetic_profiles(40, seed=10))


def test_spread_over_countries_and_vocabularies():
    docs = synthetic_profiles(300, seed=1)
    countries = Counter(d.country for d in docs)
    assert len(countries) >= 50
    assert countries.most_common(1)[0][1] < 30  # no country dominates
    used = {
        "sectoral_industries": {v for d in docs for v in d.sectoral_industries},
        "technology_fields": {v for d in docs for v in d.technology_fields},
        "s3_priority_areas": {v for d in docs for v in d.s3_priority_areas},
        "emerging_industries": {v for d in docs for v in d.emerging_industries},
        "support_services": {s.service for d in docs for s in d.services},
        "cluster_labels": {d.cluster_excellence_label for d in docs} - {None},
        "management_team_sizes": {d.management_team_size for d in docs},
        "cooperation_activities": {
            a for d in docs for a in d.international.activities + d.transnational.activities
        },
    }
    for vocabulary, values in used.items():
        assert values == set(vocabularies()[vocabulary].labels), vocabulary


def test_all_marked_synthetic_with_unique_slugs():
    docs = synthetic_profiles(500, seed=2)
    assert all(d.synthetic for d in docs)
    assert len({d.slug for d in docs}) == 500
    assert all(m.email.endswith(".example") for d in docs for m in d.management_team)


def test_collaborations_name_other_profiles_and_follow_plausible_rules():
    docs = synthetic_profiles(400, seed=3)
    by_name = {d.name: d for d in docs}
    entries = [(d, c) for d in docs for c in d.collaborating_clusters]
    links = [(d, by_name[c.name]) for d, c in entries if c.name in by_name]
    assert len(entries) > 400
    # Most name a partner exactly; the rest as people write: typos, capitals, shorter
    # names, the country alone, or clusters outside the directory.
    assert 0.6 < len(links) / len(entries) < 0.9
    assert any(c.name.isupper() for _, c in entries)
    assert any(c.name.endswith("Association") for _, c in entries)
    assert all(a.slug != b.slug for a, b in links)
    shared = sum(bool(set(a.sectoral_industries) & set(b.sectoral_industries)) for a, b in links)
    abroad = sum(a.country != b.country for a, b in links)
    assert shared / len(links) > 0.5
    assert abroad / len(links) > 0.8


def test_synthetic_clusters_also_name_the_real_seed(seed_doc):
    docs = synthetic_profiles(300, seed=1, known=[seed_doc])
    named = [
        c
        for d in docs
        for c in d.collaborating_clusters
        if c.name.casefold() == seed_doc.name.casefold()
    ]
    assert named and all(c.location.endswith("Spain") for c in named)
    assert seed_doc.slug not in {d.slug for d in docs}


def test_demo_starts_with_the_real_seed_profile():
    docs = list(demo_documents(2, seed=1))
    assert docs[0].slug == "cluster-do-audiovisual-galego" and not docs[0].synthetic
    assert len(docs) == 3


def test_names_agree_with_sectors_and_regions():
    from clusterhub.ingest.demo import _theme
    from clusterhub.matching.index import related_sectors

    related = related_sectors()
    docs = synthetic_profiles(300, seed=1)
    assert sum(len(d.sectoral_industries) > 1 for d in docs) > 50
    for d in docs:
        first, *more = d.sectoral_industries
        assert _theme(first) in d.name and d.regions[0] in d.name, d.name
        # No "Coal Mining" beside video production: the others follow a value chain.
        assert set(more) <= set(related.get(first, {})), (d.name, d.sectoral_industries)


def test_every_export_marks_a_synthetic_profile():
    import csv
    import io
    import json

    from clusterhub.ingest.formats import jsonld, write_csv

    doc = synthetic_profiles(1, seed=2)[0].model_dump(mode="json")
    node = jsonld(doc)
    assert node["additionalProperty"] == {"@type": "PropertyValue", "name": "synthetic",
                                          "value": True}  # fmt: skip
    assert "not a real organisation" in node["disambiguatingDescription"]
    out = io.StringIO()
    write_csv([doc], out)
    assert next(csv.DictReader(io.StringIO(out.getvalue())))["synthetic"] == "true"
    assert json.loads(json.dumps(doc))["synthetic"] is True
    real = {**doc, "synthetic": False}
    assert "additionalProperty" not in jsonld(real)
