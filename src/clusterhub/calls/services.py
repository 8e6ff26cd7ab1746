"""Funding calls: posted by moderators and the users they allow, imported from files,
withdrawn when they were a mistake. Published calls are public; a withdrawn one
exists only for those who may post calls (404 for everyone else).
"""

from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from django.contrib.auth.models import Permission
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)

from clusterhub.accounts.permissions import find_user, is_moderator, is_signed_in, moderator
from clusterhub.core import records
from clusterhub.core.errors import Conflict, Forbidden, InputError, Invalid, NotFound
from clusterhub.core.places import country_codes
from clusterhub.core.text import no_control_characters, web_address
from clusterhub.core.validation import format_validation_error
from clusterhub.directory.listing import in_order
from clusterhub.vocab.services import terms_named

from .models import POST_CALLS, FundingCall

Status = FundingCall.Status
VOCABULARIES = ("sectoral_industries",)
LIST_FIELDS = ("eligible_countries", "sectoral_industries")

Line = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300),
    AfterValidator(no_control_characters),
]  # fmt: skip


class CallIn(BaseModel):
    """A call as posted, imported or sent to the API."""

    model_config = ConfigDict(extra="forbid")

    identifier: Annotated[
        str,
        StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9._/:-]{0,119}$"),
    ] = Field(description="The programme's identifier, e.g. HORIZON-CL4-2027-TWIN-01")
    programme: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
    ]
    title: Line
    summary: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=3000),
        AfterValidator(no_control_characters),
    ]  # fmt: skip
    link: Annotated[
        str, StringConstraints(strip_whitespace=True, max_length=500), AfterValidator(web_address)
    ]
    kind: Literal[tuple(FundingCall.Kind.values)]
    opens_on: date | None = None
    closes_on: date | None = None
    eligible_countries: Annotated[list[str], Field(max_length=250)] = []
    sectoral_industries: Annotated[list[str], Field(max_length=60)] = []
    budget_eur: Annotated[int, Field(ge=0, le=10**13)] | None = None


class CallOut(CallIn):
    """A call as the API and the exports give it."""

    id: int
    state: Literal[tuple(FundingCall.State.values)]
    status: Literal[tuple(Status.values)]
    version: int
    url: str


def may_post(user) -> bool:
    return is_signed_in(user) and (is_moderator(user) or user.has_perm(POST_CALLS))


def _poster(user, doing: str) -> None:
    if not may_post(user):
        raise Forbidden(_("only moderators and the users they allow %(doing)s") % {"doing": doing})


def viewable(user, pk: int, lock: bool = False) -> FundingCall:
    rows = FundingCall.objects.select_for_update() if lock else FundingCall.objects
    call = rows.filter(pk=pk).first()
    if call is None or not (call.is_public or may_post(user)):
        raise NotFound(_("no funding call %(pk)s") % {"pk": pk})
    return call


def _apply(call: FundingCall, data: CallIn) -> list:
    if data.opens_on and data.closes_on and data.closes_on < data.opens_on:
        raise Invalid(_("it closes before it opens"), "closes_on")
    terms = terms_named({key: getattr(data, key) for key in VOCABULARIES})
    for key in ("identifier", "programme", "title", "summary", "link", "kind", "opens_on",
                "closes_on", "budget_eur"):  # fmt: skip
        setattr(call, key, getattr(data, key))
    call.eligible_countries = country_codes(data.eligible_countries, "eligible_countries")
    return terms


def _taken(identifier: str, pk: int | None = None) -> bool:
    return FundingCall.objects.filter(identifier__iexact=identifier).exclude(pk=pk).exists()


@transaction.atomic
def create(user, data: CallIn) -> FundingCall:
    _poster(user, _("post funding calls"))
    if _taken(data.identifier):
        raise Conflict(_("a call %(id)r is already here") % {"id": data.identifier}, "identifier")
    call = FundingCall(created_by=user)
    terms = _apply(call, data)
    _save_identified(call)
    call.terms.set(terms)
    return call


def _save_identified(call: FundingCall) -> None:
    """Save; another writer that took the identifier since our look-up is a Conflict."""
    try:
        with transaction.atomic():
            call.save()
    except IntegrityError:
        raise Conflict(
            _("a call %(id)r is already here") % {"id": call.identifier}, "identifier"
        ) from None


@transaction.atomic
def update(user, pk: int, data: CallIn, version: int | None) -> FundingCall:
    """Replace what the call says; `version`, the one the edit started from, must be current."""
    _poster(user, _("edit funding calls"))
    call = viewable(user, pk, lock=True)
    if version is not None and version != call.version:
        raise Conflict(
            _("it changed since (version %(version)d); reload it") % {"version": call.version},
            "version",
        )
    if _taken(data.identifier, call.pk):
        raise Conflict(_("a call %(id)r is already here") % {"id": data.identifier}, "identifier")
    terms = _apply(call, data)
    call.version += 1
    _save_identified(call)
    call.terms.set(terms)
    return call


@transaction.atomic
def set_status(user, pk: int, status: str) -> FundingCall:
    """Withdraw a call (it disappears from every list) or publish it again."""
    _poster(user, _("withdraw funding calls"))
    if status not in Status.values:
        raise Invalid(_("no status %(status)r") % {"status": status}, "status")
    call = viewable(user, pk, lock=True)
    call.status = status
    call.version += 1
    call.save(update_fields=["status", "version", "updated_at"])
    return call


def as_input(call: FundingCall) -> CallIn:
    terms = list(call.terms.all())
    return CallIn(
        identifier=call.identifier, programme=call.programme, title=call.title,
        summary=call.summary, link=call.link, kind=call.kind, opens_on=call.opens_on,
        closes_on=call.closes_on, eligible_countries=call.eligible_countries,
        budget_eur=call.budget_eur,
        **{key: [t.label for t in terms if t.vocabulary == key] for key in VOCABULARIES},
    )  # fmt: skip


def as_output(call: FundingCall, base_url: str = "") -> CallOut:
    return CallOut(
        **as_input(call).model_dump(), id=call.pk, state=call.state(), status=call.status,
        version=call.version, url=base_url + call.get_absolute_url(),
    )  # fmt: skip


def published():
    return FundingCall.objects.filter(status=Status.PUBLISHED).prefetch_related("terms")


def open_calls():
    """Published calls not closed yet, soonest closing first: what an opportunity may name."""
    from django.utils import timezone

    today = timezone.localdate()
    rows = published().exclude(closes_on__lt=today)
    return sorted(rows, key=lambda c: (c.closes_on is None, c.closes_on or today, c.title))


@transaction.atomic
def import_calls(path: Path, user=None) -> tuple[int, int]:
    """Create or update (by identifier) every call of a .json, .jsonl or .csv file; all
    or nothing. Returns (created, updated)."""
    created = updated = 0
    seen: set[str] = set()
    for line, record in records.read(Path(path), LIST_FIELDS):
        try:  # an export reads back: what only the output has is left out
            data = CallIn.model_validate({k: v for k, v in record.items() if k not in OUTPUT_ONLY})
        except ValidationError as exc:
            raise InputError(format_validation_error(exc), line) from None
        key = data.identifier.casefold()
        if key in seen:
            raise InputError(_("call %(id)r appears twice") % {"id": data.identifier}, line)
        seen.add(key)
        call = FundingCall.objects.filter(identifier__iexact=data.identifier).first()
        try:
            if call is None:
                call, created = FundingCall(created_by=user), created + 1
            else:
                call.version, updated = call.version + 1, updated + 1
            terms = _apply(call, data)
        except Invalid as exc:
            raise InputError(str(exc), line) from None
        call.save()
        call.terms.set(terms)
    return created, updated


COLUMNS = tuple(CallOut.model_fields)
OUTPUT_ONLY = frozenset(CallOut.model_fields) - frozenset(CallIn.model_fields)


def jsonld(row: dict) -> dict:
    """A funding call as a schema.org MonetaryGrant; its dates, which schema.org has no
    property of a grant for, as PropertyValues."""
    dates = [{"@type": "PropertyValue", "name": name, "value": row[name]}
             for name in ("opens_on", "closes_on") if row[name]]  # fmt: skip
    amount = row["budget_eur"]
    return records.node(
        "MonetaryGrant", row, identifier=row["identifier"], name=row["title"],
        description=row["summary"], sameAs=row["link"],
        funder={"@type": "Organization", "name": row["programme"]} if row["programme"] else None,
        amount={"@type": "MonetaryAmount", "currency": "EUR", "value": amount} if amount else None,
        areaServed=row["eligible_countries"], category=row["sectoral_industries"],
        additionalProperty=dates,
    )  # fmt: skip


def export(fmt: str, out, base_url: str = "", ids: list[int] | None = None, sheet=None) -> int:
    """Every published call (or those of `ids`, in their order), as open data."""
    chosen = published().order_by("pk") if ids is None else in_order(published(), ids)
    rows = (as_output(c, base_url).model_dump(mode="json") for c in chosen)
    return records.write(rows, fmt, out, COLUMNS, jsonld, sheet)


def posters(user) -> list:
    moderator(user, _("choose who posts funding calls"))
    permission = _permission()
    return list(permission.user_set.filter(is_active=True).order_by("email"))


def _permission() -> Permission:
    app, codename = POST_CALLS.split(".")
    return Permission.objects.get(content_type__app_label=app, codename=codename)


@transaction.atomic
def allow_posting(user, email: str, on: bool = True):
    """A moderator lets a user post funding calls (or no longer)."""
    moderator(user, _("choose who posts funding calls"))
    poster = find_user(email)
    if poster is None:
        raise Invalid(_("no user with the address %(email)s") % {"email": email}, "email")
    if on:
        poster.user_permissions.add(_permission())
    else:
        poster.user_permissions.remove(_permission())
    return poster
