"""Everyone's published news and events: the directory's query model (directory.listing)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from clusterhub.core.places import country_name
from clusterhub.directory.listing import (
    Entry,
    EntryCache,
    ListFacet,
    faceted,
    in_order,
    query_model,
)
from clusterhub.directory.query import Facet

from .models import NewsItem
from .services import published

FACETS = (ListFacet("kind", _("News or event")), ListFacet("country", _("Country of the cluster")))
SORTS = ("newest", "published")
NewsQuery = query_model("NewsQuery", FACETS, SORTS)


def _entry(item: NewsItem) -> Entry:
    org = item.organisation
    values = {
        "kind": [(item.kind, str(NewsItem.Kind(item.kind).label))],
        "country": [(org.country, country_name(org.country))] if org.country else [],
    }
    return Entry(item.pk, " ".join([item.title, item.text, org.name]), values)


@dataclass
class NewsResult:
    total: int
    items: list[NewsItem]
    facets: dict[str, Facet]


def _build(rows) -> list[Entry]:
    entries = []
    for item in rows:
        entry = _entry(item)
        entry.keys = {
            "newest": (-item.date.toordinal(), -item.pk),
            "published": (-item.published_at.timestamp(), -item.pk),
        }
        entries.append(entry)
    return entries


_cache = EntryCache(NewsItem, published, _build)


def search(query, published_after=None) -> NewsResult:
    entries = (
        _cache.index()
        if published_after is None
        else _build(published().filter(published_at__gt=published_after))
    )
    found, facets = faceted(entries, query, FACETS)
    start = (query.page - 1) * query.page_size
    items = in_order(published(), [e.item for e in found[start : start + query.page_size]])
    return NewsResult(len(found), items, facets)
