"""Registering and editing profiles: what the editor, the API and restore call.

Every edit names the version it started from; saving over a newer version raises a
Conflict (`StaleVersion`) and writes nothing. An owner's edit of a published profile
waits for a moderator as the profile's pending version, while the published document
stays public — unless the owner publishes edits without review (moderators, owners
with the `publish_edits` permission) or the edit touches only the fields
`CLUSTERHUB_EDITS_WITHOUT_REVIEW` lists.
"""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from clusterhub.core.errors import Invalid
from clusterhub.profiles.choices import Status
from clusterhub.profiles.entered import entered
from clusterhub.profiles.schema import ProfileDoc
from clusterhub.profiles.writing import Change, StaleVersion, head_document, save_profiles

from . import revisions
from .models import Ownership, Revision
from .permissions import editable, publishes_edits, signed_in

__all__ = ["StaleVersion", "create_profile", "head_document", "restore_revision", "update_profile"]


@transaction.atomic
def create_profile(user, doc: ProfileDoc):
    """A new profile, as a draft owned by `user`."""
    signed_in(user)
    doc = entered(doc)
    (org,) = save_profiles([doc], action=Revision.Action.CREATE, author=user, create_only=True)
    Ownership.objects.create(user=user, organisation=org)
    return org


def changed_fields(before: ProfileDoc, after: ProfileDoc) -> set[str]:
    """The top-level keys whose values differ."""
    return {key for key in type(after).model_fields if getattr(before, key) != getattr(after, key)}


def needs_review(user, change: Change) -> bool:
    """Does this edit of a published profile wait for a moderator?"""
    if publishes_edits(user):
        return False
    return not changed_fields(change.before, change.doc) <= set(
        settings.CLUSTERHUB_EDITS_WITHOUT_REVIEW
    )


def update_profile(
    user, slug: str, doc: ProfileDoc, base_version: int, action=Revision.Action.EDIT, note="",
    review: bool = True,
):  # fmt: skip
    """Replace a profile's document; `base_version` is the version the edit started
    from. `review=False`: not an edit of the content (a decision on a collaboration's
    link), which never waits for review. New or changed web addresses, emails and
    telephones are checked (a restored version's were stored before: not again)."""
    org = editable(user, slug, _("edit this profile"))
    if doc.slug != slug:
        raise Invalid(_("a profile's slug cannot change (it is %(slug)r)") % {"slug": slug}, "slug")
    if action != Revision.Action.RESTORE:
        doc = entered(doc, head_document(org).model_dump(mode="json"))
    (org,) = save_profiles(
        [doc], action=action, author=user, versions={slug: base_version}, note=note,
        hold=(lambda change: needs_review(user, change)) if review else None,
    )  # fmt: skip
    return org


def restore_revision(user, slug: str, version: int, base_version: int):
    """Save an earlier version's document again, as a new revision."""
    org = editable(user, slug, _("restore its versions"))
    doc = revisions.revision_document(org, version)
    note = _("restored version %(version)s") % {"version": version}
    return update_profile(user, slug, doc, base_version, Revision.Action.RESTORE, note)


def is_waiting(org) -> bool:
    """Has this published profile an edit waiting for review?"""
    return org.status == Status.PUBLISHED and hasattr(org, "pending_version")
