"""Partnership opportunities: posting, moderation, expiry, interest and follows.

Moderated like profiles: an owner of a cluster organisation writes a draft and submits
it; a moderator publishes it or returns it with a reason; an owner's edit of a
published opportunity goes back to review. It expires at its date (a periodic job) and
its owners can renew it. Only published ones are public; for anyone but the
organisation's owners and the moderators the others do not exist (404).
"""

from datetime import date, datetime, timedelta
from typing import Annotated, Literal

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from clusterhub.accounts.languages import send_to_each
from clusterhub.accounts.ownership import owner_emails
from clusterhub.accounts.permissions import editable, is_moderator, is_owner, signed_in
from clusterhub.calls.models import FundingCall
from clusterhub.core import records
from clusterhub.core.errors import Conflict, Forbidden, Invalid, NotFound
from clusterhub.core.languages import lazy_date, lazy_message
from clusterhub.core.mail import absolute
from clusterhub.core.places import country_codes
from clusterhub.core.text import no_control_characters
from clusterhub.directory.listing import in_order
from clusterhub.messaging.services import contact
from clusterhub.vocab.services import terms_named

from .models import MAX_OPEN_DAYS, OPEN_DAYS, Follow, Opportunity

Status = Opportunity.Status
VOCABULARIES = ("sectoral_industries", "technology_fields")

Line = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(no_control_characters),
]  # fmt: skip
Labels = Annotated[list[Annotated[str, StringConstraints(max_length=300)]], Field(max_length=30)]


class OpportunityIn(BaseModel):
    """What an owner writes; the form and the API validate through it."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal[tuple(Opportunity.Kind.values)]
    title: Line
    summary: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
    details: Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)] = ""
    sectoral_industries: Labels = []
    technology_fields: Labels = []
    target_countries: Annotated[list[str], Field(max_length=60)] = []
    call: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] = ""
    deadline: date | None = None
    expires_on: date | None = None


def _expiry(data: OpportunityIn) -> date:
    today = timezone.localdate()
    expires = data.expires_on or today + timedelta(days=OPEN_DAYS)
    if expires < today:
        raise Invalid(_("the expiry date is in the past"), "expires_on")
    if expires > today + timedelta(days=MAX_OPEN_DAYS):
        raise Invalid(_("an opportunity stays open a year at most"), "expires_on")
    if data.deadline and data.deadline < today:
        raise Invalid(_("the deadline is in the past"), "deadline")
    return expires


def _apply(opportunity: Opportunity, data: OpportunityIn) -> list:
    terms = terms_named({key: getattr(data, key) for key in VOCABULARIES})
    for key in ("kind", "title", "summary", "details", "call", "deadline"):
        setattr(opportunity, key, getattr(data, key))
    opportunity.target_countries = country_codes(data.target_countries, "target_countries")
    opportunity.expires_on = _expiry(data)
    opportunity.funding_call = (
        FundingCall.objects.filter(identifier__iexact=data.call).first() if data.call else None
    )
    return terms


def may_edit(user, opportunity: Opportunity) -> bool:
    return is_moderator(user) or is_owner(user, opportunity.organisation)


def viewable(user, pk: int, lock: bool = False) -> Opportunity:
    rows = Opportunity.objects.select_related("organisation")
    if lock:
        rows = rows.select_for_update(of=("self",))
    opportunity = rows.filter(pk=pk).first()
    if opportunity is None or not (opportunity.is_public or may_edit(user, opportunity)):
        raise NotFound(_("no opportunity %(pk)s") % {"pk": pk})
    return opportunity


def _editable(user, pk: int, doing: str) -> Opportunity:
    signed_in(user)
    opportunity = viewable(user, pk, lock=True)
    if not may_edit(user, opportunity):
        raise Forbidden(_("only its owners and moderators may %(doing)s") % {"doing": doing})
    return opportunity


@transaction.atomic
def create(user, slug: str, data: OpportunityIn) -> Opportunity:
    """A draft opportunity of the organisation `slug`, which `user` may edit."""
    org = editable(user, slug, _("post its opportunities"))
    opportunity = Opportunity(organisation=org, created_by=user)
    terms = _apply(opportunity, data)
    opportunity.save()
    opportunity.terms.set(terms)
    return opportunity


@transaction.atomic
def update(user, pk: int, data: OpportunityIn, version: int | None) -> Opportunity:
    """Replace what it says; `version`, the one the edit started from, must be current.
    An owner's edit of a published opportunity goes back to review."""
    opportunity = _editable(user, pk, _("edit it"))
    if version is not None and version != opportunity.version:
        raise Conflict(
            _("it changed since (version %(version)d); reload it")
            % {"version": opportunity.version},
            "version",
        )
    terms = _apply(opportunity, data)
    if opportunity.status == Status.PUBLISHED and not is_moderator(user):
        opportunity.status = Status.SUBMITTED
    opportunity.version += 1
    opportunity.save()
    opportunity.terms.set(terms)
    if opportunity.is_public:
        _tell_followers(opportunity, _lazy("It was updated."))
    return opportunity


