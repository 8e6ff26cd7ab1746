"""Who may see and who may change a profile.

Whoever may not see a profile is told it does not exist (NotFound, a 404), whatever
they asked to do with it: a 403 would confirm that an unpublished profile is there.
Only someone who may see it and may not do what they asked is Forbidden.
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from clusterhub.core.errors import Forbidden, NotFound, NotSignedIn
from clusterhub.profiles.models import ClusterOrganisation

from .models import Ownership

MODERATE = "accounts.moderate_profiles"
# Owners with this permission publish their edits of published profiles without review.
PUBLISH_EDITS = "accounts.publish_edits"


def find_user(email: str):
    """The active user with this email (any case), or None."""
    return (
        get_user_model()
        .objects.filter(email__iexact=email.strip(), is_active=True)
        .order_by("pk")
        .first()
    )


def is_signed_in(user) -> bool:
    """A user (or a token's user) who is signed in and whose account is active."""
    return bool(user and user.is_authenticated and user.is_active)


def is_moderator(user) -> bool:
    return is_signed_in(user) and user.has_perm(MODERATE)


def is_owner(user, org: ClusterOrganisation) -> bool:
    return is_signed_in(user) and Ownership.objects.filter(user=user, organisation=org).exists()


def may_edit(user, org: ClusterOrganisation) -> bool:
    return is_moderator(user) or is_owner(user, org)


def may_view(user, org: ClusterOrganisation) -> bool:
    return org.is_public or may_edit(user, org)


def publishes_edits(user) -> bool:
    """Moderators and trusted owners: their edits of published profiles go live."""
    return is_moderator(user) or (is_signed_in(user) and user.has_perm(PUBLISH_EDITS))


def signed_in(user) -> None:
    if not is_signed_in(user):
        raise NotSignedIn()


def moderator(user, doing: str) -> None:
    """Only moderators may do this (`doing`: "decide claims")."""
    signed_in(user)
    if not is_moderator(user):
        raise Forbidden(_("only moderators %(doing)s") % {"doing": doing})


def _unknown(slug: str) -> NotFound:
    return NotFound(_("no cluster organisation %(slug)r") % {"slug": slug}, "slug")


def viewable(user, slug: str) -> ClusterOrganisation:
    """The organisation `user` may see, or NotFound."""
    org = ClusterOrganisation.objects.filter(slug=slug).first()
    if org is None or not may_view(user, org):
        raise _unknown(slug)
    return org


def editable(user, slug: str, doing: str) -> ClusterOrganisation:
    """The organisation `user` may edit: NotSignedIn, NotFound for those who may not see
    it, Forbidden for those who may see it and not edit it. (Writes lock its row in the
    write path.)"""
    signed_in(user)
    org = viewable(user, slug)
    if not may_edit(user, org):
        raise Forbidden(
            _("%(slug)s: only its owners and moderators may %(doing)s")
            % {"slug": slug, "doing": doing}
        )
    return org
