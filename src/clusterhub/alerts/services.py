"""Saved searches, followed profiles, immediate alerts and the weekly digest.

What is new for a saved search of the directory is a published profile that matches it
and was published (or imported as published) since the search was last told; for a
search of opportunities or calls, one published since. Followed profiles are told in
the weekly digest: their published edits, their new opportunities and news.
"""

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode

from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import ValidationError

from clusterhub.accounts.languages import in_language_of
from clusterhub.accounts.models import Revision
from clusterhub.accounts.permissions import signed_in, viewable
from clusterhub.calls.listing import CallQuery
from clusterhub.calls.listing import search as search_calls
from clusterhub.core.errors import Invalid, NotFound
from clusterhub.core.mail import absolute, send_later
from clusterhub.core.validation import format_validation_error
from clusterhub.directory.query import DirectoryQuery
from clusterhub.directory.services import matching_ids
from clusterhub.news.services import published as published_news
from clusterhub.opportunities.listing import OpportunityQuery
from clusterhub.opportunities.listing import search as search_opportunities
from clusterhub.opportunities.models import Opportunity
from clusterhub.profiles.models import ClusterOrganisation, Status

from .models import Digest, ProfileFollow, SavedSearch

Kind = SavedSearch.Kind
Frequency = SavedSearch.Frequency
QUERIES = {
    Kind.CLUSTERS: DirectoryQuery, Kind.OPPORTUNITIES: OpportunityQuery, Kind.CALLS: CallQuery,
}  # fmt: skip
LISTS = {
    Kind.CLUSTERS: "directory:list", Kind.OPPORTUNITIES: "opportunities:list",
    Kind.CALLS: "calls:list",
}  # fmt: skip
# Ways a profile comes into the directory, and ways a published one changes.
ARRIVALS = (Revision.Action.PUBLISH, Revision.Action.IMPORT)
CHANGES = (Revision.Action.EDIT, Revision.Action.ACCEPT, Revision.Action.RESTORE)
WEEK = timedelta(days=7)
MOST = 50  # items a mail or a feed lists for one search


def parse_query(kind: str, query_string: str):
    """The list's query of a query string; Invalid naming what is wrong."""
    if kind not in QUERIES:
        raise Invalid(_("no list %(kind)r") % {"kind": kind}, "kind")
    try:
        return QUERIES[kind].from_pairs(parse_qsl(query_string), ignore_unknown=True)
    except ValidationError as exc:
        raise Invalid(format_validation_error(exc), "query") from exc


def _canonical(query) -> str:
    return urlencode([p for p in query.to_pairs() if p[0] not in ("page", "sort", "page_size")])


@transaction.atomic
def save_search(user, kind: str, query_string: str, name: str, frequency: str) -> SavedSearch:
    signed_in(user)
    query = parse_query(kind, query_string)
    if frequency not in Frequency.values:
        raise Invalid(_("choose how often to be told"), "frequency")
    name = (name or "").strip()[:200] or str(Kind(kind).label)
    return SavedSearch.objects.create(
        user=user, kind=kind, query=_canonical(query), name=name, frequency=frequency,
        told_until=timezone.now(),
    )  # fmt: skip


def _own_search(user, pk: int) -> SavedSearch:
    signed_in(user)
    found = SavedSearch.objects.filter(pk=pk, user=user).first()
    if found is None:
        raise NotFound(_("no saved search %(pk)s") % {"pk": pk})
    return found


@transaction.atomic
def delete_search(user, pk: int) -> None:
    _own_search(user, pk).delete()


@transaction.atomic
def set_frequency(user, pk: int, frequency: str) -> SavedSearch:
    search = _own_search(user, pk)
    if frequency not in Frequency.values:
        raise Invalid(_("choose how often to be told"), "frequency")
    search.frequency = frequency
    search.save(update_fields=["frequency"])
    return search


@transaction.atomic
def follow_profile(user, slug: str, on: bool = True) -> bool:
    signed_in(user)
    org = viewable(user, slug)
    if on:
        ProfileFollow.objects.get_or_create(user=user, organisation=org)
    else:
        ProfileFollow.objects.filter(user=user, organisation=org).delete()
    return on


def follows_profile(user, org) -> bool:
    return (
        bool(user and user.is_authenticated)
        and ProfileFollow.objects.filter(user=user, organisation=org).exists()
    )


@dataclass
class Found:
    title: str
    url: str
    summary: str = ""
    moment: object = None


