"""The follow button of a profile page (profiles.page.register_activity)."""

from clusterhub.profiles.page import Panel

from .services import follows_profile


def follow_button(request, org) -> Panel | None:
    if not org.is_public or not request.user.is_authenticated:
        return None
    return Panel(
        "alerts/_follow.html", {"org": org, "following": follows_profile(request.user, org)}
    )
