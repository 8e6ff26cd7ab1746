"""Every save is a revision; restoring one gives back the earlier document exactly."""

from clusterhub.accounts import editing, moderation, revisions
from clusterhub.accounts.models import Revision
from clusterhub.core import errors
from clusterhub.profiles.document import to_document
from clusterhub.profiles.entered import entered
from clusterhub.profiles.models import ClusterOrganisation
from tests.documents import as_sent


def current(slug):
    return to_document(ClusterOrganisation.objects.get(slug=slug))


def test_every_save_is_a_revision_with_a_field_diff(people, draft_doc):
    owner = people.users["owner"]
    changed = draft_doc.model_copy(update={"mission": "New mission.", "regions": ["Hovedstaden"]})
    editing.update_profile(owner, people.slug, changed, 1)
    moderation.change_status(owner, people.slug, "submit")
    history = list(Revision.objects.filter(organisation__slug=people.slug).order_by("id"))
    assert [(r.action, r.version, r.author) for r in history] == [
        ("create", 1, owner), ("edit", 2, owner), ("submit", 3, owner)
    ]  # fmt: skip
    assert history[1].changes == [
        {"path": "regions[0]", "before": None, "after": "Hovedstaden"},
        {"path": "mission", "before": "Offshore wind supply chain.", "after": "New mission."},
    ]


def test_restore_gives_back_the_earlier_document_exactly(people, seed_doc):
    owner = people.users["owner"]
    original = current(people.slug)
    # Every field filled, its telephones written as the editor writes them.
    rich = entered(seed_doc.model_copy(update={"slug": people.slug}))
    editing.update_profile(owner, people.slug, rich, 1)
    assert as_sent(current(people.slug)) == as_sent(rich)
    org = editing.restore_revision(owner, people.slug, version=1, base_version=2)
    assert org.version == 3
    assert current(people.slug).model_dump(mode="json") == original.model_dump(mode="json")
    restored = Revision.objects.filter(organisation=org).latest("id")
    assert (restored.action, restored.note) == ("restore", "restored version 1")
    # And forward again, to the rich version.
    editing.restore_revision(owner, people.slug, version=2, base_version=3)
    assert as_sent(current(people.slug)) == as_sent(rich)


def test_only_editors_restore(people):
    import pytest

    with pytest.raises(errors.NotFound):  # nor do others learn that the draft exists
        editing.restore_revision(people.users["stranger"], people.slug, 1, 1)


def test_document_changes_lists_added_removed_and_changed_paths():
    before = {"name": "A", "members": {"total": 3}, "regions": ["X", "Y"]}
    after = {"name": "B", "members": {"total": 3}, "regions": ["X"]}
    assert revisions.document_changes(before, after) == [
        {"path": "name", "before": "A", "after": "B"},
        {"path": "regions[1]", "before": "Y", "after": None},
    ]


def test_an_import_over_an_owned_profile_is_a_revision_that_can_be_undone(
    people, draft_doc, tmp_path
):
    from clusterhub.ingest.services import import_file

    path = tmp_path / "update.jsonl"
    path.write_text(draft_doc.model_copy(update={"mission": "From the import."}).model_dump_json())
    import_file(path)
    last = Revision.objects.filter(organisation__slug=people.slug).latest("id")
    assert (last.action, last.author, last.version) == ("import", None, 2)
    assert last.changes == [
        {"path": "mission", "before": "Offshore wind supply chain.", "after": "From the import."}
    ]
    editing.restore_revision(people.users["owner"], people.slug, version=1, base_version=2)
    assert current(people.slug).mission == "Offshore wind supply chain."


def test_the_history_names_fields_as_the_page_does_and_skips_empty_changes(people, draft_doc):
    owner = people.users["owner"]
    editing.update_profile(owner, people.slug, draft_doc.model_copy(update={"mission": "v2"}), 1)
    revision = Revision.objects.get(organisation__slug=people.slug, version=2)
    revision.changes += [{"path": "other_labels", "before": [], "after": None}]
    revision.save(update_fields=["changes"])
    entry = next(e for e in revisions.history(revision.organisation) if e["revision"].version == 2)
    assert [(c["label"], c["after"]) for c in entry["changes"]] == [("Mission", "v2")]
