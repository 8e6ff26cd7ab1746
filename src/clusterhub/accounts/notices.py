"""Mail about a profile's review: its owners when it is published or returned, an edit
accepted or declined, a claim decided; the moderators when something waits for them.
Sent by the worker (core.mail), in the transaction of the write that causes it."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clusterhub.core.languages import lazy_message
from clusterhub.core.mail import absolute

from .languages import send_to_each
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


def _send(to: list[str], subject, what, note: str, path: str) -> None:
    """`subject` and `what` are lazy messages (core.languages.lazy_message): each
    recipient reads them in their language."""
    link = absolute(path)

    def write():
        context = {"what": what, "note": note, "link": link}
        return subject, render_to_string("accounts/notice_email.txt", context)

    send_to_each(to, write)


def tell_owners(org, what: str, note: str = "") -> None:
    owners = Ownership.objects.filter(organisation=org, user__is_active=True)
    subject = lazy_message(_("Your profile: %(name)s"), name=org.name)
    _send(list(owners.values_list("user__email", flat=True)), subject, what, note,
          org.get_absolute_url())  # fmt: skip


def tell_moderators(org, what: str) -> None:
    subject = lazy_message(_("Waiting for review: %(name)s"), name=org.name)
    _send(moderator_emails(), subject, what, "", reverse("accounts:review", args=[org.slug]))


def tell_claimant(claim) -> None:
    approved = claim.state == claim.State.APPROVED
    what = lazy_message(
        _("A moderator approved your claim: you now own %(name)s and may edit it.")
        if approved
        else _("A moderator turned down your claim of %(name)s."),
        name=claim.organisation.name,
    )
    subject = lazy_message(_("Your claim: %(name)s"), name=claim.organisation.name)
    _send([claim.user.email], subject, what, "", claim.organisation.get_absolute_url())
