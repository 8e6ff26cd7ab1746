"""The collaborations panel of the profile page, built by the view (profiles.page)."""

from clusterhub.accounts.permissions import may_edit
from clusterhub.directory.index import get_index
from clusterhub.profiles.page import Panel

from .services import drawing, neighbourhood


def collaborations(request, org, doc) -> Panel:
    """A profile's collaborations: links to the profiles they name, the decisions its
    owners and moderators can take, who names it, and its neighbourhood graph."""
    entries = [c.model_dump() for c in doc.collaborating_clusters]
    index = get_index()
    named = {s for c in entries for s in (c["profile"], c["candidate"]) if s}
    public = {s: index.names[o] for s in named if (o := index.ordinal_of(s)) is not None}
    graph, named_by = (org.is_public and neighbourhood(org.pk)) or (None, [])
    return Panel(
        "network/_collaborations.html",
        {
            "entries": entries,
            "public": public,
            "named_by": named_by,
            "decides": may_edit(request.user, org),
            "drawing": drawing(graph, org.slug, near=True) if graph and graph.edges else None,
        },
    )
