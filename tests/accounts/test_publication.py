"""Only published profiles are public: directory, pages, API, export."""

import io
import json

from clusterhub.accounts import moderation
from clusterhub.core import errors
from clusterhub.directory.query import DirectoryQuery
from clusterhub.directory.services import search
from clusterhub.ingest.services import export


def found(q: str) -> list[str]:
    return [i.slug for i in search(DirectoryQuery(q=q)).items]


def exported() -> list[str]:
    out = io.StringIO()
    export("json", out)
    return [d["slug"] for d in json.loads(out.getvalue())]


def test_a_profile_is_listed_once_published_and_gone_when_archived(client, people):
    owner, moderator = people.users["owner"], people.users["moderator"]
    assert found("nordic") == [] and people.slug not in exported()
    moderation.change_status(owner, people.slug, "submit")
    assert found("nordic") == []
    moderation.change_status(moderator, people.slug, "publish")
    assert found("nordic") == [people.slug] and people.slug in exported()
    assert client.get(f"/clusters/{people.slug}/").status_code == 200
    moderation.change_status(owner, people.slug, "archive")
    assert found("nordic") == [] and people.slug not in exported()
    assert client.get(f"/clusters/{people.slug}/").status_code == 404


def test_returning_needs_a_reason_and_keeps_it(people):
    moderator = people.users["moderator"]
    moderation.change_status(people.users["owner"], people.slug, "submit")
    try:
        moderation.change_status(moderator, people.slug, "return", note="  ")
    except errors.DomainError as exc:
        assert str(exc).startswith("reason:")
    else:
        raise AssertionError("returned without a reason")
    org = moderation.change_status(moderator, people.slug, "return", note="No English website.")
    assert (org.status, org.review_note) == ("returned", "No English website.")
    # The owners fix it and submit again; the note goes with the next decision.
    org = moderation.change_status(people.users["owner"], people.slug, "submit")
    assert org.status == "submitted"


def test_a_transition_from_the_wrong_state_is_refused(people):
    try:
        moderation.change_status(people.users["moderator"], people.slug, "return", note="x")
    except errors.DomainError as exc:
        assert "'draft'" in str(exc)
    else:
        raise AssertionError("a draft was returned")
