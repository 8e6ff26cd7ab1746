"""Everyone's published news and events: the directory's query model (directory.listing)."""

from django.utils.translation import gettext_lazy as _

from clusterhub.core.places import country_name
from clusterhub.directory.listing import (
    Entry,
    EntryCache,
    ListFacet,
    ListResult,
    query_model,
)

from .models import NewsItem
from .services import published

FACETS = (ListFacet("kind", _("News or event")), ListFacet("country", _("Country of the cluster")))
# Each sort and its label on the page's menu.
SORTS = {"newest": _("Date"), "published": _("Recently published")}
NewsQuery = query_model("NewsQuery", FACETS, SORTS)


def _entry(item: NewsItem) -> Entry:
    org = item.organisation
    values = {
        "kind": [(item.kind, str(NewsItem.Kind(item.kind).label))],
        "country": [(org.country, country_name(org.country))] if org.country else [],
    }
    return Entry(item.pk, " ".join([item.title, item.text, org.name]), values)


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


def selection(query) -> list[int]:
    """Every item the query selects, in the list's order (a page's download)."""
    return _cache.selection(query, FACETS)


def search(query, published_after=None) -> ListResult:
    """The published news the query selects (those published after a moment, for
    alerts)."""
    return _cache.search(query, FACETS, published(), published_after)
