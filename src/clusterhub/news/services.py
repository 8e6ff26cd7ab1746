"""News and events of clusters: an owner posts, a moderator publishes or returns it
with a reason; an owner's edit of a published item goes back to review (a moderator's
own posts and edits are published at once). Unpublished items exist only for the
organisation's owners and the moderators (404 for everyone else).
"""

from datetime import date
from typing import Annotated, Literal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints

from clusterhub.accounts.languages import send_to_each
from clusterhub.accounts.ownership import owner_emails
from clusterhub.accounts.permissions import editable, is_moderator, is_owner, moderator, signed_in
from clusterhub.core import records
from clusterhub.core.errors import Conflict, Forbidden, Invalid, NotFound
from clusterhub.core.mail import absolute
from clusterhub.core.text import no_control_characters, web_address
from clusterhub.directory.listing import in_order
from clusterhub.profiles.models import Status as OrgStatus

from .models import NewsItem

Status = NewsItem.Status
ACTIONS = ("publish", "return")


def _link(value: str) -> str:
    return web_address(value) if value else value


class NewsIn(BaseModel):
    """What an owner posts; the form and the API validate through it."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal[tuple(NewsItem.Kind.values)] = NewsItem.Kind.NEWS
    title: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
        AfterValidator(no_control_characters),
    ]  # fmt: skip
    text: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000),
        AfterValidator(no_control_characters),
    ]  # fmt: skip
    date: date
    link: Annotated[
        str, StringConstraints(strip_whitespace=True, max_length=500), AfterValidator(_link)
    ] = ""


class NewsOut(NewsIn):
    id: int
    organisation: str
    status: Literal[tuple(Status.values)]
    version: int
    url: str


def may_edit(user, item: NewsItem) -> bool:
    return is_moderator(user) or is_owner(user, item.organisation)


def viewable(user, pk: int, lock: bool = False) -> NewsItem:
    rows = NewsItem.objects.select_related("organisation")
    if lock:
        rows = rows.select_for_update(of=("self",))
    item = rows.filter(pk=pk).first()
    if item is None or not (item.is_public or may_edit(user, item)):
        raise NotFound(_("no news item %(pk)s") % {"pk": pk})
    return item


def _editable(user, pk: int) -> NewsItem:
    signed_in(user)
    item = viewable(user, pk, lock=True)
    if not may_edit(user, item):
        raise Forbidden(_("only its owners and moderators may change it"))
    return item


def _apply(item: NewsItem, data: NewsIn, user) -> None:
    for key in ("kind", "title", "text", "date", "link"):
        setattr(item, key, getattr(data, key))
    if is_moderator(user):
        item.status, item.review_note = Status.PUBLISHED, ""
        item.published_at = item.published_at or timezone.now()
    else:
        item.status = Status.SUBMITTED


@transaction.atomic
def post(user, slug: str, data: NewsIn) -> NewsItem:
    """A news item of the organisation `slug`, which `user` may edit; it waits for a
    moderator unless `user` is one."""
    org = editable(user, slug, _("post its news"))
    if not org.is_public:
        raise Invalid(_("publish the organisation's profile first"), "organisation")
    item = NewsItem(organisation=org, created_by=user)
    _apply(item, data, user)
    item.save()
    return item


@transaction.atomic
def update(user, pk: int, data: NewsIn, version: int | None) -> NewsItem:
    item = _editable(user, pk)
    if version is not None and version != item.version:
        raise Conflict(
            _("it changed since (version %(version)d); reload it") % {"version": item.version},
            "version",
        )
    _apply(item, data, user)
    item.version += 1
    item.save()
    return item


@transaction.atomic
def decide(user, pk: int, action: str, note: str = "") -> NewsItem:
    """A moderator publishes a submitted item or returns it with a reason."""
    if action not in ACTIONS:
        raise NotFound(_("no action %(action)r") % {"action": action})
    item = _editable(user, pk)
    moderator(user, _("publish or return news"))
    if item.status != Status.SUBMITTED:
        raise Conflict(_("it is not waiting for review"), "status")
    if action == "return":
        if not note.strip():
            raise Invalid(_("say why it is returned"), "note")
        item.status, item.review_note = Status.RETURNED, note.strip()[:2000]
    else:
        item.status, item.review_note = Status.PUBLISHED, ""
        item.published_at = item.published_at or timezone.now()
    item.version += 1
    item.save()
    _tell_owners(item)
    return item


@transaction.atomic
def delete(user, pk: int) -> None:
    _editable(user, pk).delete()


def _tell_owners(item: NewsItem) -> None:
    link = absolute(item.get_absolute_url())

    def write():  # in each owner's language
        what = (
            _("A moderator published it.") if item.is_public
            else _("A moderator returned it: %(note)s") % {"note": item.review_note}
        )  # fmt: skip
        return _("Your news: %(title)s") % {
            "title": item.title
        }, f"{item.title}\n\n{what}\n\n{link}\n"

    send_to_each(owner_emails(item.organisation_id), write)


def of_organisation(user, org, published_only: bool = True):
    rows = NewsItem.objects.filter(organisation=org)
    if published_only or not (is_moderator(user) or is_owner(user, org)):
        rows = rows.filter(status=Status.PUBLISHED)
    return rows


def published():
    return NewsItem.objects.filter(
        status=Status.PUBLISHED, organisation__status=OrgStatus.PUBLISHED
    ).select_related("organisation")


def waiting_for_review(user):
    moderator(user, _("review news"))
    return NewsItem.objects.filter(status=Status.SUBMITTED).select_related("organisation")


def as_input(item: NewsItem) -> NewsIn:
    return NewsIn(kind=item.kind, title=item.title, text=item.text, date=item.date, link=item.link)


def as_output(item: NewsItem, base_url: str = "") -> NewsOut:
    return NewsOut(
        **as_input(item).model_dump(), id=item.pk, organisation=item.organisation.slug,
        status=item.status, version=item.version, url=base_url + item.get_absolute_url(),
    )  # fmt: skip


COLUMNS = tuple(NewsOut.model_fields)


def jsonld(row: dict, base_url: str = "") -> dict:
    """A news item as a schema.org NewsArticle, an event as an Event."""
    cluster = {"@id": f"{base_url}/clusters/{row['organisation']}/"}
    if row["kind"] == NewsItem.Kind.EVENT:
        return records.node(
            "Event", row, name=row["title"], description=row["text"], startDate=row["date"],
            organizer=cluster, sameAs=row["link"],
        )  # fmt: skip
    return records.node(
        "NewsArticle", row, headline=row["title"], articleBody=row["text"],
        datePublished=row["date"], publisher=cluster, sameAs=row["link"],
    )  # fmt: skip


def export(fmt: str, out, base_url: str = "", ids: list[int] | None = None, sheet=None) -> int:
    """Every published news item (or those of `ids`, in their order), as open data."""
    chosen = published().order_by("pk") if ids is None else in_order(published(), ids)
    rows = (as_output(i, base_url).model_dump(mode="json") for i in chosen)
    return records.write(rows, fmt, out, COLUMNS, lambda row: jsonld(row, base_url), sheet)
