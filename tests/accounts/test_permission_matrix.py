"""Who may do what: every role against every write endpoint and workflow action."""

import pytest

from clusterhub.accounts import services as workflow
from clusterhub.profiles.models import ClusterOrganisation, Status

from .conftest import ROLES

EDITORS = {"owner", "co_owner", "moderator"}
SIGNED_IN = set(ROLES) - {"anonymous"}


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
    expected = 200 if role in EDITORS else 401 if role == "anonymous" else 403
    assert response.status_code == expected, response.content
    mission = ClusterOrganisation.objects.get(slug=people.slug).mission
    assert (mission == f"Edited by {role}.") == (role in EDITORS)


@pytest.mark.parametrize("role", ROLES)
def test_submit(client, people, role):
    response = client.post(f"/api/clusters/{people.slug}/submit", **people.auth(role))
    expected = 200 if role in EDITORS else 401 if role == "anonymous" else 403
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
    workflow.change_status(people.users["owner"], people.slug, "submit")
    user = people.users[role]
    if role in allowed:
        workflow.change_status(user, people.slug, action, note="Needs an English website.")
        assert ClusterOrganisation.objects.get(slug=people.slug).status == after
    else:
        with pytest.raises(workflow.NotSignedIn if user is None else workflow.Forbidden):
            workflow.change_status(user, people.slug, action, note="x")
        assert ClusterOrganisation.objects.get(slug=people.slug).status == Status.SUBMITTED


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_a_draft(client, people, role):
    api = client.get(f"/api/clusters/{people.slug}", **people.auth(role))
    assert api.status_code == (200 if role in EDITORS else 404)
    if people.users[role]:
        client.force_login(people.users[role])
    page = client.get(f"/clusters/{people.slug}/")
    assert page.status_code == (200 if role in EDITORS else 404)


MODERATORS = {"moderator"}
# Web write views: (method, path, roles allowed). Denied: anonymous users are sent to
# sign in (302 to the login page), signed-in ones get 403.
WEB_VIEWS = [
    ("post", "/accounts/register/", SIGNED_IN),
    ("get", "/accounts/profiles/{slug}/edit/general/", EDITORS),
    ("post", "/accounts/profiles/{slug}/edit/promotion/", EDITORS),
    ("post", "/accounts/profiles/{slug}/status/submit/", EDITORS),
    ("post", "/accounts/profiles/{slug}/status/archive/", EDITORS),
    ("get", "/accounts/profiles/{slug}/revisions/", EDITORS),
    ("post", "/accounts/profiles/{slug}/revisions/", EDITORS),
    ("get", "/accounts/moderation/", MODERATORS),
    ("get", "/accounts/profiles/{slug}/review/", MODERATORS),
    ("post", "/accounts/profiles/{slug}/status/publish/", MODERATORS),
    ("post", "/accounts/profiles/{slug}/status/return/", MODERATORS),
    ("post", "/accounts/profiles/{slug}/owners/", EDITORS),
    ("post", "/accounts/profiles/{slug}/contacts/1/remove/", MODERATORS),
    ("get", "/accounts/data/", SIGNED_IN),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "allowed"), WEB_VIEWS)
def test_web_views(client, people, role, method, path, allowed):
    if people.users[role]:
        client.force_login(people.users[role])
    data = {"name": "Another Cluster", "country": "DK", "version": "1", "restore": "1",
            "reason": "Needs members.", "s-success_story": "Edited.",
            "email": "new@example.org"}  # fmt: skip
    before = ClusterOrganisation.objects.get(slug=people.slug)
    response = getattr(client, method)(path.format(slug=people.slug), data)
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response.url
    elif role in allowed:
        assert response.status_code in (200, 302), response.status_code
    else:
        assert response.status_code == 403
    after = ClusterOrganisation.objects.get(slug=people.slug)
    if method == "post" and role not in allowed:
        assert (after.version, after.status) == (before.version, before.status)