def newest_profiles(query, since=None, until=None, limit: int = MOST) -> list[Found]:
    """Published profiles the directory query selects, newest arrivals first (those
    that arrived in (since, until] when given)."""
    arrivals = Revision.objects.filter(
        action__in=ARRIVALS, organisation__status=Status.PUBLISHED
    ).order_by("-created_at")
    if since is not None:
        arrivals = arrivals.filter(created_at__gt=since)
    if until is not None:
        arrivals = arrivals.filter(created_at__lte=until)
    moments: dict[int, object] = {}
    for org_id, moment in arrivals.values_list("organisation_id", "created_at")[: limit * 20]:
        moments.setdefault(org_id, moment)
    if not moments:
        return []
    selected = set(matching_ids(query))
    ids = [i for i in moments if i in selected][:limit]
    orgs = ClusterOrganisation.objects.in_bulk(ids)
    return [
        Found(orgs[i].name, orgs[i].get_absolute_url(), orgs[i].mission[:300], moments[i])
        for i in ids
    ]


def newest_opportunities(query, since=None, until=None, limit: int = MOST) -> list[Found]:
    query = query.model_copy(update={"sort": "newest", "page": 1, "page_size": limit})
    found = search_opportunities(query, published_after=since).items
    return [
        Found(o.title, o.get_absolute_url(), o.summary[:300], o.published_at)
        for o in found
        if until is None or o.published_at <= until
    ]


def newest_calls(query, since=None, until=None, limit: int = MOST) -> list[Found]:
    query = query.model_copy(update={"sort": "newest", "page": 1, "page_size": limit})
    found = search_calls(query, published_after=since).items
    return [
        Found(f"{c.title} ({c.programme})", c.get_absolute_url(), c.summary[:300], c.published_at)
        for c in found
        if until is None or c.published_at <= until
    ]


NEWEST = {
    Kind.CLUSTERS: newest_profiles, Kind.OPPORTUNITIES: newest_opportunities,
    Kind.CALLS: newest_calls,
}  # fmt: skip


def new_for(search: SavedSearch, until) -> list[Found]:
    query = parse_query(search.kind, search.query)
    return NEWEST[search.kind](query, since=search.told_until, until=until)


def followed_news(user, since, until) -> list[Found]:
    """Changes of the profiles `user` follows in (since, until]: published edits and
    newly published opportunities."""
    followed = ProfileFollow.objects.filter(user=user).values("organisation")
    found = []
    changed = (
        Revision.objects.filter(
            organisation__in=followed, organisation__status=Status.PUBLISHED,
            action__in=CHANGES, created_at__gt=since, created_at__lte=until,
        ).select_related("organisation").order_by("organisation_id", "-created_at")
    )  # fmt: skip
    seen = set()
    for revision in changed:
        if revision.organisation_id not in seen:
            seen.add(revision.organisation_id)
            org = revision.organisation
            found.append(Found(_("%(name)s updated its profile") % {"name": org.name},
                               org.get_absolute_url(), moment=revision.created_at))  # fmt: skip
    opportunities = Opportunity.objects.filter(
        organisation__in=followed, status=Opportunity.Status.PUBLISHED,
        published_at__gt=since, published_at__lte=until,
    ).select_related("organisation")  # fmt: skip
    for o in opportunities:
        found.append(Found(_("%(name)s: %(title)s") % {"name": o.organisation.name, "title": o.title},
                           o.get_absolute_url(), o.summary[:300], o.published_at))  # fmt: skip
    news = published_news().filter(
        organisation__in=followed, published_at__gt=since, published_at__lte=until
    )
    for n in news:
        found.append(Found(_("%(name)s: %(title)s") % {"name": n.organisation.name, "title": n.title},
                           n.get_absolute_url(), n.text[:300], n.published_at))  # fmt: skip
    return found


def unsubscribe_token(user, search: SavedSearch | None = None) -> str:
    """Signed: unsubscribes from one saved search, or (None) from the whole digest."""
    return signing.dumps(
        {"u": user.pk, "s": search.pk if search else None}, salt="alerts.unsubscribe"
    )


def feed_token(search: SavedSearch) -> str:
    return signing.dumps({"s": search.pk}, salt="alerts.feed")


def search_of_feed_token(token: str) -> SavedSearch:
    try:
        pk = signing.loads(token, salt="alerts.feed")["s"]
    except (signing.BadSignature, KeyError, TypeError) as exc:
        raise NotFound(_("no such feed")) from exc
    found = SavedSearch.objects.filter(pk=pk).first()
    if found is None:
        raise NotFound(_("no such feed"))
    return found


