"""An owner's edit of a published profile waits for a moderator while the published
document stays public. (An owner used to pass review and rewrite the profile the next
minute, live.)"""

import pytest
from django.contrib.auth.models import Permission

from clusterhub.accounts import editing, moderation
from clusterhub.accounts.models import Revision
from clusterhub.core import errors
from clusterhub.directory.query import DirectoryQuery
from clusterhub.directory.services import search
from clusterhub.profiles.document import to_document
from clusterhub.profiles.models import ClusterOrganisation, PendingVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(people):
    moderation.change_status(people.users["owner"], people.slug, "submit")
    return moderation.change_status(people.users["moderator"], people.slug, "publish")


def stored(slug):
    return to_document(ClusterOrganisation.objects.get(slug=slug))


def test_an_owners_edit_waits_and_the_published_version_stays_public(client, people, published):
    owner = people.users["owner"]
    edit = stored(people.slug).model_copy(update={"mission": "Rewritten by the owner."})
    org = editing.update_profile(owner, people.slug, edit, published.version)
    assert org.version == published.version + 1  # the edit has its version...
    assert stored(people.slug).mission == "Offshore wind supply chain."  # ...not public yet
    assert (
        client.get(f"/api/clusters/{people.slug}").json()["mission"]
        == "Offshore wind supply chain."
    )
    assert not search(DirectoryQuery(q="rewritten")).total
    # Its owners get it back to go on editing, and see that it waits.
    response = client.get(f"/api/clusters/{people.slug}", **people.auth("owner"))
    assert response.json()["mission"] == "Rewritten by the owner."
    assert response["Clusterhub-Pending"] == "yes" and response["ETag"] == f'"{org.version}"'
    last = Revision.objects.filter(organisation=org).latest("id")
    assert (last.action, last.document["mission"]) == ("propose", "Rewritten by the owner.")


def test_a_moderator_accepts_the_edit(client, people, published):
    edit = stored(people.slug).model_copy(update={"mission": "Accepted mission."})
    org = editing.update_profile(people.users["owner"], people.slug, edit, published.version)
    client.force_login(people.users["moderator"])
    review = client.get(f"/accounts/profiles/{people.slug}/review/").content.decode()
    assert "Accepted mission." in review and "Edit waiting for review" in review
    client.post(
        f"/accounts/profiles/{people.slug}/review/edit/accept/",
        {"version": org.version, "confirm": "yes"},
    )
    assert stored(people.slug).mission == "Accepted mission."
    assert not PendingVersion.objects.exists()
    assert search(DirectoryQuery(q="accepted")).total == 1
    assert Revision.objects.filter(organisation=org).latest("id").action == "accept"


def test_a_moderator_declines_the_edit_with_a_reason(people, published):
    edit = stored(people.slug).model_copy(update={"mission": "Declined mission."})
    org = editing.update_profile(people.users["owner"], people.slug, edit, published.version)
    with pytest.raises(errors.Invalid):
        moderation.decline_edit(people.users["moderator"], people.slug, "", org.version)
    moderation.decline_edit(people.users["moderator"], people.slug, "Not our style.", org.version)
    assert stored(people.slug).mission == "Offshore wind supply chain."
    assert editing.head_document(ClusterOrganisation.objects.get(slug=people.slug)).mission == (
        "Offshore wind supply chain."
    )
    last = Revision.objects.filter(organisation=org).latest("id")
    assert (last.action, last.note) == ("decline", "Not our style.")


def test_only_moderators_decide_on_edits(people, published):
    edit = stored(people.slug).model_copy(update={"mission": "Mine."})
    org = editing.update_profile(people.users["owner"], people.slug, edit, published.version)
    with pytest.raises(errors.Forbidden):
        moderation.accept_edit(people.users["owner"], people.slug, org.version)
    assert stored(people.slug).mission != "Mine."


def test_moderators_and_trusted_owners_publish_their_edits(people, published):
    editing.update_profile(
        people.users["moderator"], people.slug,
        stored(people.slug).model_copy(update={"mission": "By a moderator."}), published.version,
    )  # fmt: skip
    assert stored(people.slug).mission == "By a moderator."
    co_owner = people.users["co_owner"]
    co_owner.user_permissions.add(Permission.objects.get(codename="publish_edits"))
    co_owner = type(co_owner).objects.get(pk=co_owner.pk)  # permissions are cached
    org = ClusterOrganisation.objects.get(slug=people.slug)
    editing.update_profile(
        co_owner,
        people.slug,
        stored(people.slug).model_copy(update={"mission": "Trusted."}),
        org.version,
    )
    assert stored(people.slug).mission == "Trusted."


def test_edits_of_minor_fields_may_go_live(settings, people, published):
    settings.CLUSTERHUB_EDITS_WITHOUT_REVIEW = ["website"]
    owner = people.users["owner"]
    org = editing.update_profile(
        owner, people.slug, stored(people.slug).model_copy(update={"website": "https://wind.example"}),
        published.version,
    )  # fmt: skip
    assert stored(people.slug).website == "https://wind.example"
    editing.update_profile(
        owner,
        people.slug,
        stored(people.slug).model_copy(update={"mission": "Major."}),
        org.version,
    )
    assert stored(people.slug).mission != "Major."


def test_the_editor_says_the_edit_waits(client, people, published):
    edit = stored(people.slug).model_copy(update={"mission": "Waiting."})
    editing.update_profile(people.users["owner"], people.slug, edit, published.version)
    client.force_login(people.users["owner"])
    page = client.get(f"/accounts/profiles/{people.slug}/edit/strategy/").content.decode()
    assert "waits for a moderator" in page and "Waiting." in page
    profile = client.get(f"/clusters/{people.slug}/").content.decode()
    assert "waits for a moderator" in profile and "Waiting." not in profile


def test_a_profile_returned_to_its_owners_takes_the_waiting_edit(people, published):
    edit = stored(people.slug).model_copy(update={"mission": "Goes along."})
    org = editing.update_profile(people.users["owner"], people.slug, edit, published.version)
    moderation.change_status(people.users["moderator"], people.slug, "return", "Please review.")
    assert stored(people.slug).mission == "Goes along."
    assert not PendingVersion.objects.filter(organisation=org).exists()
