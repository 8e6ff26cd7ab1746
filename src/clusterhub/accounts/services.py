"""Editing and moderation: the one set of functions the forms, the API and the CLI call.

Every edit names the version it started from; saving over a newer version raises
`Conflict` and writes nothing. Every save records a `Revision` holding the whole
document and a field-level diff, so any earlier state can be restored exactly.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.dispatch import receiver
from django.http import Http404
from django.utils import timezone

from clusterhub.profiles.document import save_documents, to_document
from clusterhub.profiles.models import ClusterOrganisation, Status, TeamMember
from clusterhub.profiles.schema import ProfileDoc
from clusterhub.profiles.services import get_profile
from clusterhub.profiles.signals import profiles_saved

from .models import ApiToken, Invitation, Ownership, OwnershipClaim, Revision

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


def sees_contacts(user) -> bool:
    """Contact emails and telephone numbers are for signed-in users only."""
    return is_signed_in(user)


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
    if not is_signed_in(user):
        raise NotSignedIn("sign in first")


def _organisation(slug: str, lock: bool = False) -> ClusterOrganisation:
    """The organisation, or NotFound. `lock`: its row stays locked until the transaction
    ends (PostgreSQL; SQLite transactions here are IMMEDIATE, which serialises writers
    anyway)."""
    found = ClusterOrganisation.objects.select_for_update() if lock else ClusterOrganisation.objects
    org = found.filter(slug=slug).first()
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
    return Revision.objects.using(org._state.db).create(
        organisation=org,
        version=org.version,
        action=action,
        author=user if is_signed_in(user) else None,
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
    (org,) = save_documents([doc], recorded=True)
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
    org = _organisation(slug, lock=True)
    if not may_edit(user, org):
        raise Forbidden(f"{slug}: only its owners and moderators may edit this profile")
    if doc.slug != slug:
        raise WorkflowError(f"slug: a profile's slug cannot change (it is {slug!r})")
    if base_version != org.version:
        raise Conflict(org, base_version)
    before = to_document(org).model_dump(mode="json")
    (org,) = save_documents([doc], recorded=True)
    # What was stored: saving adds the collaborations' resolution to what was sent.
    _record(org, action, user, to_document(org).model_dump(mode="json"), before, note)
    return org


def restore_revision(user, slug: str, version: int, base_version: int) -> ClusterOrganisation:
    """Save an earlier version's document again, as a new revision."""
    org = _organisation(slug)
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
    org = _organisation(slug, lock=True)
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


# Ownership: invitations by owners, claims decided by moderators.

INVITATION_DAYS = 14


def invite(user, slug: str, email: str) -> tuple[Invitation, str]:
    """An invitation for `email` to co-own the profile, and the key its link carries."""
    _signed_in(user)
    org = _organisation(slug)
    if not may_edit(user, org):
        raise Forbidden(f"{slug}: only its owners and moderators may invite co-owners")
    email = email.strip().lower()
    if Ownership.objects.filter(organisation=org, user__email__iexact=email).exists():
        raise WorkflowError(f"email: {email} is already an owner")
    return Invitation.issue(org, email, user)


@transaction.atomic
def accept_invitation(user, key: str) -> ClusterOrganisation:
    _signed_in(user)
    invitation = Invitation.find(key)
    if invitation is None or invitation.accepted_at is not None:
        raise NotFound("this invitation is not valid (already used, or the link is incomplete)")
    if timezone.now() - invitation.created_at > timedelta(days=INVITATION_DAYS):
        raise WorkflowError(
            f"this invitation expired after {INVITATION_DAYS} days: ask for a new one"
        )
    if user.email.lower() != invitation.email.lower():
        raise Forbidden(f"this invitation is for {invitation.email}: sign in with that address")
    Ownership.objects.get_or_create(user=user, organisation=invitation.organisation)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return invitation.organisation


def claim(user, slug: str, message: str) -> OwnershipClaim:
    """Ask the moderators for ownership of a profile (an imported one, typically)."""
    _signed_in(user)
    org = _organisation(slug)
    if not may_view(user, org):
        raise NotFound(f"no cluster organisation {slug!r}")
    if is_owner(user, org):
        raise WorkflowError(f"{slug}: you already own this profile")
    message = message.strip()
    if not message or len(message) > MAX_NOTE:
        raise WorkflowError(f"message: say who you are, in at most {MAX_NOTE:,} characters")
    if OwnershipClaim.objects.filter(
        organisation=org, user=user, state=OwnershipClaim.State.PENDING
    ).exists():
        raise WorkflowError(f"{slug}: your claim already waits for a moderator")
    return OwnershipClaim.objects.create(organisation=org, user=user, message=message)


