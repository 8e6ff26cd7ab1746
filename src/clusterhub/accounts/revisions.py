"""The history of every profile: one revision per change, restorable.

`record_revisions` is the accounts app's step of every write (profiles.writing): each
profile a write changes gets a revision holding the document as stored (or, for an edit
waiting for review, as proposed), the version it made, who and what, and the field-level
differences from what the profile's editors saw before.
"""

from django.db import transaction
from django.utils import timezone

from clusterhub.core.errors import NotFound
from clusterhub.profiles.document import JsonText, insert_rows
from clusterhub.profiles.fields import label_of_path
from clusterhub.profiles.schema import ProfileDoc
from clusterhub.profiles.writing import Change, Write

from .models import Revision

# What the revision of a write is called, when the write does not say (an edit held
# for review is a proposal, whatever edit it was).
HELD = Revision.Action.PROPOSE


def _flatten(value, path: str, into: dict) -> dict:
    """Leaf values by path (`programmes[0].years[1]`); an empty list has none."""
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(item, f"{path}.{key}" if path else key, into)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _flatten(item, f"{path}[{i}]", into)
    else:
        into[path] = value
    return into


def document_changes(before: dict, after: dict) -> list[dict]:
    """What changed between two documents (JSON form), field by field, in document order.

    Only the keys whose values differ are walked: a resolution changes one list of a
    document, and a hundred thousand of them are recorded at once."""
    old, new = {}, {}
    for key in dict.fromkeys([*after, *before]):
        if before.get(key, ...) != after.get(key, ...):
            if key in before:
                _flatten(before[key], key, old)
            if key in after:
                _flatten(after[key], key, new)
    paths = list(dict.fromkeys([*new, *old]))
    return [
        {"path": p, "before": old.get(p), "after": new.get(p)}
        for p in paths
        if old.get(p, ...) != new.get(p, ...)
    ]


def _user(author):
    return author if author is not None and getattr(author, "is_authenticated", False) else None


COLUMNS = [
    "organisation_id",
    "version",
    "action",
    "author_id",
    "created_at",
    "document",
    "changes",
    "note",
]


def _changes(before: ProfileDoc, after: ProfileDoc) -> list[dict]:
    """The field-level differences, dumping only the top-level keys that differ."""
    keys = {key for key in type(after).model_fields if getattr(before, key) != getattr(after, key)}
    if not keys:
        return []
    return document_changes(
        before.model_dump(mode="json", include=keys), after.model_dump(mode="json", include=keys)
    )


def _revision(change: Change, author_id, now) -> tuple:
    # A new profile's revision is its whole document: listing every field adds nothing.
    changes = _changes(change.head, change.doc) if change.head is not None else []
    action = HELD if change.held else change.action
    document = JsonText(change.doc.model_dump_json())
    return (
        change.org.pk,
        change.org.version,
        action,
        author_id,
        now,
        document,
        changes,
        change.note,
    )


def record_revisions(write: Write) -> None:
    """One revision per change, written as the rows of an import are (`insert_rows`:
    `bulk_create` spent 4 s of an import of 20,000 profiles building model instances)."""
    user = _user(write.author)
    author_id, now = (user.pk if user else None), timezone.now()
    rows = [_revision(change, author_id, now) for change in write.changes]
    insert_rows(write.using, Revision, COLUMNS, rows)


def revision_document(org, version: int) -> ProfileDoc:
    """The document of one version of a profile, or NotFound."""
    revision = Revision.objects.filter(organisation=org, version=version).order_by("-id").first()
    if revision is None:
        raise NotFound(f"{org.slug}: no version {version}", "version")
    return ProfileDoc.model_validate(revision.document)


EMPTY = (None, "", [], {})


def history(org) -> list[dict]:
    """A profile's revisions, newest first, each change with the field's label as the
    page names it; a change from nothing to nothing (an empty list become no value) is
    not one a reader sees."""
    result = []
    for revision in org.revisions.select_related("author").order_by("-id"):
        changes = [
            {**c, "label": label_of_path(c["path"])}
            for c in revision.changes
            if c.get("before") not in EMPTY or c.get("after") not in EMPTY
        ]
        result.append({"revision": revision, "changes": changes})
    return result


@transaction.atomic
def scrub(org, is_person, values: set[str]) -> None:
    """Take one person out of every revision of a profile: the team entries
    `is_person(member)` (JSON data) says are theirs, and the changes holding one of
    their `values` (email, telephone, names)."""
    for revision in Revision.objects.filter(organisation=org):
        team = revision.document.get("management_team", [])
        revision.document["management_team"] = [m for m in team if not is_person(m)]
        revision.changes = [
            c for c in revision.changes
            if not (c["path"].startswith("management_team[") and {c["before"], c["after"]} & values)
        ]  # fmt: skip
        revision.save(update_fields=["document", "changes"])
