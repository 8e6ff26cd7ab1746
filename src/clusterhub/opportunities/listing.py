"""The list of published opportunities: words, facets with counts, sort and pages —
the directory's query model and result shapes (directory.listing)."""

from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from clusterhub.core.places import country_name
from clusterhub.directory.listing import (
    Entry,
    EntryCache,
    ListFacet,
    ListResult,
    query_model,
)

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


_FIELDS = ("pk", "kind", "title", "summary", "details", "call", "target_countries",
           "published_at", "deadline", "expires_on", "organisation__name", "organisation__country")  # fmt: skip


def _terms(rows) -> dict[int, list[tuple[str, str, str]]]:
    """{opportunity: [(vocabulary, slug, label)]} of the rows, in one query."""
    through = Opportunity.terms.through.objects.filter(opportunity__in=rows.values("pk"))
    found = defaultdict(list)
    for pk, *term in through.values_list(
        "opportunity_id", "term__vocabulary", "term__slug", "term__label"
    ):
        found[pk].append(tuple(term))
    return found


# How each sort orders the rows (dicts of _FIELDS), the newest published first on ties.
_ORDER = {
    "newest": lambda r: (-r["published_at"].timestamp(), -r["pk"]),
    "deadline": lambda r: (r["deadline"] is None, r["deadline"] or r["expires_on"], -r["pk"]),
    "expiry": lambda r: (r["expires_on"], -r["pk"]),
}


def _listed():
    return Opportunity.objects.filter(status=Opportunity.Status.PUBLISHED)


def _build(rows) -> list[Entry]:
    """The entries of these opportunities, from plain rows (no model instances: 5,000
    in 0.3 s rather than 2 s)."""
    terms = _terms(rows)
    kinds = {value: str(label) for value, label in Opportunity.Kind.choices}
    entries = []
    for row in rows.values(*_FIELDS):
        country = row["organisation__country"]
        values = {
            "kind": [(row["kind"], kinds[row["kind"]])],
            "target_countries": [(c, country_name(c)) for c in row["target_countries"]],
            "country": [(country, country_name(country))] if country else [],
            "sectoral_industries": [],
            "technology_fields": [],
        }
        for vocabulary, slug, label in terms.get(row["pk"], ()):
            values[vocabulary].append((slug, label))
        text = " ".join(
            [row[k] for k in ("title", "summary", "details", "call", "organisation__name")]
            + [label for pairs in values.values() for _value, label in pairs]
        )
        keys = {sort: order(row) for sort, order in _ORDER.items()}
        entries.append(Entry(row["pk"], text, values, keys))
    return entries


_cache = EntryCache(Opportunity, _listed, _build)


def search(query, published_after=None) -> ListResult:
    """The published opportunities the query selects (those published after a moment,
    for alerts)."""
    return _cache.search(
        query,
        FACETS,
        Opportunity.objects.select_related("organisation").prefetch_related("terms"),
        published_after,
    )
