"""Who may do what: every role against every write endpoint and workflow action.

The profile of `people` is a draft: whoever may not see it (everyone but its owners and
the moderators) is told it does not exist — a 404 on every endpoint, never a 403 that
would confirm it is there. On a published profile, which everyone sees, a refused
write is a 403."""

import pytest

from clusterhub.accounts import moderation
from clusterhub.core import errors
from clusterhub.profiles.models import ClusterOrganisation, Status

from .conftest import ROLES

EDITORS = {"owner", "co_owner", "moderator"}
SIGNED_IN = set(ROLES) - {"anonymous"}
STRANGERS = SIGNED_IN - EDITORS  # signed in, and may not see a draft


def edited(doc, **changes):
    return doc.model_copy(update=changes).model_dump(mode="json")


@pytest.mark.parametrize("role", ROLES)
def test_create(client, people, draft_doc, role):
    slug = "new-" + role.replace("_", "-")
    body = edited(draft_doc, name=f"New {role}", slug=slug)
    response = client.post(
        "/api/clusters", body, content_type="application/json", **people.auth(role)
    )
    assert response.status_code == (201 if role in SIGNED_IN else 401), response.content
    assert ClusterOrganisation.objects.filter(slug=slug).exists() == (role in SIGNED_IN)


@pytest.mark.parametrize("role", ROLES)
def test_update(client, people, draft_doc, role):
    body = edited(draft_doc, mission=f"Edited by {role}.")
    response = client.put(
        f"/api/clusters/{people.slug}",
        body,
        content_type="application/json",
        HTTP_IF_MATCH='"1"',
        **people.auth(role),
    )
    expected = 200 if role in EDITORS else 401 if role == "anonymous" else 404
    assert response.status_code == expected, response.content
    mission = ClusterOrganisation.objects.get(slug=people.slug).mission
    assert (mission == f"Edited by {role}.") == (role in EDITORS)


@pytest.mark.parametrize("role", ROLES)
def test_submit(client, people, role):
    response = client.post(f"/api/clusters/{people.slug}/submit", **people.auth(role))
    expected = 200 if role in EDITORS else 401 if role == "anonymous" else 404
    assert response.status_code == expected, response.content
    status = ClusterOrganisation.objects.get(slug=people.slug).status
    assert status == (Status.SUBMITTED if role in EDITORS else Status.DRAFT)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("action", "allowed", "after"),
    [
        ("publish", {"moderator"}, Status.PUBLISHED),
        ("return", {"moderator"}, Status.RETURNED),
        ("archive", EDITORS, Status.ARCHIVED),
    ],
)
def test_moderation(people, role, action, allowed, after):
    moderation.change_status(people.users["owner"], people.slug, "submit")
    user = people.users[role]
    if role in allowed:
        moderation.change_status(user, people.slug, action, note="Needs an English website.")
        assert ClusterOrganisation.objects.get(slug=people.slug).status == after
    else:
        refusal = (
            errors.NotSignedIn if user is None else errors.Forbidden if role in EDITORS
            else errors.NotFound
        )  # fmt: skip
        with pytest.raises(refusal):
            moderation.change_status(user, people.slug, action, note="x")
        assert ClusterOrganisation.objects.get(slug=people.slug).status == Status.SUBMITTED


@pytest.mark.parametrize("role", sorted(STRANGERS))
def test_on_a_published_profile_a_refused_write_is_a_403(client, people, draft_doc, role):
    moderation.change_status(people.users["moderator"], people.slug, "publish")
    body = edited(draft_doc, mission="Vandalised.")
    put = client.put(
        f"/api/clusters/{people.slug}", body, content_type="application/json",
        HTTP_IF_MATCH='"2"', **people.auth(role),
    )  # fmt: skip
    assert put.status_code == 403, put.content
    client.force_login(people.users[role])
    assert client.get(f"/accounts/profiles/{people.slug}/edit/general/").status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_a_draft(client, people, role):
    api = client.get(f"/api/clusters/{people.slug}", **people.auth(role))
    assert api.status_code == (200 if role in EDITORS else 404)
    if people.users[role]:
        client.force_login(people.users[role])
    page = client.get(f"/clusters/{people.slug}/")
    assert page.status_code == (200 if role in EDITORS else 404)


MODERATORS = {"moderator"}
# Web write views: (method, path, roles allowed, whether the path names the profile).
# Denied: anonymous users are sent to sign in (302 to the login page); signed-in ones
# get 404 when they may not see the profile, else 403.
WEB_VIEWS = [
    ("post", "/accounts/register/", SIGNED_IN, False),
    ("get", "/accounts/profiles/{slug}/edit/general/", EDITORS, True),
    ("post", "/accounts/profiles/{slug}/edit/promotion/", EDITORS, True),
    ("post", "/accounts/profiles/{slug}/status/submit/", EDITORS, True),
    ("post", "/accounts/profiles/{slug}/status/archive/", EDITORS, True),
    ("get", "/accounts/profiles/{slug}/revisions/", EDITORS, True),
    ("post", "/accounts/profiles/{slug}/revisions/", EDITORS, True),
    ("get", "/accounts/moderation/", MODERATORS, False),
    ("get", "/accounts/profiles/{slug}/review/", MODERATORS, True),
    ("post", "/accounts/profiles/{slug}/status/publish/", MODERATORS, True),
    ("post", "/accounts/profiles/{slug}/status/return/", MODERATORS, True),
    ("post", "/accounts/profiles/{slug}/owners/", EDITORS, True),
    ("post", "/accounts/profiles/{slug}/contacts/1/remove/", MODERATORS, True),
    ("post", "/accounts/profiles/{slug}/claim/", SIGNED_IN, True),  # owners: told they own it
    ("get", "/accounts/data/", SIGNED_IN, False),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "allowed", "names_profile"), WEB_VIEWS)
def test_web_views(client, people, role, method, path, allowed, names_profile):
    if people.users[role]:
        client.force_login(people.users[role])
    data = {"name": "Another Cluster", "country": "DK", "version": "1", "restore": "1",
            "reason": "Needs members.", "s-success_story": "Edited.",
            "email": "new@example.org", "message": "Mine.", "confirm": "yes"}  # fmt: skip
    before = ClusterOrganisation.objects.get(slug=people.slug)
    response = getattr(client, method)(path.format(slug=people.slug), data)
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response.url
    elif names_profile and role in STRANGERS:
        assert response.status_code == 404  # the draft does not exist, for them
    elif role in allowed:
        assert response.status_code in (200, 302), response.status_code
    else:
        assert response.status_code == 403
    after = ClusterOrganisation.objects.get(slug=people.slug)
    if method == "post" and role not in allowed:
        assert (after.version, after.status) == (before.version, before.status)
