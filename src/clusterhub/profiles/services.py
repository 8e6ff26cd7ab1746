"""Reading profiles for pages and the API; re-saving after edits made outside documents."""

from django.http import Http404

from .document import save_documents, to_document, to_documents
from .models import ClusterOrganisation
from .schema import ProfileDoc


def get_profile(slug: str) -> tuple[ClusterOrganisation, ProfileDoc]:
    """The organisation and its canonical document; Http404 when there is none."""
    try:
        org = ClusterOrganisation.objects.get(slug=slug)
    except ClusterOrganisation.DoesNotExist:
        raise Http404(f"No cluster organisation {slug!r}") from None
    return org, to_document(org)


def resave(ids: list[int]) -> None:
    """Write these profiles again through the one mapping, after row-level edits (admin),
    so that everything kept beside them (search index, directory version) follows."""
    save_documents(list(to_documents(ids)), recorded=True)  # the admin records it
