from django import template

from clusterhub.accounts.services import may_edit
from clusterhub.profiles.models import ClusterOrganisation, Status

from ..services import HEIGHT, WIDTH, neighbourhood

register = template.Library()


@register.inclusion_tag("network/_collaborations.html", takes_context=True)
def collaborations(context, org, doc: dict):
    """A profile's collaborations: links to the profiles they name, the decisions its
    owners and moderators can take, who names it, and its neighbourhood graph."""
    entries = doc["collaborating_clusters"]
    named = {s for c in entries for s in (c["profile"], c["candidate"]) if s}
    public = dict(
        ClusterOrganisation.objects.filter(slug__in=named, status=Status.PUBLISHED).values_list(
            "slug", "name"
        )
    )
    named_by = (
        ClusterOrganisation.objects.filter(
            collaborating_clusters__profile=org,
            collaborating_clusters__match_status__in=("linked", "confirmed"),
            status=Status.PUBLISHED,
        )
        .exclude(pk=org.pk)
        .distinct()
        .order_by("name")
    )
    user = context.get("user")
    return {
        "org": org,
        "entries": entries,
        "public": public,
        "named_by": list(named_by.values_list("slug", "name")),
        "decides": bool(user) and may_edit(user, org),
        "graph": neighbourhood(org.pk) if org.is_public else None,
        "width": WIDTH,
        "height": HEIGHT,
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }
