"""The list of published funding calls: the directory's query model and result shapes
(directory.listing), open calls first by closing date."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterhub.core.places import country_name
from clusterhub.directory.listing import Entry, ListFacet, faceted, query_model
from clusterhub.directory.query import Facet

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
SORTS = ("closing", "newest", "budget")
CallQuery = query_model("CallQuery", FACETS, SORTS)
_STATE_ORDER = {State.OPEN: 0, State.UPCOMING: 1, State.CLOSED: 2}


def _entry(call: FundingCall, today) -> Entry:
    state = call.state(today)
    values = {
        "state": [(state, str(State(state).label))],
        "kind": [(call.kind, str(call.get_kind_display()))],
        "programme": [(call.programme, call.programme)],
        "eligible_countries": [(c, country_name(c)) for c in call.eligible_countries],
        "sectoral_industries": [(t.slug, t.label) for t in call.terms.all()],
    }
    text = " ".join(
        [call.identifier, call.programme, call.title, call.summary]
        + [label for pairs in values.values() for _value, label in pairs]
    )
    return Entry(call, text, values)


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


@dataclass
class CallResult:
    total: int
    items: list[FundingCall]
    facets: dict[str, Facet]


def search(query, published_after=None) -> CallResult:
    """The published calls the query selects (those published after a moment, for alerts)."""
    today = timezone.localdate()
    rows = published()
    if published_after is not None:
        rows = rows.filter(published_at__gt=published_after)
    ordered = sorted(rows, key=_order(query.sort, today))
    found, facets = faceted((_entry(c, today) for c in ordered), query, FACETS)
    start = (query.page - 1) * query.page_size
    return CallResult(len(found), [e.item for e in found[start : start + query.page_size]], facets)
