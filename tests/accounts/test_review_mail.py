"""Owners are mailed when their profile is published or returned, an edit is accepted
or declined and a claim is decided; moderators when a profile waits for them."""

from clusterhub.accounts import editing, moderation, ownership
from clusterhub.accounts.models import OwnershipClaim
from clusterhub.profiles.models import ClusterOrganisation


def sent(mailoutbox) -> list[tuple[str, str]]:
    return sorted((m.to[0], m.subject) for m in mailoutbox)


def test_submitting_mails_each_moderator(people, mailoutbox):
    moderation.change_status(people.users["owner"], people.slug, "submit")
    assert sent(mailoutbox) == [
        ("moderator@example.org", "Waiting for review: Nordic Wind Cluster")
    ]
    assert f"/accounts/profiles/{people.slug}/review/" in mailoutbox[0].body


def test_publishing_and_returning_mail_each_owner_with_the_note(people, mailoutbox):
    moderator = people.users["moderator"]
    moderation.change_status(moderator, people.slug, "publish")
    owners = ["co_owner@example.org", "owner@example.org"]
    assert [to for to, _subject in sent(mailoutbox)] == owners
    assert "published" in mailoutbox[0].body
    mailoutbox.clear()
    moderation.change_status(moderator, people.slug, "return", "Add your members.")
    assert [to for to, _subject in sent(mailoutbox)] == owners
    assert "returned" in mailoutbox[0].body and "Add your members." in mailoutbox[0].body


def test_an_edit_declined_mails_its_reason(people, draft_doc, mailoutbox):
    moderator, owner = people.users["moderator"], people.users["owner"]
    org = moderation.change_status(moderator, people.slug, "publish")
    editing.update_profile(
        owner, people.slug, draft_doc.model_copy(update={"mission": "v2"}), org.version
    )
    mailoutbox.clear()
    version = ClusterOrganisation.objects.get(slug=people.slug).version
    moderation.decline_edit(moderator, people.slug, "Too vague.", version)
    assert "declined" in mailoutbox[0].body and "Too vague." in mailoutbox[0].body


def test_a_decided_claim_mails_the_claimant(people, mailoutbox):
    moderation.change_status(people.users["moderator"], people.slug, "publish")
    claim = ownership.claim(people.users["stranger"], people.slug, "I run it.")
    mailoutbox.clear()
    ownership.decide_claim(people.users["moderator"], claim.pk, approve=True)
    assert sent(mailoutbox) == [("stranger@example.org", "Your claim: Nordic Wind Cluster")]
    assert "now own" in mailoutbox[0].body
    assert OwnershipClaim.objects.get(pk=claim.pk).state == OwnershipClaim.State.APPROVED
