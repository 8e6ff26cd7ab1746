"""Moderation: the states of a profile, who moves it between them, the review of edits
waiting on published profiles, and the checklist a moderator reviews against."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from clusterhub.core.errors import Conflict, Forbidden, Invalid, NotFound
from clusterhub.core.languages import lazy_message
from clusterhub.profiles.choices import Status
from clusterhub.profiles.document import to_document
from clusterhub.profiles.models import PendingVersion
from clusterhub.profiles.schema import ProfileDoc
from clusterhub.profiles.writing import head_document, save_profiles

from . import notices
from .models import Revision
from .permissions import editable, is_moderator, moderator, signed_in, viewable

MAX_NOTE = 2000
Action = Revision.Action

# Moderation: action → (who may, from which states, to which state).
TRANSITIONS = {
    Action.SUBMIT: ("owner", {Status.DRAFT, Status.RETURNED}, Status.SUBMITTED),
    Action.PUBLISH: (
        "moderator",
        {Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.ARCHIVED},
        Status.PUBLISHED,
    ),
    Action.RETURN: ("moderator", {Status.SUBMITTED, Status.PUBLISHED}, Status.RETURNED),
    Action.ARCHIVE: (
        "owner",
        {Status.DRAFT, Status.SUBMITTED, Status.PUBLISHED, Status.RETURNED},
        Status.ARCHIVED,
    ),
}


def _reason(note: str, required: bool) -> str:
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise Invalid(_("at most %(n)s characters") % {"n": f"{MAX_NOTE:,}"}, "reason")
    if required and not note:
        raise Invalid(_("say why the profile goes back to its owners"), "reason")
    return note


def change_status(user, slug: str, action: str, note: str = ""):
    """Submit, publish, return (with a reason) or archive a profile. A profile leaving
    "published" takes the edit waiting for review along: unpublished profiles are
    edited directly."""
    if action not in TRANSITIONS:
        raise NotFound(_("no action %(action)r") % {"action": action}, "action")
    who, sources, target = TRANSITIONS[action]
    done = Action(action).label.lower()
    signed_in(user)
    if who == "moderator":
        viewable(user, slug)  # a 404 for whoever may not see it
        moderator(user, done)
    org = editable(user, slug, done)
    if org.status not in sources:
        raise Conflict(
            _("%(slug)s: a profile in state %(state)r cannot be %(done)s")
            % {"slug": slug, "state": org.status, "done": done}
        )
    note = _reason(note, required=action == Action.RETURN)
    (org,) = save_profiles(
        [head_document(org)], action=action, author=user, status=target, note=note,
        review_note=note if action == Action.RETURN else "", versions={slug: org.version},
    )  # fmt: skip
    if action == Action.SUBMIT:
        submitted = _lazy("%(name)s was submitted for review.")
        notices.tell_moderators(org, lazy_message(submitted, name=org.name))
    elif action in (Action.PUBLISH, Action.RETURN):
        what = (
            _lazy("A moderator published %(name)s.")
            if action == Action.PUBLISH
            else _lazy("A moderator returned %(name)s to you; edit it and submit it again.")
        )
        notices.tell_owners(org, lazy_message(what, name=org.name), note)
    return org


def pending_edit(org) -> ProfileDoc | None:
    found = PendingVersion.objects.filter(organisation=org).first()
    return ProfileDoc.model_validate(found.document) if found else None


def accept_edit(user, slug: str, base_version: int):
    """Publish the edit waiting for review."""
    org = viewable(user, slug)
    moderator(user, _("accept edits"))
    edit = pending_edit(org)
    if edit is None:
        raise NotFound(_("%(slug)s: no edit waits for review") % {"slug": slug})
    (org,) = save_profiles([edit], action=Action.ACCEPT, author=user, versions={slug: base_version})
    published = _lazy("A moderator published your edit of %(name)s.")
    notices.tell_owners(org, lazy_message(published, name=org.name))
    return org


def decline_edit(user, slug: str, reason: str, base_version: int):
    """Turn the edit waiting for review down, with a reason for its authors."""
    org = viewable(user, slug)
    moderator(user, _("decline edits"))
    if pending_edit(org) is None:
        raise NotFound(_("%(slug)s: no edit waits for review") % {"slug": slug})
    reason = _reason(reason, required=True)
    (org,) = save_profiles(
        [to_document(org)], action=Action.DECLINE, author=user, note=reason,
        versions={slug: base_version},
    )  # fmt: skip
    declined = _lazy("A moderator declined your edit of %(name)s.")
    notices.tell_owners(org, lazy_message(declined, name=org.name), reason)
    return org


def may_review(user) -> None:
    if not is_moderator(user):
        raise Forbidden(_("for moderators only"))


def validation_checklist(doc: ProfileDoc) -> list[dict]:
    """The ECCP validation criteria against a profile, for the moderator's review:
    each {criterion, state: met | not met | check, label, detail, section: the editor's
    section where it is met}. What cannot be decided from the document (an FTE, a
    website's language) is left for the moderator to check."""
    items = []
    size = doc.management_team_size
    if size and size != "1-5":
        state, detail = "met", _("management team of %(size)s people") % {"size": size}
    elif size or doc.management_team:
        people = size or _("%(n)s listed") % {"n": len(doc.management_team)}
        state = "check"
        detail = _("management team: %(people)s; confirm at least 0.5 FTE") % {"people": people}
    else:
        state, detail = "not met", _("no management team stated")
    items.append({"criterion": _("At least 0.5 FTE of management staff"), "state": state,
                  "detail": detail, "section": "general"})  # fmt: skip
    total = doc.members.total
    items.append({
        "criterion": _("At least 15 members"),
        "state": "met" if total is not None and total >= 15 else "not met",
        "detail": _("members not stated") if total is None else _("%(n)s members") % {"n": total},
        "section": "composition",
    })  # fmt: skip
    kinds = {_("SMEs"): doc.members.sme, _("large companies"): doc.members.large_companies,
             _("research organisations"): doc.members.research_organisations,
             _("other actors"): doc.members.other_actors}  # fmt: skip
    present = [k for k, n in kinds.items() if n]
    items.append({
        "criterion": _("At least two types of members"),
        "state": "met" if len(present) >= 2 else "not met",
        "detail": ", ".join(present) or _("no member types stated"),
        "section": "composition",
    })  # fmt: skip
    items.append({
        "criterion": _("A website in English"),
        "state": "check" if doc.website else "not met",
        "detail": _("open %(site)s and check") % {"site": doc.website} if doc.website
        else _("no website given"),
        "section": "general",
    })  # fmt: skip
    states = {"met": _("met"), "not met": _("not met"), "check": _("to check")}
    return [{**item, "label": states[item["state"]]} for item in items]