@transaction.atomic
def unsubscribe(token: str) -> int:
    """Deletes what the token names (no sign-in needed); how many things it deleted."""
    try:
        data = signing.loads(token, salt="alerts.unsubscribe")
        user_id, search_id = data["u"], data["s"]
    except (signing.BadSignature, KeyError, TypeError) as exc:
        raise NotFound(_("this unsubscribe link is not valid")) from exc
    if search_id is not None:
        return SavedSearch.objects.filter(pk=search_id, user_id=user_id).delete()[0]
    deleted = SavedSearch.objects.filter(user_id=user_id, frequency=Frequency.WEEKLY).delete()[0]
    return deleted + ProfileFollow.objects.filter(user_id=user_id).delete()[0]


def _send(user, subject: str, sections: list[dict], unsubscribe_all: bool, search=None) -> None:
    token = unsubscribe_token(user, None if unsubscribe_all else search)
    link = absolute(reverse("alerts:unsubscribe", args=[token]))
    body = render_to_string(
        "alerts/digest_email.txt",
        {"sections": sections, "unsubscribe": link, "alerts": absolute(reverse("alerts:home")),
         "site": absolute("")},
    )  # fmt: skip
    send_later(subject, body, [user.email], headers={
        "List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    })  # fmt: skip


def _section(search: SavedSearch, items: list[Found]) -> dict:
    url = absolute(reverse(LISTS[search.kind]) + ("?" + search.query if search.query else ""))
    return {"title": search.name, "url": url,
            "items": [{"title": i.title, "url": absolute(i.url)} for i in items]}  # fmt: skip


def send_immediate(now=None) -> int:
    """The periodic job: each immediate saved search with something new gets a mail."""
    now = now or timezone.now()
    sent = 0
    for search in SavedSearch.objects.filter(
        frequency=Frequency.IMMEDIATE, user__is_active=True
    ).select_related("user"):
        with transaction.atomic(), in_language_of(search.user):  # the mail in theirs
            items = new_for(search, now)
            if items:
                subject = _("New on Clusterhub: %(name)s") % {"name": search.name}
                _send(search.user, subject, [_section(search, items)], False, search)
                sent += 1
            SavedSearch.objects.filter(pk=search.pk).update(told_until=now)
    return sent


def send_weekly(now=None) -> int:
    """The periodic job: users whose last digest is a week old get what is new for
    their weekly searches and the profiles they follow."""
    now = now or timezone.now()
    users = set(
        SavedSearch.objects.filter(frequency=Frequency.WEEKLY).values_list("user_id", flat=True)
    ) | set(ProfileFollow.objects.values_list("user_id", flat=True))
    sent = 0
    for user_id in sorted(users):
        with transaction.atomic():
            digest, created = Digest.objects.select_for_update().get_or_create(
                user_id=user_id, defaults={"sent_until": now}
            )
            if created or digest.sent_until > now - WEEK:
                continue
            sent += _weekly_digest(digest, now)
    return sent


def _weekly_digest(digest: Digest, now) -> int:
    with in_language_of(digest.user):  # the digest written in its reader's language
        return _written_digest(digest, now)


def _written_digest(digest: Digest, now) -> int:
    user = digest.user
    sections = []
    searches = SavedSearch.objects.filter(user=user, frequency=Frequency.WEEKLY)
    for search in searches:
        if items := new_for(search, now):
            sections.append(_section(search, items))
    if items := followed_news(user, digest.sent_until, now):
        sections.append({"title": _("Profiles you follow"), "url": absolute(reverse("alerts:home")),
                         "items": [{"title": i.title, "url": absolute(i.url)} for i in items]})  # fmt: skip
    if sections and user.is_active:
        _send(user, _("Your weekly Clusterhub digest"), sections, True)
    searches.update(told_until=now)
    digest.sent_until = now
    digest.save(update_fields=["sent_until"])
    return 1 if sections and user.is_active else 0


def personal_data(user) -> dict:
    return {
        "saved_searches": [
            {"kind": s.kind, "name": s.name, "query": s.query, "frequency": s.frequency,
             "created_at": s.created_at.isoformat()}
            for s in SavedSearch.objects.filter(user=user)
        ],
        "profiles_followed": [
            f.organisation.slug for f in ProfileFollow.objects.filter(user=user).select_related("organisation")
        ],
    }  # fmt: skip
