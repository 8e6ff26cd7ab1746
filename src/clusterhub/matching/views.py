from django.shortcuts import render

from clusterhub.accounts.permissions import viewable
from clusterhub.core.http import refusals
from clusterhub.directory.services import filter_menus
from clusterhub.directory.views import query_from
from clusterhub.opportunities.listing import fitting

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
