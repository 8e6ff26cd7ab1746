"""The list of published opportunities: words, facets with counts, sort and pages —
the directory's query model and result shapes (directory.listing)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from clusterhub.core.places import country_name
from clusterhub.directory.listing import Entry, ListFacet, faceted, query_model
from clusterhub.directory.query import Facet

from .models import Opportunity

FACETS = (
    ListFacet("kind", _("Type")),
    ListFacet("sectoral_industries", _("Sectoral industries")),
    ListFacet("technology_fields", _("Technology fields")),
    ListFacet("target_countries", _("Target countries")),
    ListFacet("country", _("Country of the cluster")),
)
SORTS = ("newest", "deadline", "expiry")
OpportunityQuery = query_model("OpportunityQuery", FACETS, SORTS)


def _entry(opportunity: Opportunity) -> Entry:
    org = opportunity.organisation
    terms = list(opportunity.terms.all())
    values = {
        "kind": [(opportunity.kind, str(opportunity.get_kind_display()))],
        "target_countries": [(c, country_name(c)) for c in opportunity.target_countries],
        "country": [(org.country, country_name(org.country))] if org.country else [],
    }
    for key in ("sectoral_industries", "technology_fields"):
        values[key] = [(t.slug, t.label) for t in terms if t.vocabulary == key]
    text = " ".join(
        [opportunity.title, opportunity.summary, opportunity.details, opportunity.call, org.name]
        + [label for pairs in values.values() for _value, label in pairs]
    )
    return Entry(opportunity, text, values)


_ORDER = {
    "newest": ("-published_at", "-id"),
    "deadline": ("deadline", "expires_on", "-id"),
    "expiry": ("expires_on", "-id"),
}


@dataclass
class OpportunityResult:
    total: int
    items: list[Opportunity]
    facets: dict[str, Facet]


def search(query, published_after=None) -> OpportunityResult:
    """The published opportunities the query selects (those published after a moment,
    for alerts)."""
    rows = Opportunity.objects.filter(status=Opportunity.Status.PUBLISHED)
    if published_after is not None:
        rows = rows.filter(published_at__gt=published_after)
    rows = (
        rows.select_related("organisation").prefetch_related("terms").order_by(*_ORDER[query.sort])
    )
    if query.sort == "deadline":  # no deadline: after those with one
        rows = sorted(rows, key=lambda o: (o.deadline is None, o.deadline or o.expires_on))
    found, facets = faceted((_entry(o) for o in rows), query, FACETS)
    start = (query.page - 1) * query.page_size
    items = [e.item for e in found[start : start + query.page_size]]
    return OpportunityResult(len(found), items, facets)
