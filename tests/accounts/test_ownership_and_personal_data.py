"""Invitations, claims, removing a contact person on request, downloading one's data."""

import json
import re

import pytest
from django.core import mail

from clusterhub.accounts import editing, ownership, permissions, privacy
from clusterhub.accounts.models import Invitation, OwnershipClaim, Revision
from clusterhub.core import errors

from .conftest import make_user


def test_an_owner_invites_a_colleague_who_accepts(client, people):
    client.force_login(people.users["owner"])
    client.post(f"/accounts/profiles/{people.slug}/owners/", {"email": "Erik@Wind.example"})
    (message,) = mail.outbox
    assert message.to == ["erik@wind.example"]
    path = re.search(r"https?://testserver(\S+)", message.body).group(1)
    erik = make_user("erik")
    erik.email = "erik@wind.example"
    erik.save()
    stranger = people.users["stranger"]
    client.force_login(stranger)  # someone else with the link cannot use it
    client.post(path)
    assert not permissions.is_owner(stranger, Invitation.objects.get().organisation)
    client.force_login(erik)
    response = client.post(path)
    assert response.url == f"/accounts/profiles/{people.slug}/edit/"
    assert permissions.is_owner(erik, Invitation.objects.get().organisation)
    assert client.post(path).status_code == 200  # used: not valid again
    assert "not valid" in client.get(path).content.decode()


def test_only_editors_invite(people):
    with pytest.raises(errors.NotFound):  # a stranger may not see the draft at all
        ownership.invite(people.users["stranger"], people.slug, "x@example.org")
    with pytest.raises(errors.DomainError, match="already an owner"):
        ownership.invite(people.users["owner"], people.slug, "CO_OWNER@example.org")


def test_a_claim_on_an_imported_profile_is_approved_by_a_moderator(client, people, seed_org):
    claimant = people.users["stranger"]
    client.force_login(claimant)
    page = client.get(seed_org.get_absolute_url()).content.decode()
    assert "Claim this profile" in page
    client.post(f"/accounts/profiles/{seed_org.slug}/claim/", {"message": "I am CLAG's manager."})
    (pending,) = OwnershipClaim.objects.filter(state="pending")
    with pytest.raises(errors.DomainError, match="already waits"):
        ownership.claim(claimant, seed_org.slug, "again")
    client.force_login(people.users["moderator"])
    assert "I am CLAG&#x27;s manager." in client.get("/accounts/moderation/").content.decode()
    assert client.post(f"/accounts/claims/{pending.pk}/maybe/").status_code == 404
    client.post(f"/accounts/claims/{pending.pk}/approve/")
    assert permissions.is_owner(claimant, seed_org)
    client.force_login(claimant)
    assert client.get(f"/accounts/profiles/{seed_org.slug}/edit/").status_code == 200


def test_only_moderators_decide_claims(people, seed_org):
    found = ownership.claim(people.users["stranger"], seed_org.slug, "Mine.")
    with pytest.raises(errors.Forbidden):
        ownership.decide_claim(people.users["owner"], found.pk, approve=True)
    ownership.decide_claim(people.users["moderator"], found.pk, approve=False)
    assert not permissions.is_owner(people.users["stranger"], seed_org)


def test_a_removed_contact_leaves_the_profile_and_its_history(client, people, draft_doc):
    owner = people.users["owner"]
    team = [*draft_doc.management_team, draft_doc.management_team[0].model_copy(
        update={"first_name": "Sven", "last_name": "Berg", "email": "sven@wind.example"})]  # fmt: skip
    editing.update_profile(
        owner, people.slug, draft_doc.model_copy(update={"management_team": team}), 1
    )
    client.force_login(people.users["moderator"])
    client.post(f"/accounts/profiles/{people.slug}/contacts/1/remove/")  # Ida, the first
    history = json.dumps(
        [[r.document, r.changes] for r in Revision.objects.filter(organisation__slug=people.slug)]
    )
    assert "ida@wind.example" not in history and "Holm" not in history
    assert "sven@wind.example" in history
    latest = Revision.objects.filter(organisation__slug=people.slug).latest("id")
    assert latest.note == "contact person removed on request"
    with pytest.raises(errors.Forbidden):
        privacy.remove_contact(owner, people.slug, 0)


def test_download_everything_about_me(client, people):
    owner = people.users["owner"]
    client.force_login(owner)
    response = client.get("/accounts/data/")
    assert response["Content-Disposition"] == 'attachment; filename="clusterhub-my-data.json"'
    data = response.json()
    assert data["account"]["email"] == "owner@example.org"
    assert data["owned_profiles"][0]["slug"] == people.slug
    assert data["revisions_authored"][0]["action"] == "create"
    assert data["api_tokens"][0]["hint"].startswith("chub_")
    assert "digest" not in json.dumps(data)
