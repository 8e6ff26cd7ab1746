"""Ownership: invitations sent by owners, claims decided by moderators."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterhub.core.errors import Conflict, Forbidden, Invalid, NotFound

from . import notices
from .models import Invitation, Ownership, OwnershipClaim
from .permissions import editable, is_owner, moderator, signed_in, viewable

INVITATION_DAYS = 14
MAX_MESSAGE = 2000


def invite(user, slug: str, email: str) -> tuple[Invitation, str]:
    """An invitation for `email` to co-own the profile, and the key its link carries."""
    org = editable(user, slug, _("invite co-owners"))
    email = email.strip().lower()
    if Ownership.objects.filter(organisation=org, user__email__iexact=email).exists():
        raise Conflict(_("%(email)s is already an owner") % {"email": email}, "email")
    return Invitation.issue(org, email, user)


def invitation_expired(invitation: Invitation, now=None) -> bool:
    return (now or timezone.now()) - invitation.created_at > timedelta(days=INVITATION_DAYS)


@transaction.atomic
def accept_invitation(user, key: str):
    signed_in(user)
    invitation = Invitation.find(key)
    if invitation is None or invitation.accepted_at is not None:
        raise Invalid(_("this invitation is not valid (already used, or the link is incomplete)"))
    if invitation_expired(invitation):
        raise Invalid(
            _("this invitation expired after %(days)s days: ask for a new one")
            % {"days": INVITATION_DAYS}
        )
    if user.email.lower() != invitation.email.lower():
        raise Forbidden(
            _("this invitation is for %(email)s: sign in with that address")
            % {"email": invitation.email}
        )
    Ownership.objects.get_or_create(user=user, organisation=invitation.organisation)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return invitation.organisation


def claim(user, slug: str, message: str) -> OwnershipClaim:
    """Ask the moderators for ownership of a profile (an imported one, typically). One
    claim per user and profile waits at a time, however many requests race."""
    signed_in(user)
    org = viewable(user, slug)
    if is_owner(user, org):
        raise Conflict(_("%(slug)s: you already own this profile") % {"slug": slug})
    message = message.strip()
    if not message or len(message) > MAX_MESSAGE:
        raise Invalid(
            _("say who you are, in at most %(n)s characters") % {"n": f"{MAX_MESSAGE:,}"},
            "message",
        )
    waiting = Conflict(_("%(slug)s: your claim already waits for a moderator") % {"slug": slug})
    try:
        with transaction.atomic():
            return OwnershipClaim.objects.create(organisation=org, user=user, message=message)
    except IntegrityError:  # the constraint one_pending_claim: another request won
        raise waiting from None


@transaction.atomic
def decide_claim(user, claim_id: int, approve: bool) -> OwnershipClaim:
    moderator(user, _("decide claims"))
    found = OwnershipClaim.objects.select_for_update().filter(pk=claim_id).first()
    if found is None or found.state != OwnershipClaim.State.PENDING:
        raise NotFound(_("no pending claim %(id)s") % {"id": claim_id})
    found.state = OwnershipClaim.State.APPROVED if approve else OwnershipClaim.State.REJECTED
    found.decided_by, found.decided_at = user, timezone.now()
    found.save(update_fields=["state", "decided_by", "decided_at"])
    if approve:
        Ownership.objects.get_or_create(user=found.user, organisation=found.organisation)
    notices.tell_claimant(found)
    return found


def owner_emails(organisation_id: int) -> list[str]:
    """The addresses of the organisation's owners whose accounts are active."""
    return list(
        Ownership.objects.filter(organisation=organisation_id, user__is_active=True)
        .values_list("user__email", flat=True)
        .order_by("user__email")
    )
