from django import template

from clusterhub.accounts.services import may_edit
from clusterhub.profiles.models import ClusterOrganisation, Status

from ..services import drawing, neighbourhood

register = template.Library()


@register.inclusion_tag("network/_collaborations.html", takes_context=True)
def collaborations(context, org, doc: dict):
    """A profile's collaborations: links to the profiles they name, the decisions its
    owners and moderators can take, who names it, and its neighbourhood graph."""
    entries = doc["collaborating_clusters"]
    named = {s for c in entries for s in (c["profile"], c["candidate"]) if s}
    # Status is tested here, not in SQL: with it there, SQLite reads through the status
    # index (every published profile) instead of the slug index.
    found = ClusterOrganisation.objects.filter(slug__in=named).values_list("slug", "name", "status")
    public = {slug: name for slug, name, status in found if status == Status.PUBLISHED}
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
    graph = neighbourhood(org.pk) if org.is_public else None
    return {
        "org": org,
        "entries": entries,
        "public": public,
        "named_by": list(named_by.values_list("slug", "name")),
        "decides": bool(user) and may_edit(user, org),
        "drawing": drawing(graph, org.slug) if graph and graph.edges else None,
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }
