"""Personal data: who sees a contact person's telephone and email, and what is held.

Each management team member's `contact_visibility` says who sees their telephone and
email: everyone, signed-in members, or nobody but the profile's owners and the
moderators (names and positions are public). Contact details are never handed out in
bulk: lists, exports and the search API leave them out, and a reader sees those of a
limited number of profiles an hour (`CLUSTERHUB_CONTACTS_RATE`, django-ratelimit).
"""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

from clusterhub.core.errors import NotFound
from clusterhub.profiles.choices import ContactVisibility, Status
from clusterhub.profiles.document import to_document
from clusterhub.profiles.models import ClusterOrganisation, TeamMember
from clusterhub.profiles.schema import ProfileDoc

from . import editing, revisions
from .models import ApiToken, Invitation, Ownership, OwnershipClaim, Revision
from .permissions import is_moderator, is_signed_in, may_edit, moderator, viewable

CONTACT_FIELDS = ("telephone", "email")


def without_contacts(doc: ProfileDoc, keep=lambda member: False) -> ProfileDoc:
    """The document with the telephones and emails left out (but of those `keep` keeps)."""
    team = [
        m if keep(m) else m.model_copy(update=dict.fromkeys(CONTACT_FIELDS))
        for m in doc.management_team
    ]
    return doc.model_copy(update={"management_team": team})


def within_contact_rate(request, user) -> bool:
    """Counts one more profile whose contact details a reader sees (an account, else
    the address asking); False once they saw `CLUSTERHUB_CONTACTS_RATE` of them in the
    period."""
    reader = (
        f"user:{user.pk}" if is_signed_in(user) else f"ip:{request.META.get('REMOTE_ADDR', '')}"
    )
    usage = get_usage(
        request, group="contacts", key=lambda group, request: reader,
        rate=settings.CLUSTERHUB_CONTACTS_RATE, increment=True,
    )  # fmt: skip
    return usage is None or not usage["should_limit"]


def _shown(member, signed_in: bool) -> bool:
    return member.contact_visibility == ContactVisibility.EVERYONE or (
        signed_in and member.contact_visibility == ContactVisibility.MEMBERS
    )


def _visible_slugs(user, slugs: set[str]) -> set[str]:
    """Which of these profiles `user` may see."""
    if not slugs:
        return set()
    found = ClusterOrganisation.objects.filter(slug__in=slugs).values_list("pk", "slug", "status")
    visible = {slug for _pk, slug, status in found if status == Status.PUBLISHED}
    hidden = {pk: slug for pk, slug, status in found if status != Status.PUBLISHED}
    if hidden and is_moderator(user):
        return visible | set(hidden.values())
    if hidden and is_signed_in(user):
        owned = Ownership.objects.filter(user=user, organisation_id__in=hidden)
        visible |= {hidden[pk] for pk in owned.values_list("organisation_id", flat=True)}
    return visible


def document_for(user, org: ClusterOrganisation, doc: ProfileDoc, request=None):
    """The document as `user` may see it, and whether contact details were withheld
    because the reader saw too many of them lately. Its editors see all of it; others
    see each person's contact details as that person's visibility says. Everyone sees
    the collaborations linked to profiles they may see, and no link to the others."""
    withheld = False
    if not may_edit(user, org):
        signed_in = is_signed_in(user)
        shown = [
            m for m in doc.management_team if _shown(m, signed_in) and (m.email or m.telephone)
        ]
        if shown and request is not None and not within_contact_rate(request, user):
            withheld, shown = True, []
        doc = without_contacts(doc, keep=lambda m: any(m is s for s in shown))
    return _with_visible_links(user, doc), withheld


def hide_links(doc: ProfileDoc, visible: set[str]) -> ProfileDoc:
    """The document with the collaborations linked to (or proposing) a profile not in
    `visible` shown as never resolved: a reader learns nothing of profiles they may not
    see. Written back by an owner, such an entry keeps its stored resolution."""
    unseen = dict.fromkeys(("profile", "candidate", "match_confidence", "match_status"))
    entries = [
        c if {c.profile, c.candidate} - {None} <= visible else c.model_copy(update=unseen)
        for c in doc.collaborating_clusters
    ]
    return doc.model_copy(update={"collaborating_clusters": entries})


def _with_visible_links(user, doc: ProfileDoc) -> ProfileDoc:
    named = {s for c in doc.collaborating_clusters for s in (c.profile, c.candidate) if s}
    return hide_links(doc, _visible_slugs(user, named)) if named else doc


def visible_profile(user, slug: str, request=None) -> tuple[ClusterOrganisation, ProfileDoc, bool]:
    """A profile as `user` may see it (NotFound if they may not see it at all): the
    organisation, its document (see `document_for`) and whether contacts were withheld."""
    org = viewable(user, slug)
    doc, withheld = document_for(user, org, to_document(org), request)
    return org, doc, withheld


@transaction.atomic
def remove_contact(user, slug: str, position: int) -> ClusterOrganisation:
    """Take a member of the management team off a profile at their request (moderators),
    and out of the profile's history too: earlier revisions no longer hold them."""
    org = viewable(user, slug)
    moderator(user, _("remove contact persons"))
    doc = editing.head_document(org)
    if not 0 <= position < len(doc.management_team):
        raise NotFound(
            _("%(slug)s: no management team member %(n)s") % {"slug": slug, "n": position + 1}
        )
    person = doc.management_team[position]
    team = [m for i, m in enumerate(doc.management_team) if i != position]
    org = editing.update_profile(
        user, slug, doc.model_copy(update={"management_team": team}), org.version,
        note=_("contact person removed on request"),
    )  # fmt: skip
    traces = {v for v in (person.email, person.telephone) if v}
    names = {v for v in (person.first_name, person.last_name) if v}

    def is_person(member: dict) -> bool:
        if traces & {member.get("email"), member.get("telephone")}:
            return True
        return bool(names) and {member.get("first_name"), member.get("last_name")} >= names

    revisions.scrub(org, is_person, traces | names)
    return org


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


# Apps above accounts add what they hold about a user (messages, saved searches…):
# `register_personal_data(function)`, `function(user)` giving a dict of JSON-ready data.
PERSONAL_DATA: list = []


def register_personal_data(function) -> None:
    PERSONAL_DATA.append(function)


def personal_data(user) -> dict:
    """Everything the platform holds about `user`, as JSON-ready data."""
    data = _own_personal_data(user)
    for function in PERSONAL_DATA:
        data.update(function(user))
    return data


def _own_personal_data(user) -> dict:
    email = user.email.lower()
    listed = [
        {"profile": m.organisation.slug, "first_name": m.first_name, "last_name": m.last_name,
         "position": m.position, "telephone": m.telephone, "email": m.email,
         "contact_visibility": m.contact_visibility}
        for m in TeamMember.objects.filter(email__iexact=email).select_related("organisation")
    ]  # fmt: skip
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
