"""The collaboration network: who works with whom, as a graph of published profiles.

An edge joins two profiles when either names the other under "Which clusters do you
collaborate with?" and the entry is linked (automatically or by a person). Degree and
betweenness come from networkx; positions from its spring layout, drawn as SVG by the
templates, so the graph needs no script to show (script only highlights neighbours).
"""

import math
import threading
from collections import Counter, OrderedDict
from typing import Annotated

import networkx as nx
import numpy as np
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pydantic import BaseModel, Field

from clusterhub.accounts.models import Revision
from clusterhub.accounts.permissions import editable
from clusterhub.core.errors import Invalid, NotFound
from clusterhub.core.places import country_name
from clusterhub.directory.index import changes_since, get_index
from clusterhub.directory.query import DirectoryFilters
from clusterhub.directory.services import select
from clusterhub.profiles.choices import LINKED, MatchStatus, Status
from clusterhub.profiles.document import to_document
from clusterhub.profiles.models import ClusterOrganisation as Organisation
from clusterhub.profiles.models import CollaboratingCluster
from clusterhub.profiles.writing import head_document, save_profiles

Action = Revision.Action

# Betweenness: exact up to this many nodes; above, estimated from paths from this many
# sampled nodes, among this many best connected nodes.
EXACT_BETWEENNESS_MAX = 500
BETWEENNESS_SAMPLES = 100
BETWEENNESS_NODES = 2000
WIDTH, HEIGHT = 1000, 700
# A profile's neighbourhood is drawn smaller, so that its few names stay readable.
NEAR_WIDTH, NEAR_HEIGHT = 760, 360
COLOURS = 8  # countries coloured apart; more colours are not told apart at a glance
LABELLED = 12  # the most central nodes named on the drawing
LABEL_ROOM = 190  # beside a node on the neighbourhood's sides, for its name


class NetworkQuery(DirectoryFilters):
    """The directory's filters (country, sector, …) select the nodes; the graph shows
    the collaborations among them."""

    limit: Annotated[int, Field(ge=1, le=2000)] = 300
    focus: Annotated[str, Field(max_length=200)] = ""


class Node(BaseModel):
    slug: str
    name: str
    country: str | None
    degree: int
    betweenness: float
    x: float
    y: float
    neighbours: list[str] = Field(description="Slugs of the nodes it is joined to, shown")
    in_selection: bool = Field(
        True, description="Meets the filters (false: a partner of one that does)"
    )
    synthetic: bool = Field(False, description="A made-up demo profile, not a real cluster")


class NetworkResult(BaseModel):
    nodes: list[Node]
    edges: list[tuple[str, str]]
    total_nodes: int = Field(
        description="Profiles meeting the filters with a collaboration, and their partners"
    )
    total_edges: int
    truncated: bool = Field(description="Only the `limit` best connected nodes are shown")
    approximate: bool = Field(
        description="The graph has more than 500 nodes: betweenness is estimated from the "
        "paths from 100 sampled nodes, among the 2,000 best connected"
    )


def drawing(result: NetworkResult, focus: str = "", near: bool = False) -> dict:
    """What the SVG template draws: plain values, links and sizes worked out here (a
    template looking up model attributes and reversing URLs node by node cost more than
    the rest of a profile page)."""
    url = reverse("profiles:detail", args=["-"])[:-2]
    at = {n.slug: (n.x, n.y) for n in result.nodes}
    # The countries with most nodes have a colour each (a legend names them), the rest one.
    counts = Counter(n.country for n in result.nodes if n.country)
    colour = {c: i + 1 for i, (c, _n) in enumerate(counts.most_common(COLOURS))}
    named = {
        n.slug for n in sorted(result.nodes, key=lambda n: (-n.betweenness, -n.degree))[:LABELLED]
    }
    nodes = [
        {
            "slug": n.slug, "name": n.name, "x": n.x, "y": n.y, "url": f"{url}{n.slug}/",
            "focus": n.slug == focus, "neighbours": " ".join(n.neighbours),
            "radius": 9 if n.slug == focus else 7 if n.degree > 6 else 5 if n.degree > 3 else 4,
            "title": _title(n), "colour": colour.get(n.country, 0), "outside": not n.in_selection,
            "labelled": n.slug in named,
        }
        for n in result.nodes
    ]  # fmt: skip
    legend = [(country_name(c), i) for c, i in colour.items()]
    if len(counts) > len(colour):
        legend.append((_("Other countries"), 0))
    lines = [(*at[a], *at[b]) for a, b in result.edges]
    width, height = (NEAR_WIDTH, NEAR_HEIGHT) if near else (WIDTH, HEIGHT)
    for node in nodes:  # names left of the nodes on the left, right of the others
        node["side"] = (
            "below"
            if node["focus"] and near
            else ("left" if node["x"] < width / 2 - 1 else "right")
        )
    return {"nodes": nodes, "lines": lines, "width": width, "height": height, "legend": legend}


