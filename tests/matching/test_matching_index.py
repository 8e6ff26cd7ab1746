"""The partner finder's index past SYNC_REBUILD_MAX profiles: every write makes a new
directory index, and this one is built again at most every REBUILD_EVERY seconds."""

import pytest

from clusterhub.directory.index import wait_for_rebuild
from clusterhub.matching import index as matching
from clusterhub.profiles.schema import ProfileDoc
from tests.documents import save_document

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_large_matching_index_is_built_again_at_most_so_often(seed_doc, monkeypatch):
    save_document(seed_doc)
    first = matching.get_matching_index()
    monkeypatch.setattr(matching, "SYNC_REBUILD_MAX", 0)  # as if it were large
    save_document(ProfileDoc.model_validate({"name": "Later Cluster"}))
    assert matching.get_matching_index() is first  # built a moment ago: kept
    monkeypatch.setattr(matching, "REBUILD_EVERY", 0)
    assert matching.get_matching_index() is first  # served while a thread builds
    wait_for_rebuild(timeout=60)
    rebuilt = matching.get_matching_index()
    assert rebuilt is not first and "Later Cluster" in rebuilt.directory.names


def test_function_words_leave_similar_descriptions_and_words_of_the_domain_stay():
    from clusterhub.matching.index import _meaningful

    for word in ("between", "whose", "para", "dans", "zwischen", "than", "etc", "r", "62"):
        assert not _meaningful(word), word
    # Long stop lists also hold what clusters do: the vocabularies name these.
    for word in ("research", "information", "members", "goods", "internationalisation"):
        assert _meaningful(word), word
