from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusterhub.accounts.permissions import is_moderator
from clusterhub.core.http import as_http, or_http, refusals
from clusterhub.core.validation import save_form
from clusterhub.directory.views import list_download, list_page, query_from
from clusterhub.opportunities.services import naming_call

from . import services
from .calendar import deadlines
from .forms import SHEET, CallForm, PosterForm
from .listing import FACETS, SORTS, CallQuery, search, selection
from .services import CallIn


def call_list(request):
    return list_page(
        request, CallQuery, search, FACETS, SORTS, "calls", may_post=services.may_post(request.user)
    )


def download(request, fmt: str):
    """The list's selection as a file (CSV, XLSX, JSON, JSON Lines, JSON-LD)."""
    export = partial(services.export, sheet=SHEET)  # the XLSX written for people
    return list_download(request, fmt, CallQuery, selection, export, "funding-calls")


def deadlines_ics(request):
    """The deadlines of the calls a list's query selects (all of them, not one page)."""
    query, error = query_from(request, CallQuery)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    calls = search(query.model_copy(update={"page": 1, "page_size": 100})).items
    response = HttpResponse(
        deadlines(calls, _("Funding call deadlines")), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="call-deadlines.ics"'
    return response


def detail(request, pk: int):
    call = or_http(services.viewable, request.user, pk)
    context = {
        "call": call,
        "terms": list(call.terms.all()),
        "opportunities": list(naming_call(call)),
        "may_post": services.may_post(request.user),
    }
    return render(request, "calls/detail.html", context)


@login_required
def new(request):
    if not services.may_post(request.user):
        as_http(services.Forbidden(_("only moderators and the users they allow post calls")))
    form = CallForm(request.POST or None)
    if request.method == "POST":
        saved = save_form(request, form, CallIn, lambda d: services.create(request.user, d))
        if saved:
            messages.success(request, _("The call is published."))
            return redirect(saved)
    return render(request, "calls/edit.html", {"form": form, "call": None})


@login_required
def edit(request, pk: int):
    call = or_http(services.viewable, request.user, pk)
    if not services.may_post(request.user):
        as_http(services.Forbidden(_("only moderators and the users they allow edit calls")))
    form = CallForm(request.POST or None, initial=services.as_input(call).model_dump())
    if request.method == "POST":
        version = int(request.POST.get("version") or 0) or None
        saved = save_form(
            request, form, CallIn, lambda d: services.update(request.user, pk, d, version)
        )
        if saved:
            messages.success(request, _("Saved."))
            return redirect(saved)
    return render(request, "calls/edit.html", {"form": form, "call": call})


@login_required
@require_POST
def change_status(request, pk: int):
    with refusals(request) as outcome:
        call = services.set_status(request.user, pk, request.POST.get("status", ""))
    if not outcome.failed:
        messages.success(request, _("Now: %(status)s.") % {"status": call.get_status_display()})
    return redirect("calls:detail", pk)


@login_required
def posters(request):
    with refusals(request):
        services.posters(request.user)  # moderators only: 403 for the others
    form = PosterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        on = request.POST.get("on") != "0"
        with refusals(request, form) as outcome:
            user = services.allow_posting(request.user, form.cleaned_data["email"], on)
        if not outcome.failed:
            message = (
                _("%(email)s may post funding calls.")
                if on
                else _("%(email)s no longer posts funding calls.")
            )
            messages.success(request, message % {"email": user.email})
            return redirect("calls:posters")
    context = {
        "form": form,
        "posters": services.posters(request.user),
        "is_moderator": is_moderator(request.user),
    }
    return render(request, "calls/posters.html", context)