@transaction.atomic
def decide_claim(user, claim_id: int, approve: bool) -> OwnershipClaim:
    if not is_moderator(user):
        raise Forbidden("only moderators decide claims")
    found = OwnershipClaim.objects.select_for_update().filter(pk=claim_id).first()
    if found is None or found.state != OwnershipClaim.State.PENDING:
        raise NotFound(f"no pending claim {claim_id}")
    found.state = OwnershipClaim.State.APPROVED if approve else OwnershipClaim.State.REJECTED
    found.decided_by, found.decided_at = user, timezone.now()
    found.save(update_fields=["state", "decided_by", "decided_at"])
    if approve:
        Ownership.objects.get_or_create(user=found.user, organisation=found.organisation)
    return found


# Personal data.


@transaction.atomic
def remove_contact(user, slug: str, position: int) -> ClusterOrganisation:
    """Take a member of the management team off a profile at their request (moderators),
    and out of the profile's history too: earlier revisions no longer hold them."""
    if not is_moderator(user):
        raise Forbidden("only moderators remove contact persons")
    org = _organisation(slug, lock=True)
    doc = to_document(org)
    if not 0 <= position < len(doc.management_team):
        raise NotFound(f"{slug}: no management team member {position + 1}")
    person = doc.management_team[position]
    team = [m for i, m in enumerate(doc.management_team) if i != position]
    org = update_profile(
        user,
        slug,
        doc.model_copy(update={"management_team": team}),
        org.version,
        note="contact person removed on request",
    )
    traces = {v for v in (person.email, person.telephone) if v}
    names = {v for v in (person.first_name, person.last_name) if v}
    for revision in Revision.objects.filter(organisation=org):
        revision.document["management_team"] = [
            m for m in revision.document.get("management_team", [])
            if not _same_person(m, person, traces, names)
        ]  # fmt: skip
        revision.changes = [
            c for c in revision.changes
            if not (c["path"].startswith("management_team[") and {c["before"], c["after"]} & (traces | names))
        ]  # fmt: skip
        revision.save(update_fields=["document", "changes"])
    return org


def _same_person(member: dict, person, traces: set, names: set) -> bool:
    if traces & {member.get("email"), member.get("telephone")}:
        return True
    return bool(names) and {member.get("first_name"), member.get("last_name")} >= names


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def personal_data(user) -> dict:
    """Everything the platform holds about `user`, as JSON-ready data."""
    email = user.email.lower()
    listed = []
    for member in TeamMember.objects.filter(email__iexact=email).select_related("organisation"):
        listed.append({"profile": member.organisation.slug, "first_name": member.first_name,
                       "last_name": member.last_name, "position": member.position,
                       "telephone": member.telephone, "email": member.email})  # fmt: skip
    return {
        "account": {
            "email": user.email,
            "date_joined": user.date_joined.isoformat(),
            "last_login": _iso(user.last_login),
            "moderator": is_moderator(user),
        },
        "owned_profiles": [
            {"slug": o.organisation.slug, "since": o.created_at.isoformat()}
            for o in Ownership.objects.filter(user=user).select_related("organisation")
        ],
        "listed_as_contact": listed,
        "revisions_authored": [
            {
                "profile": r.organisation.slug,
                "version": r.version,
                "action": r.action,
                "at": r.created_at.isoformat(),
                "note": r.note,
            }
            for r in Revision.objects.filter(author=user).select_related("organisation")
        ],
        "api_tokens": [
            {
                "name": t.name,
                "hint": t.hint,
                "created_at": t.created_at.isoformat(),
                "last_used_at": _iso(t.last_used_at),
                "revoked_at": _iso(t.revoked_at),
            }
            for t in ApiToken.objects.filter(user=user)
        ],
        "claims": [
            {
                "profile": c.organisation.slug,
                "message": c.message,
                "state": c.state,
                "at": c.created_at.isoformat(),
            }
            for c in OwnershipClaim.objects.filter(user=user).select_related("organisation")
        ],
        "invitations_received": [
            {
                "profile": i.organisation.slug,
                "at": i.created_at.isoformat(),
                "accepted_at": _iso(i.accepted_at),
            }
            for i in Invitation.objects.filter(email__iexact=email).select_related("organisation")
        ],
    }


def record_admin_edit(user, org_id: int, before: dict | None) -> Revision:
    """The revision of a save made in the Django admin (which writes rows, not a document)."""
    org = ClusterOrganisation.objects.get(pk=org_id)
    document = to_document(org).model_dump(mode="json")
    action = Revision.Action.EDIT if before is not None else Revision.Action.CREATE
    return _record(org, action, user, document, before or {}, "saved in the admin")


@receiver(profiles_saved)
def record_imports(sender, organisations, documents, using, recorded=False, **kwargs):
    """An import over a profile that has owners is history too: the owners see it, and
    can restore what they had."""
    if recorded:
        return
    owned = set(
        Ownership.objects.using(using)
        .filter(organisation_id__in=[o.pk for o in organisations])
        .values_list("organisation_id", flat=True)
    )
    for org, doc in zip(organisations, documents, strict=True):
        if org.pk in owned:
            last = Revision.objects.using(using).filter(organisation=org).order_by("-id").first()
            before = last.document if last else {}
            _record(
                org, Revision.Action.IMPORT, None, doc.model_dump(mode="json"), before, "imported"
            )
