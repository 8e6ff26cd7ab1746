from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusterhub.accounts.forms import ReturnForm
from clusterhub.accounts.permissions import editable, is_moderator
from clusterhub.core.errors import Forbidden
from clusterhub.core.http import as_http, or_http, refusals
from clusterhub.core.validation import save_form
from clusterhub.directory.views import list_download, list_page

from . import services
from .forms import SHEET, NewsForm
from .listing import FACETS, SORTS, NewsQuery, search, selection
from .services import NewsIn


def news_list(request):
    return list_page(request, NewsQuery, search, FACETS, SORTS, "news")


def download(request, fmt: str):
    """The list's selection as a file (CSV, XLSX, JSON, JSON Lines, JSON-LD)."""
    export = partial(services.export, sheet=SHEET)  # the XLSX written for people
    return list_download(request, fmt, NewsQuery, selection, export, "news")


def detail(request, pk: int):
    item = or_http(services.viewable, request.user, pk)
    context = {
        "item": item,
        "may_edit": services.may_edit(request.user, item),
        "is_moderator": is_moderator(request.user),
        "return_form": ReturnForm(),
    }
    return render(request, "news/detail.html", context)


@login_required
def new(request, slug: str):
    with refusals(request):
        org = editable(request.user, slug, _("post its news"))
    form = NewsForm(request.POST or None)
    if request.method == "POST":
        saved = save_form(request, form, NewsIn, lambda d: services.post(request.user, slug, d))
        if saved:
            messages.success(
                request,
                _("Published.")
                if saved.is_public
                else _("Sent to a moderator; it shows once published."),
            )
            return redirect(saved)
    return render(request, "news/edit.html", {"form": form, "org": org, "item": None})


@login_required
def edit(request, pk: int):
    item = or_http(services.viewable, request.user, pk)
    if not services.may_edit(request.user, item):
        as_http(Forbidden(_("only its owners and moderators may edit it")))
    form = NewsForm(request.POST or None, initial=services.as_input(item).model_dump())
    if request.method == "POST":
        version = int(request.POST.get("version") or 0) or None
        saved = save_form(
            request, form, NewsIn, lambda d: services.update(request.user, pk, d, version)
        )
        if saved:
            messages.success(request, _("Saved."))
            return redirect(saved)
    return render(request, "news/edit.html", {"form": form, "org": item.organisation, "item": item})


@login_required
@require_POST
def decide(request, pk: int, action: str):
    if action not in services.ACTIONS:
        raise Http404(action)
    with refusals(request) as outcome:
        item = services.decide(request.user, pk, action, request.POST.get("note", ""))
    if not outcome.failed:
        messages.success(request, _("Now: %(status)s.") % {"status": item.get_status_display()})
    return redirect("news:detail", pk)


@login_required
@require_POST
def delete(request, pk: int):
    item = or_http(services.viewable, request.user, pk)
    with refusals(request) as outcome:
        services.delete(request.user, pk)
    if outcome.failed:
        return redirect("news:detail", pk)
    messages.success(request, _("Deleted."))
    return redirect(item.organisation.get_absolute_url())


@login_required
def review(request):
    with refusals(request):
        waiting = list(services.waiting_for_review(request.user))
    return render(request, "news/review.html", {"waiting": waiting})
