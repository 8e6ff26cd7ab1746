import pytest

from clusterhub.vocab.models import Term
from clusterhub.vocab.services import load_vocabularies, vocabularies


def test_vocabulary_files_are_read_with_their_header():
    vocabs = vocabularies()
    assert len(vocabs["sectoral_industries"].labels) == 51
    assert vocabs["sectoral_industries"].closed
    assert not vocabs["support_services"].closed
    assert vocabs["cluster_labels"].labels == ("Bronze", "Silver", "Gold")


@pytest.mark.django_db
def test_migration_loaded_every_term_as_reviewed():
    expected = sum(len(v.labels) for v in vocabularies().values())
    assert Term.objects.filter(reviewed=True).count() == expected
    assert Term.objects.get(vocabulary="emerging_industries", slug="creative-industries")


@pytest.mark.django_db
def test_loading_again_is_idempotent_and_reviews_known_labels():
    Term.objects.filter(label="Footwear").update(reviewed=False)
    assert load_vocabularies() == 0
    assert Term.objects.get(label="Footwear").reviewed
