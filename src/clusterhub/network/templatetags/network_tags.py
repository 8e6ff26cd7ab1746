from django import template

from clusterhub.accounts.services import may_edit
from clusterhub.directory.index import get_index

from ..services import drawing, neighbourhood

register = template.Library()


@register.inclusion_tag("network/_collaborations.html", takes_context=True)
def collaborations(context, org, doc: dict):
    """A profile's collaborations: links to the profiles they name, the decisions its
    owners and moderators can take, who names it, and its neighbourhood graph."""
    entries = doc["collaborating_clusters"]
    index = get_index()
    named = {s for c in entries for s in (c["profile"], c["candidate"]) if s}
    public = {s: index.names[o] for s in named if (o := index.ordinal_of(s)) is not None}
    graph, named_by = (org.is_public and neighbourhood(org.pk)) or (None, [])
    user = context.get("user")
    return {
        "org": org,
        "entries": entries,
        "public": public,
        "named_by": named_by,
        "decides": bool(user) and may_edit(user, org),
        "drawing": drawing(graph, org.slug, near=True) if graph and graph.edges else None,
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }
