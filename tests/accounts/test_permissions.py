"""The permission checks one by one, with the exact refusals people read."""

import pytest

from clusterhub.accounts import moderation, permissions
from clusterhub.accounts.models import Ownership
from clusterhub.core import errors
from clusterhub.profiles.choices import Status
from tests.documents import save_document

from .conftest import make_user


@pytest.fixture
def other(db, seed_doc):
    """A published profile the people of the `people` fixture do not own."""
    return save_document(seed_doc)


def test_owning_one_profile_gives_no_right_on_another(people, other):
    owner = people.users["owner"]
    assert permissions.is_owner(owner, Ownership.objects.get(user=owner).organisation)
    assert not permissions.is_owner(owner, other)
    assert not permissions.may_edit(owner, other)
    with pytest.raises(errors.Forbidden) as refused:
        permissions.editable(owner, other.slug, "edit this profile")
    assert (
        str(refused.value)
        == "cluster-do-audiovisual-galego: only its owners and moderators may edit this profile"
    )


def test_whoever_may_not_see_a_profile_is_told_it_does_not_exist(people):
    for user in (None, people.users["stranger"], people.users["staff"]):
        with pytest.raises((errors.NotFound, errors.NotSignedIn)):
            permissions.editable(user, people.slug, "edit")
    with pytest.raises(errors.NotFound) as refused:
        permissions.viewable(people.users["stranger"], people.slug)
    assert (refused.value.field, refused.value.message) == (
        "slug",
        "no cluster organisation 'nordic-wind-cluster'",
    )
    with pytest.raises(errors.NotFound) as refused:
        permissions.viewable(people.users["moderator"], "no-such-profile")
    assert str(refused.value) == "slug: no cluster organisation 'no-such-profile'"


def test_a_published_profile_is_seen_by_all(people):
    moderation.change_status(people.users["moderator"], people.slug, "publish")
    org = permissions.viewable(None, people.slug)
    assert org.status == Status.PUBLISHED and permissions.may_view(None, org)


def test_only_moderators_pass_the_moderator_check(people):
    permissions.moderator(people.users["moderator"], "decide claims")
    with pytest.raises(errors.Forbidden) as refused:
        permissions.moderator(people.users["owner"], "decide claims")
    assert str(refused.value) == "only moderators decide claims"
    with pytest.raises(errors.NotSignedIn) as refused:
        permissions.moderator(None, "decide claims")
    assert str(refused.value) == "sign in first"


def test_an_inactive_account_is_no_one(people):
    moderator = people.users["moderator"]
    moderator.is_active = False
    moderator.save()
    assert not permissions.is_signed_in(moderator)
    assert not permissions.is_moderator(moderator)
    assert not permissions.may_edit(
        moderator, permissions.ClusterOrganisation.objects.get(slug=people.slug)
    )
    assert permissions.find_user("moderator@example.org") is None
    assert permissions.find_user(" Owner@Example.org ") == people.users["owner"]


def test_trusted_owners_publish_edits_and_others_do_not(people, django_user_model):
    from django.contrib.auth.models import Permission

    assert permissions.publishes_edits(people.users["moderator"])
    assert not permissions.publishes_edits(people.users["owner"])
    assert not permissions.publishes_edits(None)
    trusted = make_user("trusted")
    trusted.user_permissions.add(Permission.objects.get(codename="publish_edits"))
    assert permissions.publishes_edits(django_user_model.objects.get(pk=trusted.pk))
