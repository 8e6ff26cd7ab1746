from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusterhub.accounts.permissions import viewable
from clusterhub.core.http import refusals
from clusterhub.directory.services import filter_menus
from clusterhub.directory.views import query_from
from clusterhub.opportunities.listing import fitting

from . import shortlist
from .compare import MOST, compare
from .query import INTENTS, PartnerQuery
from .services import recommend

# The filters the page offers; the API and the CLI take every directory filter.
PAGE_FILTERS = ("country", "sectoral_industries", "cluster_excellence_label", "programmes")


def partner_page(request, slug: str):
    query, error = query_from(request, PartnerQuery)
    with refusals(request):  # a profile that is not published is a 404
        result = recommend(slug, query)
        org = viewable(request.user, slug)
    filters = filter_menus(query, PAGE_FILTERS)
    context = {"query": query, "result": result, "intents": INTENTS, "filters": filters,
               "error": error, "opportunities": fitting(org),
               "shortlisted": shortlist.saved_slugs(request.user)}  # fmt: skip
    return render(request, "matching/partners.html", context, status=400 if error else 200)


def compare_page(request):
    """`?c=<slug>&c=<slug>…`: two to four clusters side by side; one a reader may not
    see is a 404, as everywhere."""
    docs, rows, status = [], [], 200
    if slugs := request.GET.getlist("c"):  # none: the page says how to choose
        with refusals(request) as outcome:
            docs, rows = compare(request.user, slugs)
        if outcome.failed:
            status = 400
    return render(
        request, "matching/compare.html", {"docs": docs, "rows": rows, "most": MOST}, status=status
    )


@login_required
def shortlist_page(request):
    entries = shortlist.entries(request.user)
    return render(request, "matching/shortlist.html", {"entries": entries, "most": MOST})


def _back(request, default: str):
    """Back where the button was (the partner finder, a profile), if it is this site."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(default)


@login_required
@require_POST
def shortlist_save(request, slug: str):
    with refusals(request) as outcome:  # a cluster the user may not see: 404
        entry = shortlist.save(request.user, slug, request.POST.get("saved_for", ""))
    if not outcome.failed:
        messages.success(
            request, _("%(name)s is on your shortlist.") % {"name": entry.organisation.name}
        )
    return _back(request, "matching:shortlist")


@login_required
@require_POST
def shortlist_remove(request, slug: str):
    with refusals(request):
        shortlist.remove(request.user, slug)
    messages.success(request, _("Removed from your shortlist."))
    return _back(request, "matching:shortlist")
