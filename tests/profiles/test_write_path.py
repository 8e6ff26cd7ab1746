"""save_profiles: the one way profiles are written, its steps in order, every change a
revision, and a document written back unchanged no change at all."""

import pytest
from django.db.models.signals import post_delete, post_save

from clusterhub.accounts import editing, moderation
from clusterhub.accounts.models import Revision
from clusterhub.network.resolution import resolve_all
from clusterhub.profiles import writing
from clusterhub.profiles.choices import Status
from clusterhub.profiles.document import to_document
from clusterhub.profiles.models import ClusterOrganisation
from clusterhub.profiles.schema import ProfileDoc
from clusterhub.profiles.writing import STEPS, save_profiles
from tests.documents import save_document, save_documents

pytestmark = pytest.mark.django_db


def profile(name: str, **values) -> ProfileDoc:
    return ProfileDoc.model_validate({"name": name, **values})


def test_a_new_profile_is_a_draft_unless_the_writer_says_otherwise(db):
    (org,) = save_profiles([profile("Quiet Cluster")], action="create")
    assert org.status == Status.DRAFT
    (imported,) = save_profiles(
        [profile("Imported Cluster")], action="import", new_status=Status.PUBLISHED
    )
    assert imported.status == Status.PUBLISHED


def test_the_steps_run_in_their_stated_order(db, monkeypatch):
    ran = []
    for name in (
        "resolve_collaborations",
        "search_documents",
        "record_revisions",
        "directory_changed",
    ):
        step = getattr(STEPS, name)
        monkeypatch.setattr(
            STEPS, name, lambda write, name=name, step=step: (ran.append(name), step(write))
        )
    save_document(profile("Ordered Cluster"))
    assert ran == [
        "resolve_collaborations",
        "search_documents",
        "record_revisions",
        "directory_changed",
    ]


def test_no_receiver_writes_when_a_profile_is_saved():
    # Everything a write does is in save_profiles; nothing hangs on the model's signals.
    assert not post_save.has_listeners(ClusterOrganisation)
    assert not post_delete.has_listeners(ClusterOrganisation)


def test_a_write_with_a_step_missing_refuses_to_run(db, monkeypatch):
    monkeypatch.setattr(STEPS, "record_revisions", None)
    with pytest.raises(Exception, match="record_revisions"):
        save_document(profile("Incomplete Cluster"))
    assert not ClusterOrganisation.objects.exists()


def test_a_document_written_back_unchanged_is_no_change(seed_org):
    before = ClusterOrganisation.objects.get(pk=seed_org.pk)
    revisions = Revision.objects.filter(organisation=seed_org).count()
    save_document(to_document(seed_org))
    after = ClusterOrganisation.objects.get(pk=seed_org.pk)
    assert (after.version, after.updated_at) == (before.version, before.updated_at)
    assert Revision.objects.filter(organisation=seed_org).count() == revisions


def history_is_whole(org: ClusterOrganisation) -> None:
    """Versions 1 to the current one each have their revision, and the last holds the
    document as stored."""
    org.refresh_from_db()
    versions = list(
        Revision.objects.filter(organisation=org).order_by("id").values_list("version", flat=True)
    )
    assert versions == list(range(1, org.version + 1))
    last = Revision.objects.filter(organisation=org).latest("id")
    assert last.document == to_document(org).model_dump(mode="json")


def test_every_change_is_a_revision(people, draft_doc, seed_org):
    owner, moderator = people.users["owner"], people.users["moderator"]
    org = ClusterOrganisation.objects.get(slug=people.slug)
    history_is_whole(org)  # created
    editing.update_profile(owner, people.slug, draft_doc.model_copy(update={"mission": "v2"}), 1)
    moderation.change_status(owner, people.slug, "submit")
    moderation.change_status(moderator, people.slug, "publish")
    history_is_whole(org)
    # A collaboration resolved later changes the document: a revision too.
    doc = ProfileDoc.model_validate(
        to_document(org).model_dump()
        | {"collaborating_clusters": [{"name": "Cluster do Audiovisual Galego"}]}
    )
    save_documents([doc], resolve=False)
    resolve_all()
    org.refresh_from_db()
    assert to_document(org).collaborating_clusters[0].profile == seed_org.slug
    assert Revision.objects.filter(organisation=org).latest("id").action == "resolve"
    history_is_whole(org)
    history_is_whole(seed_org)


def test_the_create_revision_holds_the_document_as_stored(people, seed_org):
    sent = profile(
        "Writer Cluster", collaborating_clusters=[{"name": "CLUSTER DO AUDIOVISUAL GALEGO"}]
    )
    org = editing.create_profile(people.users["owner"], sent)
    (revision,) = Revision.objects.filter(organisation=org)
    stored = revision.document["collaborating_clusters"][0]
    assert stored["profile"] == seed_org.slug and stored["match_status"] == "linked"
    assert revision.document == to_document(org).model_dump(mode="json")


def test_a_failed_write_leaves_nothing(seed_org, monkeypatch):
    def broken(write):
        raise RuntimeError("disk full")

    monkeypatch.setattr(STEPS, "record_revisions", broken)
    with pytest.raises(RuntimeError):
        save_document(to_document(seed_org).model_copy(update={"mission": "Lost."}))
    assert ClusterOrganisation.objects.get(pk=seed_org.pk).version == seed_org.version
    assert to_document(seed_org).mission != "Lost."


def test_stale_version_writes_nothing_and_carries_the_current_document(seed_org):
    with pytest.raises(writing.StaleVersion) as stale:
        save_profiles([to_document(seed_org)], action="edit", versions={seed_org.slug: 99})
    assert stale.value.current_version == seed_org.version
    assert stale.value.current.slug == seed_org.slug
