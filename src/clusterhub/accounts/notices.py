"""Mail about a profile's review: its owners when it is published or returned, an edit
accepted or declined, a claim decided; the moderators when something waits for them.
Sent by the worker (core.mail), in the transaction of the write that causes it."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from clusterhub.core.mail import absolute, send_later

from .models import Ownership
from .permissions import MODERATE


def moderator_emails() -> list[str]:
    """The addresses of the active users who moderate (group, own permission or superuser)."""
    app_label, codename = MODERATE.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    users = get_user_model().objects.filter(
        Q(is_superuser=True) | Q(groups__permissions__in=permission)
        | Q(user_permissions__in=permission),
        is_active=True,
    )  # fmt: skip
    return sorted({e for e in users.values_list("email", flat=True) if e})


def _send(to: list[str], subject: str, what: str, note: str, path: str) -> None:
    body = render_to_string(
        "accounts/notice_email.txt", {"what": what, "note": note, "link": absolute(path)}
    )
    for address in to:  # one mail each: nobody sees the others' addresses
        send_later(subject, body, [address])


def tell_owners(org, what: str, note: str = "") -> None:
    owners = Ownership.objects.filter(organisation=org, user__is_active=True)
    subject = _("Your profile: %(name)s") % {"name": org.name}
    _send(list(owners.values_list("user__email", flat=True)), subject, what, note,
          org.get_absolute_url())  # fmt: skip


def tell_moderators(org, what: str) -> None:
    subject = _("Waiting for review: %(name)s") % {"name": org.name}
    _send(moderator_emails(), subject, what, "", reverse("accounts:review", args=[org.slug]))


def tell_claimant(claim) -> None:
    approved = claim.state == claim.State.APPROVED
    what = (
        _("A moderator approved your claim: you now own %(name)s and may edit it.")
        if approved
        else _("A moderator turned down your claim of %(name)s.")
    ) % {"name": claim.organisation.name}
    subject = _("Your claim: %(name)s") % {"name": claim.organisation.name}
    _send([claim.user.email], subject, what, "", claim.organisation.get_absolute_url())
