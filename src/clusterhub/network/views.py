from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusterhub.accounts.moderation import may_review
from clusterhub.core.http import refusals
from clusterhub.directory.services import filter_menus
from clusterhub.directory.views import query_from
from clusterhub.profiles.writing import StaleVersion

from .services import NetworkQuery, decide_match, drawing, network, pending_matches

PAGE_FILTERS = ("country", "sectoral_industries")


def network_page(request):
    query, error = query_from(request, NetworkQuery)
    result = network(query)
    filters = filter_menus(query, PAGE_FILTERS)
    central = sorted(result.nodes, key=lambda n: -n.betweenness)[:15]
    drawn = drawing(result, query.focus)
    # The same nodes for the graph library (zoom, pan, tap); the SVG is its fallback.
    graph = {"nodes": drawn["nodes"], "edges": result.edges}
    context = {"query": query, "result": result, "filters": filters, "error": error,
               "central": central, "drawing": drawn, "graph": graph}  # fmt: skip
    return render(request, "network/network.html", context, status=400 if error else 200)


def network_json(request):
    query, error = query_from(request, NetworkQuery)
    if error:
        return JsonResponse({"detail": error}, status=400)  # messages quote values: escaped
    return HttpResponse(network(query).model_dump_json(), content_type="application/json")


@login_required
def review_matches(request):
    with refusals(request):  # a 403 for others
        may_review(request.user)
    decisions = [("confirm", _("Confirm")), ("reject", _("Not this one"))]
    context = {"pending": pending_matches()[:200], "decisions": decisions}
    return render(request, "network/review.html", context)


@login_required
@require_POST
def decide(request, slug: str, position: int, decision: str):
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    with refusals(request):
        try:
            decide_match(
                request.user, slug, position - 1, decision, version, request.POST.get("profile", "")
            )
        except StaleVersion:
            messages.error(request, _("The profile changed meanwhile: look again and decide."))
        else:
            messages.success(request, _("Collaboration updated."))
    if request.POST.get("next", "") != "review":
        return redirect(reverse("profiles:detail", args=[slug]) + "#s-collaborations")
    return redirect("network:review")
