"""Atom feeds (Django's syndication framework): the news list's selection, and one
profile's published news."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import ValidationError

from clusterhub.accounts.permissions import viewable
from clusterhub.core.errors import DomainError

from .listing import NewsQuery, search
from .services import of_organisation


class NewsListFeed(Feed):
    """The newest published news of the list's selection (its query string)."""

    feed_type = Atom1Feed
    title = gettext_lazy("News and events from clusters")

    def get_object(self, request):
        pairs = [(k, v) for k, values in request.GET.lists() for v in values]
        try:
            query = NewsQuery.from_pairs(pairs, ignore_unknown=True)
        except ValidationError as exc:
            raise Http404(str(exc)) from exc
        return query.model_copy(update={"sort": "published", "page": 1, "page_size": 50})

    def link(self, query):
        return reverse("news:list")

    def items(self, query):
        return search(query).items

    def item_title(self, item):
        return f"{item.organisation.name}: {item.title}"

    def item_description(self, item):
        return item.text

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at


class ProfileNewsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug: str):
        try:
            return viewable(request.user, slug)
        except DomainError as exc:
            raise Http404(str(exc)) from exc

    def title(self, org):
        return _("News of %(name)s") % {"name": org.name}

    def link(self, org):
        return org.get_absolute_url()

    def items(self, org):
        return of_organisation(None, org).order_by("-published_at")[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.text

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at
