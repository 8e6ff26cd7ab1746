from django.http import Http404
from django.shortcuts import render
from pydantic import ValidationError

from clusterhub.directory.services import filter_menus
from clusterhub.profiles.schema import format_validation_error

from .query import INTENTS, PartnerQuery
from .services import NotRecommendable, recommend

# The filters the page offers; the API and the CLI take every directory filter.
PAGE_FILTERS = ("country", "sectoral_industries", "cluster_excellence_label", "programmes")


def partner_page(request, slug: str):
    status, error = 200, None
    pairs = [(k, v) for k, values in request.GET.lists() for v in values]
    try:
        query = PartnerQuery.from_pairs(pairs, ignore_unknown=True)
    except ValidationError as exc:
        status, error = 400, format_validation_error(exc)
        query = PartnerQuery()
    try:
        result = recommend(slug, query)
    except NotRecommendable:
        raise Http404("No published profile with this address") from None
    filters = filter_menus(query, PAGE_FILTERS)
    context = {"query": query, "result": result, "intents": INTENTS, "filters": filters,
               "error": error}  # fmt: skip
    return render(request, "matching/partners.html", context, status=status)
