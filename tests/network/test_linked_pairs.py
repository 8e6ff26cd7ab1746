"""The linked pairs the network and the statistics count, brought up to date from the
directory's change log after each write: always what reading them whole gives."""

from clusterhub.directory.index import get_index
from clusterhub.ingest.demo import demo_documents
from clusterhub.network import services
from clusterhub.network.services import edges, linked_ordinals, listed_pairs
from clusterhub.profiles.document import to_document
from clusterhub.profiles.models import ClusterOrganisation, CollaboratingCluster
from clusterhub.profiles.writing import delete_profiles
from tests.documents import change_status, save_document, save_documents


def _pairs(index) -> set[tuple[int, int]]:
    a, b = linked_ordinals(index)
    return set(zip(a.tolist(), b.tolist(), strict=True))


def _read_whole(index) -> set[tuple[int, int]]:
    a, b = listed_pairs(index, edges())
    return set(zip(a.tolist(), b.tolist(), strict=True))


def test_pairs_follow_every_kind_of_write_without_reading_them_all(db, monkeypatch):
    save_documents(list(demo_documents(80, seed=3)))
    index = get_index()
    assert len(_pairs(index)) > 20
    reads = []
    whole = services.edges
    monkeypatch.setattr(services, "edges", lambda using="default", organisations=None: (
        reads.append(organisations), whole(using, organisations))[1])  # fmt: skip

    # An entry dropped, one profile unpublished, one deleted, one named anew.
    linked = CollaboratingCluster.objects.filter(match_status__in=["linked", "confirmed"])
    naming = ClusterOrganisation.objects.get(pk=linked.first().organisation_id)
    doc = to_document(naming)
    save_document(doc.model_copy(update={"collaborating_clusters": doc.collaborating_clusters[1:]}))
    hidden = ClusterOrganisation.objects.get(
        pk=linked.exclude(organisation=naming).first().profile_id
    )
    change_status(hidden, "archived", action="archive")
    gone = ClusterOrganisation.objects.get(
        pk=linked.exclude(organisation__in=[naming, hidden]).last().organisation_id
    )
    delete_profiles([gone])
    target = ClusterOrganisation.objects.filter(status="published").exclude(pk=naming.pk).last()
    doc = to_document(ClusterOrganisation.objects.get(pk=naming.pk))
    entry = {
        "name": target.name,
        "location": "",
        "profile": target.slug,
        "match_status": "confirmed",
    }
    save_document(doc.model_validate({**doc.model_dump(mode="json"),
                                      "collaborating_clusters": [*doc.model_dump(mode="json")["collaborating_clusters"], entry]}))  # fmt: skip

    index = get_index()
    assert _pairs(index) == _read_whole(index)
    assert reads and all(r is not None for r in reads[:-1])  # the changed ones only
    ordinal = {o: index.ids[o] for pair in _pairs(index) for o in pair}
    assert gone.pk not in ordinal.values() and hidden.pk not in ordinal.values()
    assert (naming.pk, target.pk) in {(index.ids[a], index.ids[b]) for a, b in _pairs(index)}
