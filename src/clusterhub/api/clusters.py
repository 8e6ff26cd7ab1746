from ninja import Router, Schema

from clusterhub.profiles.schema import ProfileDoc
from clusterhub.profiles.services import get_profile

router = Router(tags=["clusters"])


class Error(Schema):
    detail: str


@router.get("/{slug}", response={200: ProfileDoc, 404: Error}, summary="One cluster profile")
def get_cluster(request, slug: str):
    """The canonical document of one cluster organisation."""
    _, doc = get_profile(slug)
    return doc