# action: (who may, the statuses it starts from, the status it ends in)
TRANSITIONS = {
    "submit": ("owner", {Status.DRAFT, Status.RETURNED}, Status.SUBMITTED),
    "publish": ("moderator", {Status.SUBMITTED}, Status.PUBLISHED),
    "return": ("moderator", {Status.SUBMITTED}, Status.RETURNED),
    "archive": ("owner", set(Status) - {Status.ARCHIVED}, Status.ARCHIVED),
    "renew": ("owner", {Status.PUBLISHED, Status.EXPIRED}, Status.PUBLISHED),
}


@transaction.atomic
def change_status(user, pk: int, action: str, note: str = "") -> Opportunity:
    if action not in TRANSITIONS:
        raise NotFound(_("no action %(action)r") % {"action": action})
    who, sources, target = TRANSITIONS[action]
    opportunity = _editable(user, pk, action)
    if who == "moderator" and not is_moderator(user):
        raise Forbidden(_("only moderators may %(action)s it") % {"action": action})
    if opportunity.status not in sources:
        raise Conflict(
            _("a %(status)s opportunity cannot be %(action)s") % {
                "status": opportunity.get_status_display().lower(), "action": action,
            }, "status",
        )  # fmt: skip
    if action == "return" and not note.strip():
        raise Invalid(_("say why it is returned"), "note")
    if action == "submit" and not opportunity.organisation.is_public:
        raise Invalid(_("publish the organisation's profile first"), "status")
    was_public = opportunity.is_public
    opportunity.status = target
    opportunity.version += 1
    if action == "return":
        opportunity.review_note = note.strip()[:2000]
    if action == "renew":
        opportunity.expires_on = timezone.localdate() + timedelta(days=OPEN_DAYS)
    if action == "publish":
        opportunity.review_note = ""
        opportunity.published_at = opportunity.published_at or timezone.now()
    opportunity.save()
    if action in ("publish", "return"):
        _tell_owners(opportunity, action)
    if opportunity.is_public and (action == "renew" or was_public is False):
        _tell_followers(
            opportunity,
            _lazy("It is open again.") if action == "renew" else _lazy("It was published."),
        )
    elif was_public and not opportunity.is_public:
        _tell_followers(opportunity, _lazy("It is closed."))
    return opportunity


def available_actions(user, opportunity: Opportunity) -> list[str]:
    """The status changes `user` may make now, in TRANSITIONS' order."""
    if not may_edit(user, opportunity):
        return []
    moderates = is_moderator(user)
    return [
        action for action, (who, sources, _target) in TRANSITIONS.items()
        if opportunity.status in sources and (who == "owner" or moderates)
    ]  # fmt: skip


def _mail(opportunity: Opportunity, to: list[str], what) -> None:
    """`what` (a lazy message) is read by each recipient in their language."""
    link = absolute(opportunity.get_absolute_url())

    def write():
        context = {"opportunity": opportunity, "what": what, "link": link}
        return (
            _("Opportunity: %(title)s") % {"title": opportunity.title},
            render_to_string("opportunities/changed_email.txt", context),
        )

    send_to_each(to, write)  # one mail each: followers do not see each other's address


def _tell_owners(opportunity: Opportunity, action: str) -> None:
    what = (
        _lazy("A moderator published it.") if action == "publish"
        else lazy_message(_lazy("A moderator returned it: %(note)s"), note=opportunity.review_note)
    )  # fmt: skip
    _mail(opportunity, owner_emails(opportunity.organisation_id), what)


def _tell_followers(opportunity: Opportunity, what) -> None:
    follows = opportunity.follows.filter(user__is_active=True).select_related("user")
    _mail(opportunity, [f.user.email for f in follows], what)


def expire_due(today: date | None = None) -> int:
    """The periodic job: published opportunities past their date expire, and their
    owners and followers are told."""
    today = today or timezone.localdate()
    expired = 0
    with transaction.atomic():
        due = Opportunity.objects.select_for_update().filter(
            status=Status.PUBLISHED, expires_on__lt=today
        )
        for opportunity in due.select_related("organisation"):
            opportunity.status = Status.EXPIRED
            opportunity.version += 1
            opportunity.save(update_fields=["status", "version", "updated_at"])
            what = lazy_message(
                _lazy("It expired on %(date)s; its owners can renew it."),
                date=lazy_date(opportunity.expires_on),
            )
            _mail(opportunity, owner_emails(opportunity.organisation_id), what)
            _tell_followers(opportunity, what)
            expired += 1
    return expired


