"""The opportunities section of a profile page (profiles.page.register_activity)."""

from django.utils.translation import gettext as _

from clusterhub.profiles.page import Panel

from .services import may_edit_org, of_organisation


def open_opportunities(request, org) -> Panel | None:
    editor = may_edit_org(request.user, org)
    rows = list(of_organisation(request.user, org, open_only=not editor))
    if not rows and not editor:
        return None
    return Panel(
        "opportunities/_panel.html", {"opportunities": rows, "editor": editor, "org": org},
        title=_("Partnership opportunities"), anchor="s-opportunities",
    )  # fmt: skip
