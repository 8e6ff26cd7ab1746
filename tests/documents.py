"""Helpers writing and comparing documents."""

from clusterhub.profiles.choices import Status
from clusterhub.profiles.writing import save_profiles

MATCH_KEYS = ("profile", "match_confidence", "match_status", "candidate")


def save_documents(docs, status=Status.PUBLISHED, resolve=True, **options):
    """Write documents as directory data is written: an import, new profiles published."""
    return save_profiles(
        list(docs), action="import", new_status=status, resolve=resolve, keep_pending=True,
        **options,
    )  # fmt: skip


def save_document(doc, **options):
    return save_documents([doc], **options)[0]


def change_status(org, status, action="publish"):
    """Move a profile to another status through the write path, as moderation does."""
    from clusterhub.profiles.document import to_document

    return save_profiles([to_document(org)], action=action, status=status)[0]


def as_sent(doc) -> dict:
    """A document (model or JSON data) without what saving adds to it: the resolution of
    its collaborating clusters (network/resolution.py)."""
    data = doc if isinstance(doc, dict) else doc.model_dump(mode="json")
    entries = [
        {k: v for k, v in c.items() if k not in MATCH_KEYS} for c in data["collaborating_clusters"]
    ]
    return {**data, "collaborating_clusters": entries}
