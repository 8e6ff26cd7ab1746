"""The matchmaking events a cluster takes part in, on its profile page
(profiles.page.register_activity)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from clusterhub.accounts.permissions import is_moderator
from clusterhub.profiles.page import Panel

from .models import Event


def organisation_events(request, org) -> Panel | None:
    """The events `org` is registered for that the reader may see, newest first."""
    shown = ~Q(status=Event.Status.DRAFT)
    if is_moderator(request.user):
        shown = Q()
    elif request.user.is_authenticated:
        shown |= Q(organisers__user=request.user)
    events = list(
        Event.objects.filter(shown, participants__organisation=org)
        .distinct()
        .order_by("-starts_on", "-pk")[:10]
    )
    if not events:
        return None
    return Panel(
        "events/_panel.html", {"events": events}, title=_("Matchmaking events"), anchor="s-events"
    )