def _title(n: Node) -> str:
    where = f" ({n.country})" if n.country else ""
    count = ngettext("%(n)s collaboration", "%(n)s collaborations", n.degree) % {"n": n.degree}
    text = f"{n.name}{where}: {count}"
    if n.synthetic:
        text += " · " + _("synthetic demo profile")
    if n.betweenness:
        text += ", " + _("betweenness %(value).3f") % {"value": n.betweenness}
    return text


def edges(using: str = "default", organisations: list[int] | None = None) -> np.ndarray:
    """Organisation id pairs (n × 2) of the linked collaborations, of all organisations
    or of those named (`listed_pairs` keeps those between profiles the directory's index
    lists: the published ones)."""
    rows = CollaboratingCluster.objects.using(using).filter(match_status__in=LINKED)
    if organisations is not None:
        rows = rows.filter(organisation_id__in=organisations)
    found = list(rows.exclude(profile=None).values_list("organisation_id", "profile_id"))
    return np.array(found, dtype=np.int64).reshape(-1, 2)


# The linked pairs, by database alias, as of a write of the directory's change log (its
# seq and version): read whole once, then brought up to date with the collaborations of
# the organisations each write changed — the write path logs every organisation whose
# entries it changes, those re-resolved because they name a profile it wrote included.
# Read whole after every write, they cost a second at 1,000,000 profiles.
_pairs: dict[str, tuple[int, int, np.ndarray]] = {}
_pairs_lock = threading.Lock()
PAIRS_CHANGES_MAX = 20_000  # organisations changed since: past this, read whole again


def _id_pairs(index, using: str) -> np.ndarray:
    """The linked id pairs, at least as of the write the index was made at."""
    with _pairs_lock:
        kept = _pairs.get(using)
    state = (index.seq, index.version)
    if kept is not None and kept[:2] == state:
        return kept[2]
    found = None
    if kept is not None:
        found = changes_since(using, kept[:2], PAIRS_CHANGES_MAX)
    if found is None:
        pairs = edges(using)  # may hold later writes too: applied again, to the same
    else:
        changed, seq, version = found
        ids = sorted(changed)
        unchanged = kept[2][~np.isin(kept[2][:, 0], np.array(ids, dtype=np.int64))]
        pairs, state = np.concatenate((unchanged, edges(using, ids))), (seq, version)
    with _pairs_lock:
        _pairs[using] = (*state, pairs)
    return pairs


def linked_ordinals(index, using: str = "default") -> tuple[np.ndarray, np.ndarray]:
    """The ordinal pairs of the linked collaborations between profiles the index lists
    (made once per index)."""
    return index.derived("linked_ordinals", lambda ix: listed_pairs(ix, _id_pairs(ix, using)))


def _layout(graph: nx.Graph, seed: int = 1) -> dict:
    if not graph:
        return {}
    positions = nx.spring_layout(graph, seed=seed, iterations=60)
    xy = np.array(list(positions.values())).reshape(-1, 2)
    low, high = xy.min(axis=0), xy.max(axis=0)
    span = np.where(high - low > 0, high - low, 1)
    margin = 40
    scaled = (xy - low) / span * [WIDTH - 2 * margin, HEIGHT - 2 * margin] + margin
    return {node: tuple(map(float, p)) for node, p in zip(positions, scaled, strict=True)}


def _result(index, graph: nx.Graph, shown: list, approximate: bool, betweenness: dict,
            positions: dict | None = None, selected=None) -> NetworkResult:  # fmt: skip
    degree = graph.degree
    sub = graph.subgraph(shown)
    positions = positions or _layout(sub)
    slug = {o: index.slugs[o] for o in shown}
    nodes = [
        Node(
            slug=slug[o], name=index.names[o], country=index.countries[o], degree=degree[o],
            betweenness=round(betweenness.get(o, 0.0), 5), x=round(positions[o][0], 1),
            y=round(positions[o][1], 1), neighbours=[slug[n] for n in sub.neighbors(o)],
            in_selection=True if selected is None else bool(selected[o]),
            synthetic=bool(index.synthetic[o]),
        )
        for o in shown
    ]  # fmt: skip
    return NetworkResult(
        nodes=nodes,
        edges=[(slug[a], slug[b]) for a, b in sub.edges()],
        total_nodes=graph.number_of_nodes(),
        total_edges=graph.number_of_edges(),
        truncated=len(shown) < graph.number_of_nodes(),
        approximate=approximate,
    )


