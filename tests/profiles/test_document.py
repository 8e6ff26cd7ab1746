"""to_document and the write path's rows: the one mapping, lossless both ways."""

import pytest

from clusterhub.ingest.eccp import parse_file
from clusterhub.profiles import document
from clusterhub.profiles.document import CHILD_MODELS, ROW_LISTS, to_document
from clusterhub.profiles.models import ClusterOrganisation, ProfileTerm, TeamMember
from clusterhub.profiles.schema import ProfileDoc
from clusterhub.vocab.models import Term
from tests.documents import save_documents

pytestmark = pytest.mark.django_db


def save_document(doc):
    """The mapping on its own: collaborations left unresolved, so a document comes back
    exactly as it was sent (tests/network test the resolution)."""
    return save_documents([doc], resolve=False)[0]


def reload(slug: str) -> ProfileDoc:
    return to_document(ClusterOrganisation.objects.get(slug=slug))


@pytest.mark.parametrize(
    "name", ["silver-multi-region.txt", "gold-minimal.txt", "no-country.txt", "cap-digital.html"]
)
def test_round_trip_of_every_test_page(name, page):
    doc = parse_file(page(name))
    save_document(doc)
    assert reload(doc.slug) == doc


def test_round_trip_of_the_seed(seed_doc):
    save_document(seed_doc)
    assert reload(seed_doc.slug).model_dump(mode="json") == seed_doc.model_dump(mode="json")


def test_every_list_of_the_document_has_its_table():
    lists = {spec.path for spec in ROW_LISTS}
    assert {
        "regions",
        "sectoral_industries",
        "international.target_countries",
        "programmes",
    } <= lists
    assert all(spec.model in CHILD_MODELS for spec in ROW_LISTS)


def test_rows_split_over_many_statements_keep_order(seed_doc, monkeypatch):
    # Inserts write many rows to a statement; a tiny batch makes every list straddle two.
    monkeypatch.setattr(document, "ROWS_PER_INSERT", 2)
    save_document(seed_doc)
    assert reload(seed_doc.slug).model_dump(mode="json") == seed_doc.model_dump(mode="json")


def test_lists_are_stored_as_ordered_rows(seed_org):
    team = TeamMember.objects.filter(organisation=seed_org).order_by("order")
    assert [m.first_name for m in team] == ["Mar", "Rocío"]
    sectors = ProfileTerm.objects.filter(
        organisation=seed_org, term__vocabulary="sectoral_industries"
    ).order_by("order")
    assert [p.term.label for p in sectors] == [
        "Communications Equipment and Services",
        "Video Production and Distribution",
    ]
    assert seed_org.target_countries.filter(scope="transnational").count() == 5


def test_update_replaces_lists_and_keeps_identity(seed_doc, seed_org):
    changed = seed_doc.model_copy(
        update={
            "regions": ["Galicia", "Asturias"],
            "management_team": seed_doc.management_team[:1],
            "sectoral_industries": ["Video Production and Distribution"],
        }
    )
    again = save_document(changed)
    assert again.pk == seed_org.pk
    assert ClusterOrganisation.objects.count() == 1
    assert reload(seed_doc.slug).model_dump(
        exclude={"collaborating_clusters"}
    ) == changed.model_dump(exclude={"collaborating_clusters"})


def test_only_the_lists_that_change_are_written_again(seed_doc, seed_org):
    programmes = set(seed_org.programmes.values_list("pk", flat=True))
    team = set(seed_org.management_team.values_list("pk", flat=True))
    save_document(reload(seed_doc.slug).model_copy(update={"regions": ["Asturias"]}))
    assert set(seed_org.programmes.values_list("pk", flat=True)) == programmes
    assert set(seed_org.management_team.values_list("pk", flat=True)) == team
    assert list(seed_org.regions.values_list("name", flat=True)) == ["Asturias"]


def test_unknown_vocabulary_value_becomes_an_unreviewed_term(seed_doc):
    doc = seed_doc.model_copy(update={"technology_fields": ["Creative products", "Holography"]})
    save_document(doc)
    term = Term.objects.get(vocabulary="technology_fields", label="Holography")
    assert term.reviewed is False and term.slug == "holography"
    assert Term.objects.get(vocabulary="technology_fields", label="Creative products").reviewed
    assert reload(doc.slug).technology_fields == ["Creative products", "Holography"]


def test_vocabulary_labels_match_regardless_of_case(seed_doc):
    doc = seed_doc.model_copy(update={"emerging_industries": ["creative industries"]})
    save_document(doc)
    assert reload(doc.slug).emerging_industries == ["Creative Industries"]
    assert not Term.objects.filter(label="creative industries").exists()


def test_failed_save_leaves_the_database_as_it_was(seed_doc, seed_org, monkeypatch):
    stored = reload(seed_doc.slug)
    insert = document.insert_rows

    def broken(using, model, columns, rows):
        if model is document.m.Region:
            raise RuntimeError("disk full")
        insert(using, model, columns, rows)

    monkeypatch.setattr(document, "insert_rows", broken)
    with pytest.raises(RuntimeError):
        save_document(stored.model_copy(update={"name": "Renamed", "regions": ["Asturias"]}))
    assert reload(seed_doc.slug) == stored
    assert ClusterOrganisation.objects.get(pk=seed_org.pk).version == seed_org.version


def test_reading_a_profile_costs_a_fixed_number_of_queries(seed_org, django_assert_num_queries):
    # 1 organisation + 1 per list table (term labels and linked slugs joined), however
    # long the lists are.
    with django_assert_num_queries(1 + len(CHILD_MODELS)):
        to_document(seed_org.pk)
