"""Atom feeds (Django's syndication framework): every list page, every saved search."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from clusterhub.core.errors import DomainError

from . import services
from .models import SavedSearch

Kind = SavedSearch.Kind


class ListFeed(Feed):
    """The newest items of a list for the query string of the request."""

    feed_type = Atom1Feed
    kind: str
    title = _("Clusterhub")

    def get_object(self, request, *args, **kwargs):
        try:
            query = services.parse_query(self.kind, request.GET.urlencode())
        except DomainError as exc:
            raise Http404(str(exc)) from exc
        return {
            "kind": self.kind,
            "query": query,
            "title": None,
            "query_string": request.GET.urlencode(),
        }

    def link(self, obj):
        base = reverse(services.LISTS[obj["kind"]])
        return base + ("?" + obj["query_string"] if obj["query_string"] else "")

    def title(self, obj):  # noqa: F811 (the class attribute is the default)
        return obj["title"] or str(Kind(obj["kind"]).label)

    def subtitle(self, obj):
        return _("The newest items of this list on Clusterhub.")

    def items(self, obj):
        return services.NEWEST[obj["kind"]](obj["query"])

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.moment

    def item_updateddate(self, item):
        return item.moment


class ClustersFeed(ListFeed):
    kind = Kind.CLUSTERS


class OpportunitiesFeed(ListFeed):
    kind = Kind.OPPORTUNITIES


class CallsFeed(ListFeed):
    kind = Kind.CALLS


class SavedSearchFeed(ListFeed):
    """A saved search's feed, at an address signed for it (no sign-in needed)."""

    def get_object(self, request, token: str):
        try:
            search = services.search_of_feed_token(token)
            query = services.parse_query(search.kind, search.query)
        except DomainError as exc:
            raise Http404(str(exc)) from exc
        return {
            "kind": search.kind,
            "query": query,
            "title": search.name,
            "query_string": search.query,
        }
