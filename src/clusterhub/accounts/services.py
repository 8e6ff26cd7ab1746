"""Editing and moderation: the one set of functions the forms, the API and the CLI call.

Every edit names the version it started from; saving over a newer version raises
`Conflict` and writes nothing. Every save records a `Revision` holding the whole
document and a field-level diff, so any earlier state can be restored exactly.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import Http404

from clusterhub.profiles.document import save_documents, to_document
from clusterhub.profiles.models import ClusterOrganisation, Status
from clusterhub.profiles.schema import ProfileDoc
from clusterhub.profiles.services import get_profile

from .models import Ownership, Revision

MODERATE = "accounts.moderate_profiles"
MAX_NOTE = 2000


class WorkflowError(Exception):
    """A refused write; the message is one line for the user."""


class NotSignedIn(WorkflowError):
    pass


class Forbidden(WorkflowError):
    pass


class NotFound(WorkflowError):
    pass


class Conflict(WorkflowError):
    """The profile changed since the edit began."""

    def __init__(self, org: ClusterOrganisation, base_version: int):
        super().__init__(
            f"{org.slug}: version {org.version} was saved after version {base_version}, "
            "which this edit started from"
        )
        self.current_version = org.version
        self.current = to_document(org)


def find_user(email: str):
    """The active user with this email (any case), or None."""
    return (
        get_user_model()
        .objects.filter(email__iexact=email.strip(), is_active=True)
        .order_by("pk")
        .first()
    )


def is_moderator(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(MODERATE))


def is_owner(user, org: ClusterOrganisation) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and Ownership.objects.filter(user=user, organisation=org).exists()
    )


def may_edit(user, org: ClusterOrganisation) -> bool:
    return is_moderator(user) or is_owner(user, org)


def may_view(user, org: ClusterOrganisation) -> bool:
    return org.is_public or may_edit(user, org)


def sees_contacts(user) -> bool:
    """Contact emails and telephone numbers are for signed-in users only."""
    return bool(user and user.is_authenticated and user.is_active)


def without_contacts(doc: ProfileDoc) -> ProfileDoc:
    """The document as anonymous visitors and the public API see it: the management
    team with names and positions, no emails or telephone numbers."""
    team = [m.model_copy(update={"telephone": None, "email": None}) for m in doc.management_team]
    return doc.model_copy(update={"management_team": team})


def visible_profile(user, slug: str) -> tuple[ClusterOrganisation, ProfileDoc]:
    """A profile as `user` may see it: published, or theirs to edit (else Http404, so
    that an unpublished profile's existence is not revealed); contacts only when
    signed in."""
    org, doc = get_profile(slug)
    if not may_view(user, org):
        raise Http404(f"No cluster organisation {slug!r}")
    return org, doc if sees_contacts(user) else without_contacts(doc)


def _signed_in(user) -> None:
    if not (user and user.is_authenticated and user.is_active):
        raise NotSignedIn("sign in first")


def _locked(slug: str) -> ClusterOrganisation:
    """The organisation, its row locked until the transaction ends (PostgreSQL; SQLite
    transactions here are IMMEDIATE, which serialises writers anyway)."""
    org = ClusterOrganisation.objects.select_for_update().filter(slug=slug).first()
    if org is None:
        raise NotFound(f"no cluster organisation {slug!r}")
    return org


def _flatten(value, path: str, into: dict) -> dict:
    """Leaf values by path (`programmes[0].years[1]`); an empty list has none."""
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(item, f"{path}.{key}" if path else key, into)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _flatten(item, f"{path}[{i}]", into)
    else:
        into[path] = value
    return into


def document_changes(before: dict, after: dict) -> list[dict]:
    """What changed between two documents (JSON form), field by field, in document order."""
    old, new = _flatten(before, "", {}), _flatten(after, "", {})
    paths = list(dict.fromkeys([*new, *old]))
    return [
        {"path": p, "before": old.get(p), "after": new.get(p)}
        for p in paths
        if old.get(p, ...) != new.get(p, ...)
    ]


def _record(org, action, user, document: dict, before: dict | None, note: str = "") -> Revision:
    return Revision.objects.create(
        organisation=org,
        version=org.version,
        action=action,
        author=user if user and user.is_authenticated else None,
        document=document,
        changes=document_changes(before or {}, document) if before is not None else [],
        note=note,
    )


@transaction.atomic
def create_profile(user, doc: ProfileDoc) -> ClusterOrganisation:
    """A new profile, as a draft owned by `user`."""
    _signed_in(user)
    if ClusterOrganisation.objects.filter(slug=doc.slug).exists():
        raise WorkflowError(f"slug: {doc.slug!r} is already taken by another profile")
    (org,) = save_documents([doc])
    org.status = Status.DRAFT
    org.save(update_fields=["status"])
    Ownership.objects.create(user=user, organisation=org)
    _record(org, Revision.Action.CREATE, user, doc.model_dump(mode="json"), {})
    return org


@transaction.atomic
def update_profile(
    user, slug: str, doc: ProfileDoc, base_version: int, action=Revision.Action.EDIT, note=""
) -> ClusterOrganisation:
    """Replace a profile's document; `base_version` is the version the edit started from."""
    _signed_in(user)
    org = _locked(slug)
    if not may_edit(user, org):
        raise Forbidden(f"{slug}: only its owners and moderators may edit this profile")
    if doc.slug != slug:
        raise WorkflowError(f"slug: a profile's slug cannot change (it is {slug!r})")
    if base_version != org.version:
        raise Conflict(org, base_version)
    before = to_document(org).model_dump(mode="json")
    (org,) = save_documents([doc])
    _record(org, action, user, doc.model_dump(mode="json"), before, note)
    return org


def restore_revision(user, slug: str, version: int, base_version: int) -> ClusterOrganisation:
    """Save an earlier version's document again, as a new revision."""
    org = ClusterOrganisation.objects.filter(slug=slug).first()
    if org is None:
        raise NotFound(f"no cluster organisation {slug!r}")
    revision = Revision.objects.filter(organisation=org, version=version).order_by("id").first()
    if revision is None:
        raise NotFound(f"{slug}: no version {version}")
    doc = ProfileDoc.model_validate(revision.document)
    return update_profile(
        user, slug, doc, base_version, Revision.Action.RESTORE, f"restored version {version}"
    )


# Moderation: action → (who may, from which states, to which state).
TRANSITIONS = {
    Revision.Action.SUBMIT: ("owner", {Status.DRAFT, Status.RETURNED}, Status.SUBMITTED),
    Revision.Action.PUBLISH: (
        "moderator",
        {Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.ARCHIVED},
        Status.PUBLISHED,
    ),
    Revision.Action.RETURN: ("moderator", {Status.SUBMITTED, Status.PUBLISHED}, Status.RETURNED),
    Revision.Action.ARCHIVE: (
        "owner",
        {Status.DRAFT, Status.SUBMITTED, Status.PUBLISHED, Status.RETURNED},
        Status.ARCHIVED,
    ),
}


@transaction.atomic
def change_status(user, slug: str, action: str, note: str = "") -> ClusterOrganisation:
    """Submit, publish, return (with a reason) or archive a profile."""
    _signed_in(user)
    who, sources, target = TRANSITIONS[action]
    org = _locked(slug)
    allowed = is_moderator(user) if who == "moderator" else may_edit(user, org)
    if not allowed:
        whom = "moderators" if who == "moderator" else "its owners and moderators"
        raise Forbidden(f"{slug}: only {whom} may {action} this profile")
    if org.status not in sources:
        done = Revision.Action(action).label.lower()
        raise WorkflowError(f"{slug}: a profile in state {org.status!r} cannot be {done}")
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise WorkflowError(f"reason: at most {MAX_NOTE:,} characters")
    if action == Revision.Action.RETURN and not note:
        raise WorkflowError("reason: say why the profile goes back to its owners")
    org.status = target
    org.review_note = note if action == Revision.Action.RETURN else ""
    org.save(update_fields=["status", "review_note"])
    _record(org, action, user, to_document(org).model_dump(mode="json"), None, note)
    return org


def validation_checklist(doc: ProfileDoc) -> list[dict]:
    """The ECCP validation criteria against a profile, for the moderator's review:
    each {criterion, state: met | not met | check, detail}. What cannot be decided from
    the document (an FTE, a website's language) is left for the moderator to check."""
    items = []
    size = doc.management_team_size
    if size and size != "1-5":
        state, detail = "met", f"management team of {size} people"
    elif size or doc.management_team:
        people = size or f"{len(doc.management_team)} listed"
        state, detail = "check", f"management team: {people}; confirm at least 0.5 FTE"
    else:
        state, detail = "not met", "no management team stated"
    items.append(
        {"criterion": "At least 0.5 FTE of management staff", "state": state, "detail": detail}
    )
    total = doc.members.total
    items.append({
        "criterion": "At least 15 members",
        "state": "met" if total is not None and total >= 15 else "not met",
        "detail": "members not stated" if total is None else f"{total} members",
    })  # fmt: skip
    kinds = {"SMEs": doc.members.sme, "large companies": doc.members.large_companies,
             "research organisations": doc.members.research_organisations,
             "other actors": doc.members.other_actors}  # fmt: skip
    present = [k for k, n in kinds.items() if n]
    items.append({
        "criterion": "At least two types of members",
        "state": "met" if len(present) >= 2 else "not met",
        "detail": ", ".join(present) or "no member types stated",
    })  # fmt: skip
    items.append({
        "criterion": "A website in English",
        "state": "check" if doc.website else "not met",
        "detail": f"open {doc.website} and check" if doc.website else "no website given",
    })  # fmt: skip
    return items
