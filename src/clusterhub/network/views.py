from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from clusterhub.accounts import services as workflow
from clusterhub.directory.services import filter_menus
from clusterhub.directory.views import query_from

from .services import (
    DECISIONS,
    NetworkQuery,
    decide_match,
    drawing,
    network,
    pending_matches,
)

PAGE_FILTERS = ("country", "sectoral_industries")


def network_page(request):
    query, error = query_from(request, NetworkQuery)
    result = network(query)
    filters = filter_menus(query, PAGE_FILTERS)
    central = sorted(result.nodes, key=lambda n: -n.betweenness)[:15]
    context = {"query": query, "result": result, "filters": filters, "error": error,
               "central": central, "drawing": drawing(result, query.focus)}  # fmt: skip
    return render(request, "network/network.html", context, status=400 if error else 200)


def network_json(request):
    query, error = query_from(request, NetworkQuery)
    if error:
        return JsonResponse({"detail": error}, status=400)  # messages quote values: escaped
    return HttpResponse(network(query).model_dump_json(), content_type="application/json")


@login_required
def review_matches(request):
    if not workflow.is_moderator(request.user):
        raise PermissionDenied("for moderators only")
    decisions = [("confirm", "Confirm"), ("reject", "Not this one")]
    context = {"pending": pending_matches()[:200], "decisions": decisions}
    return render(request, "network/review.html", context)


@login_required
@require_POST
def decide(request, slug: str, position: int, decision: str):
    if decision not in DECISIONS:
        raise Http404(f"No decision {decision!r}")
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        decide_match(
            request.user, slug, position - 1, decision, version, request.POST.get("profile", "")
        )
    except workflow.Forbidden as exc:
        raise PermissionDenied(str(exc)) from None
    except workflow.NotFound as exc:
        raise Http404(str(exc)) from None
    except workflow.Conflict:
        messages.error(request, "The profile changed meanwhile: look again and decide.")
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Collaboration updated.")
    back = request.POST.get("next", "")
    if back != "review":
        return redirect(reverse("profiles:detail", args=[slug]) + "#s-collaborations")
    return redirect("network:review")
