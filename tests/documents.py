"""Helpers comparing documents."""

MATCH_KEYS = ("profile", "match_confidence", "match_status", "candidate")


def as_sent(doc) -> dict:
    """A document (model or JSON data) without what saving adds to it: the resolution of
    its collaborating clusters (network/resolution.py)."""
    data = doc if isinstance(doc, dict) else doc.model_dump(mode="json")
    entries = [
        {k: v for k, v in c.items() if k not in MATCH_KEYS} for c in data["collaborating_clusters"]
    ]
    return {**data, "collaborating_clusters": entries}