_metrics: OrderedDict = OrderedDict()
_metrics_lock = threading.Lock()


def _betweenness(key, graph: nx.Graph, ranked: list) -> tuple[dict, bool]:
    """Betweenness, kept per directory version and filter, and whether it is estimated.
    Exact up to EXACT_BETWEENNESS_MAX nodes; above, estimated from sampled paths among
    the BETWEENNESS_NODES first of `ranked` (the best connected): exact on 2,000 nodes
    took 10 s, and even the estimate on the whole graph of 100,000 profiles took
    minutes."""
    with _metrics_lock:
        if key in _metrics:
            return _metrics[key]
    estimated = graph.number_of_nodes() > EXACT_BETWEENNESS_MAX
    if estimated:
        graph = graph.subgraph(ranked[:BETWEENNESS_NODES])
    samples = min(BETWEENNESS_SAMPLES, graph.number_of_nodes()) if estimated else None
    value = (nx.betweenness_centrality(graph, k=samples, seed=1), estimated)
    with _metrics_lock:
        _metrics[key] = value
        while len(_metrics) > 32:
            _metrics.popitem(last=False)
    return value


def network(query: NetworkQuery, using: str = "default") -> NetworkResult:
    """The graph of the profiles the filters select and of their partners (a country's
    clusters with their partners abroad), its best connected nodes shown."""
    index = get_index(using)
    selected = select(query, using, index=index).final
    graph = nx.Graph()
    a, b = linked_ordinals(index, using)
    keep = selected[a] | selected[b]
    graph.add_edges_from(zip(a[keep].tolist(), b[keep].tolist(), strict=True))
    ranked = sorted(graph.nodes, key=lambda o: (-graph.degree[o], index.name_rank[o]))
    key = (index.version, repr(query.model_dump(exclude={"limit", "focus"})))
    betweenness, estimated = _betweenness(key, graph, ranked)
    return _result(index, graph, ranked[: query.limit], estimated, betweenness, selected=selected)


def listed_pairs(index, pairs) -> tuple[np.ndarray, np.ndarray]:
    """Id pairs → ordinal pairs, leaving out pairs with a profile the index does not
    list and a profile naming itself."""
    at = index.positions(np.asarray(pairs, dtype=np.int64).reshape(-1, 2))
    listed = (at >= 0).all(axis=1)
    a, b = at[listed, 0], at[listed, 1]
    return a[a != b], b[a != b]


def links_of(org_id: int, using: str = "default") -> list[tuple[int, int]]:
    """(organisation id, profile id) of the linked entries naming it or named by it."""
    linked = CollaboratingCluster.objects.using(using).filter(match_status__in=LINKED).order_by()
    # A union of two index lookups: an OR of the two columns would read the table.
    named = linked.filter(organisation_id=org_id, profile__isnull=False)
    naming = linked.filter(profile_id=org_id)
    return list(
        named.values_list("organisation_id", "profile_id").union(
            naming.values_list("organisation_id", "profile_id"), all=True
        )
    )


def partners_of(org_id: int, using: str = "default") -> set[int]:
    """Ids of the profiles this one is linked with, named by either side."""
    return {x for pair in links_of(org_id, using) for x in pair} - {org_id}


def _radial(graph: nx.Graph, centre: int, order) -> dict:
    """The centre in the middle, the others around it on an ellipse (in `order`)."""
    others = sorted((n for n in graph if n != centre), key=order)
    middle_x, middle_y = NEAR_WIDTH / 2, NEAR_HEIGHT / 2
    positions = {centre: (middle_x, middle_y)}
    for k, node in enumerate(others):
        angle = 2 * math.pi * k / max(1, len(others)) - math.pi / 2
        positions[node] = (
            middle_x + (middle_x - LABEL_ROOM) * math.cos(angle),
            middle_y + (middle_y - 30) * math.sin(angle),
        )
    return positions


