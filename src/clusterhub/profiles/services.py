"""Reading profiles for pages and the API."""

from django.http import Http404

from .document import to_document
from .models import ClusterOrganisation
from .schema import ProfileDoc


def get_profile(slug: str) -> tuple[ClusterOrganisation, ProfileDoc]:
    """The organisation and its canonical document; Http404 when there is none."""
    try:
        org = ClusterOrganisation.objects.get(slug=slug)
    except ClusterOrganisation.DoesNotExist:
        raise Http404(f"No cluster organisation {slug!r}") from None
    return org, to_document(org)
