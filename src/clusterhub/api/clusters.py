from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema

from clusterhub.directory.query import DirectoryQuery, DirectoryResult
from clusterhub.directory.services import search
from clusterhub.profiles.schema import ProfileDoc
from clusterhub.profiles.services import get_profile

router = Router(tags=["clusters"])


class Error(Schema):
    detail: str


@router.get("", response=DirectoryResult, summary="Search the directory")
def search_clusters(request: HttpRequest, filters: Query[DirectoryQuery]):
    """Full-text search with facets. A repeated facet parameter is OR within the facet
    (`country=ES&country=PT`); different facets are AND. Values are those the facets
    list (`value`): ISO codes for countries and languages, slugs otherwise."""
    # Already validated by construction: serialise once, skip a second validation.
    return HttpResponse(search(filters).model_dump_json(), content_type="application/json")


@router.get("/{slug}", response={200: ProfileDoc, 404: Error}, summary="One cluster profile")
def get_cluster(request: HttpRequest, slug: str):
    """The canonical document of one cluster organisation."""
    _, doc = get_profile(slug)
    return doc
