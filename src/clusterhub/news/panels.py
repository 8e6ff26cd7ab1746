"""The news section of a profile page (profiles.page.register_activity)."""

from django.utils.translation import gettext as _

from clusterhub.accounts.permissions import may_edit
from clusterhub.profiles.page import Panel

from .services import of_organisation


def organisation_news(request, org) -> Panel | None:
    editor = may_edit(request.user, org)
    rows = list(of_organisation(request.user, org, published_only=not editor)[:10])
    if not rows and not editor:
        return None
    return Panel(
        "news/_panel.html", {"news": rows, "editor": editor, "org": org},
        title=_("News and events"), anchor="s-news",
    )  # fmt: skip
