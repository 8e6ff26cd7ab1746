"""Atom feed of one profile's published news (Django's syndication framework)."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from clusterhub.accounts.permissions import viewable
from clusterhub.core.errors import DomainError

from .services import of_organisation


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
