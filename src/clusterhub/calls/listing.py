"""The list of published funding calls: the directory's query model and result shapes
(directory.listing), open calls first by closing date."""

from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterhub.core.places import country_name
from clusterhub.directory.listing import (
    Entry,
    EntryCache,
    ListFacet,
    ListResult,
    query_model,
)

from .models import FundingCall
from .services import published

State = FundingCall.State
FACETS = (
    ListFacet("state", _("Open or closed")),
    ListFacet("kind", _("Type of funding")),
    ListFacet("programme", _("Programme")),
    ListFacet("eligible_countries", _("Eligible countries")),
    ListFacet("sectoral_industries", _("Sectoral industries")),
)
# Each sort and its label on the page's menu.
SORTS = {
    "closing": _("Open first, closing soonest"), "newest": _("Newest"),
    "budget": _("Largest budget"),
}  # fmt: skip
CallQuery = query_model("CallQuery", FACETS, SORTS)
_STATE_ORDER = {State.OPEN: 0, State.UPCOMING: 1, State.CLOSED: 2}


def _terms(rows) -> dict[int, list[tuple[str, str]]]:
    """{call: [(slug, label)]} of the rows' sectors, in one query."""
    through = FundingCall.terms.through.objects.filter(fundingcall__in=rows.values("pk"))
    found = defaultdict(list)
    for pk, slug, label in through.values_list("fundingcall_id", "term__slug", "term__label"):
        found[pk].append((slug, label))
    return found


def _entry(call: FundingCall, today, terms: list, labels: dict) -> Entry:
    state = call.state(today)
    values = {
        "state": [(state, labels[state])],
        "kind": [(call.kind, labels[call.kind])],
        "programme": [(call.programme, call.programme)],
        "eligible_countries": [(c, country_name(c)) for c in call.eligible_countries],
        "sectoral_industries": terms,
    }
    text = " ".join(
        [call.identifier, call.programme, call.title, call.summary]
        + [label for pairs in values.values() for _value, label in pairs]
    )
    return Entry(call.pk, text, values)


def _order(sort: str, today):
    if sort == "newest":
        return lambda c: (-c.published_at.timestamp(), -c.pk)
    if sort == "budget":
        return lambda c: (c.budget_eur is None, -(c.budget_eur or 0), c.pk)

    def closing(c: FundingCall):
        state = c.state(today)
        if state == State.CLOSED:  # the most recently closed first, after the others
            return (2, -c.closes_on.toordinal(), c.pk)
        moment = c.closes_on if state == State.OPEN else c.opens_on
        return (_STATE_ORDER[state], moment is None, moment.toordinal() if moment else 0, c.pk)

    return closing


def _listed():
    return FundingCall.objects.filter(status=FundingCall.Status.PUBLISHED)


def _build(rows) -> list[Entry]:
    today = timezone.localdate()
    terms = _terms(rows)
    labels = {v: str(label) for v, label in [*State.choices, *FundingCall.Kind.choices]}
    orders = {sort: _order(sort, today) for sort in SORTS}
    entries = []
    for call in rows:
        entry = _entry(call, today, terms.get(call.pk, []), labels)
        entry.keys = {sort: order(call) for sort, order in orders.items()}
        entries.append(entry)
    return entries


_cache = EntryCache(FundingCall, _listed, _build)


def selection(query) -> list[int]:
    """Every item the query selects, in the list's order (a page's download)."""
    return _cache.selection(query, FACETS)


def search(query, published_after=None) -> ListResult:
    """The published calls the query selects (those published after a moment, for
    alerts)."""
    return _cache.search(query, FACETS, published(), published_after)