def neighbourhood(org_id: int, using: str = "default") -> tuple[NetworkResult, list] | None:
    """A published profile, the profiles it collaborates with, and the links among them;
    and the slugs and names of the profiles naming it, by name."""
    index = get_index(using)
    found = index.ordinals(np.array([org_id], dtype=np.int64))
    if not len(found):
        return None
    links = links_of(org_id, using)
    naming = index.ordinals(np.array(sorted({a for a, b in links if b == org_id}), dtype=np.int64))
    named_by = [(index.slugs[o], index.names[o]) for o in sorted(naming.tolist(),
                key=lambda o: index.name_rank[o])]  # fmt: skip
    members = sorted({x for pair in links for x in pair} | {org_id})
    pairs = list(
        CollaboratingCluster.objects.using(using)
        .filter(organisation_id__in=members, profile_id__in=members, match_status__in=LINKED)
        .values_list("organisation_id", "profile_id")
    )
    a, b = listed_pairs(index, pairs)
    centre = int(found[0])
    graph = nx.Graph()
    graph.add_node(centre)
    graph.add_edges_from(zip(a.tolist(), b.tolist(), strict=True))
    positions = _radial(graph, centre, order=lambda o: index.name_rank[o])
    result = _result(index, graph, list(graph.nodes), False, {}, positions)
    return result, named_by


# Decisions of moderators and owners on an entry's resolution.
DECISIONS = ("confirm", "reject", "link")


def decide_match(user, slug: str, position: int, decision: str, base_version: int,
                 profile: str = "") -> None:  # fmt: skip
    """Confirm the candidate of entry `position`, reject it (or the automatic link), or
    link the entry to another published profile. Saved as a change of the profile,
    with its revision; only its owners and moderators may. Not an edit of its content:
    it never waits for review."""
    org = editable(user, slug, _("decide on its collaborations"))
    doc = to_document(org)  # the entries as the profile page lists them
    entries = list(doc.collaborating_clusters)
    if not 0 <= position < len(entries):
        raise NotFound(_("%(slug)s: no collaboration %(n)s") % {"slug": slug, "n": position + 1})
    entry = entries[position]
    if decision == "confirm":
        if not entry.candidate and not entry.profile:
            raise Invalid(_("%(name)s: nothing proposed to confirm") % {"name": entry.name})
        update = {"profile": entry.profile or entry.candidate, "candidate": None,
                  "match_status": MatchStatus.CONFIRMED.value}  # fmt: skip
    elif decision == "reject":
        update = {"profile": None, "candidate": entry.profile or entry.candidate,
                  "match_status": MatchStatus.REJECTED.value}  # fmt: skip
    elif decision == "link":
        if (
            profile == slug
            or not Organisation.objects.filter(slug=profile, status=Status.PUBLISHED).exists()
        ):
            raise Invalid(_("no other published profile %(slug)r") % {"slug": profile}, "profile")
        update = {"profile": profile, "candidate": None, "match_confidence": 1.0,
                  "match_status": MatchStatus.CONFIRMED.value}  # fmt: skip
    else:
        raise NotFound(_("no decision %(decision)r") % {"decision": decision}, "decision")
    entries[position] = entry.model_copy(update=update)
    doc = doc.model_copy(update={"collaborating_clusters": entries})
    note = _("%(decision)s collaboration %(name)r") % {"decision": decision, "name": entry.name}
    with transaction.atomic():
        save_profiles([doc], action=Action.EDIT, author=user, versions={slug: base_version},
                      keep_pending=True, note=note)  # fmt: skip
        # An edit waiting for review carries the same decision, and still waits.
        waiting = head_document(org)
        same = [
            c
            for c in waiting.collaborating_clusters
            if (c.name, c.location) == (entry.name, entry.location)
        ]
        if waiting != doc and same:
            decided = [
                c.model_copy(update=update) if c in same else c
                for c in waiting.collaborating_clusters
            ]
            save_profiles([waiting.model_copy(update={"collaborating_clusters": decided})],
                          action=Action.EDIT, author=user, hold=lambda change: True, note=note)  # fmt: skip


def pending_matches(using: str = "default"):
    """Entries awaiting a person's decision, for the moderators' queue."""
    return (
        CollaboratingCluster.objects.using(using)
        .filter(match_status=MatchStatus.PENDING)
        .select_related("organisation", "candidate")
        .order_by("-match_confidence", "organisation__name")
    )
