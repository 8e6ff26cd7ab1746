"""The directory listing: organisations by name with country and sectoral industries."""

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch

from clusterhub.profiles.models import ClusterOrganisation, ProfileTerm

PAGE_SIZE = 50


def list_page(number: int | str | None) -> Page:
    sectors = Prefetch(
        "profile_terms",
        queryset=ProfileTerm.objects.filter(term__vocabulary="sectoral_industries").select_related(
            "term"
        ),
        to_attr="sectors",
    )
    organisations = ClusterOrganisation.objects.only(
        "name", "slug", "country", "synthetic"
    ).prefetch_related(sectors)
    return Paginator(organisations.order_by("name", "pk"), PAGE_SIZE).get_page(number)