@transaction.atomic
def follow(user, pk: int, on: bool = True) -> bool:
    signed_in(user)
    opportunity = viewable(user, pk)
    if on:
        Follow.objects.get_or_create(user=user, opportunity=opportunity)
    else:
        Follow.objects.filter(user=user, opportunity=opportunity).delete()
    return on


def follows(user, opportunity: Opportunity) -> bool:
    return (
        bool(user and user.is_authenticated)
        and Follow.objects.filter(user=user, opportunity=opportunity).exists()
    )


def express_interest(user, pk: int, *, body: str, sender_name: str, sender_organisation: str = ""):
    """A message to the opportunity's owners that opens a conversation about it."""
    signed_in(user)
    opportunity = viewable(user, pk)
    if not opportunity.is_public:
        raise Invalid(_("only published opportunities take expressions of interest"), "status")
    return contact(
        user, opportunity.organisation.slug,
        subject=_("Interest in: %(title)s") % {"title": opportunity.title},
        body=body, sender_name=sender_name, sender_organisation=sender_organisation,
        topic=opportunity.title, topic_url=opportunity.get_absolute_url(),
    )  # fmt: skip


def of_organisation(user, org, open_only: bool = True):
    rows = Opportunity.objects.filter(organisation=org).prefetch_related("terms")
    if open_only or not may_edit_org(user, org):
        rows = rows.filter(status=Status.PUBLISHED)
    return rows


def naming_call(call):
    """The published opportunities for the funding call `call`."""
    rows = Opportunity.objects.filter(funding_call=call, status=Status.PUBLISHED)
    return rows.select_related("organisation").order_by("-published_at")


def may_edit_org(user, org) -> bool:
    return is_moderator(user) or is_owner(user, org)


def waiting_for_review(user):
    from clusterhub.accounts.permissions import moderator

    moderator(user, _("review opportunities"))
    return Opportunity.objects.filter(status=Status.SUBMITTED).select_related("organisation")


def as_input(opportunity: Opportunity) -> OpportunityIn:
    terms = list(opportunity.terms.all())
    return OpportunityIn(
        kind=opportunity.kind, title=opportunity.title, summary=opportunity.summary,
        details=opportunity.details, call=opportunity.call, deadline=opportunity.deadline,
        expires_on=opportunity.expires_on, target_countries=opportunity.target_countries,
        **{key: [t.label for t in terms if t.vocabulary == key] for key in VOCABULARIES},
    )  # fmt: skip


class OpportunityOut(OpportunityIn):
    """An opportunity as the API and the exports give it."""

    id: int
    organisation: str
    status: Literal[tuple(Status.values)]
    version: int
    url: str
    published_at: datetime | None = None


def as_output(opportunity: Opportunity, base_url: str = "") -> OpportunityOut:
    return OpportunityOut(
        **as_input(opportunity).model_dump(), id=opportunity.pk,
        organisation=opportunity.organisation.slug, status=opportunity.status,
        version=opportunity.version, url=base_url + opportunity.get_absolute_url(),
        published_at=opportunity.published_at,
    )  # fmt: skip


COLUMNS = tuple(OpportunityOut.model_fields)


def jsonld(row: dict, base_url: str = "") -> dict:
    """An opportunity as schema.org: an Offer its cluster makes, or a Demand it seeks (a
    request, a partner search for a call)."""
    cluster = {"@id": f"{base_url}/clusters/{row['organisation']}/"}
    offer = row["kind"] == Opportunity.Kind.OFFER
    by = {"offeredBy": cluster} if offer else {"@reverse": {"seeks": cluster}}
    return records.node(
        "Offer" if offer else "Demand", row,
        identifier=str(row["id"]), name=row["title"], description=row["summary"],
        disambiguatingDescription=row["details"], areaServed=row["target_countries"],
        category=row["sectoral_industries"] + row["technology_fields"],
        validFrom=row["published_at"], validThrough=row["expires_on"] or row["deadline"], **by,
    )  # fmt: skip


def export(fmt: str, out, base_url: str = "", ids: list[int] | None = None, sheet=None) -> int:
    """Every published opportunity (or those of `ids`, in their order), as open data."""
    rows = Opportunity.objects.filter(status=Status.PUBLISHED).select_related("organisation")
    rows = rows.prefetch_related("terms").order_by("pk")
    chosen = rows if ids is None else in_order(rows, ids)
    dumped = (as_output(o, base_url).model_dump(mode="json") for o in chosen)
    return records.write(dumped, fmt, out, COLUMNS, lambda row: jsonld(row, base_url), sheet)


def personal_data(user) -> dict:
    return {
        "opportunities_followed": [
            {
                "opportunity": f.opportunity_id,
                "title": f.opportunity.title,
                "since": f.created_at.isoformat(),
            }
            for f in Follow.objects.filter(user=user).select_related("opportunity")
        ]
    }
