from django.shortcuts import render

from clusterhub.accounts.permissions import viewable
from clusterhub.core.http import refusals
from clusterhub.directory.services import filter_menus
from clusterhub.directory.views import query_from
from clusterhub.opportunities.listing import fitting

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
               "error": error, "opportunities": fitting(org)}  # fmt: skip
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
