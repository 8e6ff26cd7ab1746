"""The site's navigation, for the header of every page (a context processor)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .permissions import is_moderator

SECTIONS = [
    ("directory:list", _("Clusters")),
    ("opportunities:list", _("Opportunities")),
    ("calls:list", _("Funding calls")),
    ("events:list", _("Events")),
    ("news:list", _("News")),
    ("statistics:map", _("Map")),
    ("network:page", _("Network")),
    ("statistics:page", _("Statistics")),
]


def site_navigation(request) -> dict:
    """The header's sections, the one the page belongs to marked as current."""
    path = getattr(request, "path", "")
    sections = []
    for name, label in SECTIONS:
        url = reverse(name)
        sections.append({"url": url, "label": label, "current": path.startswith(url)})
    user = getattr(request, "user", None)
    return {"site_sections": sections, "user_is_moderator": bool(user and is_moderator(user))}
