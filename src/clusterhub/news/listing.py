"""Everyone's published news and events: the directory's query model (directory.listing)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from clusterhub.core.places import country_name
from clusterhub.directory.listing import Entry, ListFacet, faceted, query_model
from clusterhub.directory.query import Facet

from .models import NewsItem
from .services import published

FACETS = (ListFacet("kind", _("News or event")), ListFacet("country", _("Country of the cluster")))
SORTS = ("newest", "published")
NewsQuery = query_model("NewsQuery", FACETS, SORTS)
_ORDER = {"newest": ("-date", "-id"), "published": ("-published_at", "-id")}


def _entry(item: NewsItem) -> Entry:
    org = item.organisation
    values = {
        "kind": [(item.kind, str(item.get_kind_display()))],
        "country": [(org.country, country_name(org.country))] if org.country else [],
    }
    return Entry(item, " ".join([item.title, item.text, org.name]), values)


@dataclass
class NewsResult:
    total: int
    items: list[NewsItem]
    facets: dict[str, Facet]


def search(query, published_after=None) -> NewsResult:
    rows = published()
    if published_after is not None:
        rows = rows.filter(published_at__gt=published_after)
    found, facets = faceted((_entry(i) for i in rows.order_by(*_ORDER[query.sort])), query, FACETS)
    start = (query.page - 1) * query.page_size
    return NewsResult(len(found), [e.item for e in found[start : start + query.page_size]], facets)
