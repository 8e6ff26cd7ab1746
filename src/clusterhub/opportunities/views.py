from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusterhub.accounts.forms import ReturnForm
from clusterhub.accounts.permissions import editable, is_moderator
from clusterhub.core.http import as_http, or_http, refusals
from clusterhub.core.validation import save_form
from clusterhub.directory.views import list_download, list_page

from . import services
from .forms import SHEET, InterestForm, OpportunityForm
from .listing import FACETS, SORTS, OpportunityQuery, search, selection
from .services import OpportunityIn


def opportunity_list(request):
    return list_page(request, OpportunityQuery, search, FACETS, SORTS, "opportunities")


def download(request, fmt: str):
    """The list's selection as a file (CSV, XLSX, JSON, JSON Lines, JSON-LD)."""
    export = partial(services.export, sheet=SHEET)  # the XLSX written for people
    return list_download(request, fmt, OpportunityQuery, selection, export, "opportunities")


def detail(request, pk: int):
    opportunity = or_http(services.viewable, request.user, pk)
    context = {
        "opportunity": opportunity,
        "terms": list(opportunity.terms.all()),
        "may_edit": services.may_edit(request.user, opportunity),
        "is_moderator": is_moderator(request.user),
        "following": services.follows(request.user, opportunity),
        "actions": services.available_actions(request.user, opportunity),
        "return_form": ReturnForm(),
    }
    return render(request, "opportunities/detail.html", context)


@login_required
def new(request, slug: str):
    with refusals(request):
        org = editable(request.user, slug, _("post its opportunities"))
    form = OpportunityForm(request.POST or None)
    if request.method == "POST":
        saved = save_form(
            request, form, OpportunityIn, lambda data: services.create(request.user, slug, data)
        )
        if saved:
            messages.success(request, _("Saved as a draft. Submit it for review when it is ready."))
            return redirect(saved)
    return render(
        request, "opportunities/edit.html", {"form": form, "org": org, "opportunity": None}
    )


@login_required
def edit(request, pk: int):
    opportunity = or_http(services.viewable, request.user, pk)
    if not services.may_edit(request.user, opportunity):
        as_http(services.Forbidden(_("only its owners and moderators may edit it")))
    initial = services.as_input(opportunity).model_dump()
    form = OpportunityForm(request.POST or None, initial=initial)
    if request.method == "POST":
        version = int(request.POST.get("version") or 0) or None
        saved = save_form(
            request, form, OpportunityIn, lambda d: services.update(request.user, pk, d, version)
        )
        if saved:
            messages.success(request, _("Saved."))
            return redirect(saved)
    context = {"form": form, "org": opportunity.organisation, "opportunity": opportunity}
    return render(request, "opportunities/edit.html", context)


@login_required
@require_POST
def change_status(request, pk: int, action: str):
    if action not in services.TRANSITIONS:
        raise Http404(action)
    with refusals(request) as outcome:
        opportunity = services.change_status(request.user, pk, action, request.POST.get("note", ""))
    if not outcome.failed:
        messages.success(
            request, _("Now: %(status)s.") % {"status": opportunity.get_status_display()}
        )
    return redirect("opportunities:detail", pk)


@login_required
@require_POST
def follow(request, pk: int):
    on = request.POST.get("on") == "1"
    with refusals(request):
        services.follow(request.user, pk, on)
    messages.success(
        request, _("You will be told when it changes.") if on else _("You no longer follow it.")
    )
    return redirect("opportunities:detail", pk)


@login_required
def interest(request, pk: int):
    opportunity = or_http(services.viewable, request.user, pk)
    form = InterestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            conversation = services.express_interest(request.user, pk, **form.cleaned_data)
        if not outcome.failed:
            messages.success(request, _("Your interest was sent to its owners."))
            return redirect("messaging:thread", conversation.pk)
    return render(
        request, "opportunities/interest.html", {"opportunity": opportunity, "form": form}
    )


@login_required
def review(request):
    with refusals(request):
        waiting = list(services.waiting_for_review(request.user))
    return render(request, "opportunities/review.html", {"waiting": waiting})
