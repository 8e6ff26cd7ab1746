"""/api/clusters: the directory search, one profile, and writing profiles.

Thin: each endpoint calls one service function; refusals are `DomainError`s, answered
by the handler in `main.py`.
"""

from typing import Annotated, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router, Schema, Status
from ninja.params.functions import Header as HeaderParam
from ninja.security import HttpBearer
from pydantic import Field

from clusterhub.accounts import editing, moderation, privacy
from clusterhub.accounts.models import ApiToken
from clusterhub.accounts.permissions import may_edit
from clusterhub.directory.query import FACETS, DirectoryQuery, DirectoryResult, Facet
from clusterhub.directory.services import find_facet_values, search
from clusterhub.matching.query import PartnerQuery, PartnerResult
from clusterhub.matching.services import recommend
from clusterhub.profiles.models import ClusterOrganisation
from clusterhub.profiles.schema import ProfileDoc, Slug

from .lists import etag, version_from

router = Router(tags=["clusters"])


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <key>`: a key from the account page or `clusterhub token create`."""

    def authenticate(self, request, token):
        return ApiToken.user_for(token)


class Error(Schema):
    detail: str
    field: str | None = None


class SavedProfile(Schema):
    slug: str
    version: int
    status: str
    pending: bool = False  # the edit waits for review; the published document stays public
    document: ProfileDoc


class InvalidError(Schema):
    """A refused value: the document's or the query's validation (`detail` lists each
    error with its location), or a rule of the platform (`detail` says it, `field` names
    the value)."""

    detail: str | list[dict]
    field: str | None = None


class ConflictError(Error):
    current_version: int | None = None
    current: ProfileDoc | None = None


SlugPath = Path[Slug]
# The header as HTTP names it (a parameter named `if_match` would be a header servers drop).
IfMatch = Annotated[
    str | None,
    HeaderParam(alias="If-Match", description='The version the edit started from: `"3"`'),
]
# Every status a write answers besides its success.
WRITE_ERRORS = {401: Error, 403: Error, 404: Error, 409: ConflictError, 422: InvalidError}


def _saved(request, org: ClusterOrganisation) -> SavedProfile:
    doc = editing.head_document(org)
    return SavedProfile(
        slug=org.slug, version=org.version, status=org.status,
        pending=editing.is_waiting(org), document=doc,
    )  # fmt: skip


@router.get("", response={200: DirectoryResult, 422: InvalidError}, summary="Search the directory")
def search_clusters(request: HttpRequest, filters: Query[DirectoryQuery]):
    """Full-text search with facets. A repeated facet parameter is OR within the facet
    (`country=ES&country=PT`); different facets are AND. Values are those the facets
    list (`value`): ISO codes for countries and languages, slugs otherwise. The results
    carry no contact details."""
    # Already validated by construction: serialise once, skip a second validation.
    return HttpResponse(search(filters).model_dump_json(), content_type="application/json")


FacetKey = Literal[tuple(FACETS)]


@router.get(
    "/facets/{facet}",
    response={200: Facet, 422: InvalidError},
    summary="Find the values of one facet",
)
def find_facet(
    request: HttpRequest,
    facet: Path[FacetKey],
    filters: Query[DirectoryQuery],
    find: Annotated[str, Field(max_length=100, description="Words of the values' labels")] = "",
):
    """The search box of a long facet: the facet's values whose label has every word of
    `find` as the beginning of a word, with their counts for the other parameters (the
    directory's query), most organisations first."""
    return find_facet_values(filters, facet, find)


@router.post(
    "",
    response={201: SavedProfile, 401: Error, 409: ConflictError, 422: InvalidError},
    auth=TokenAuth(),
    summary="Register a cluster organisation (as a draft you own)",
)
def create_cluster(request: HttpRequest, payload: ProfileDoc):
    """A new profile, as a draft owned by the token's user; 409 if the slug is taken."""
    return Status(201, _saved(request, editing.create_profile(request.auth, payload)))


@router.get(
    "/{slug}",
    response={200: ProfileDoc, 404: Error, 422: InvalidError},
    summary="One cluster profile",
)
def get_cluster(request: HttpRequest, slug: SlugPath, response: HttpResponse):
    """The canonical document of one cluster organisation. `ETag` carries its version,
    for `If-Match` on `PUT`. Unpublished profiles are seen by their owners only (404 for
    everyone else), who get the profile's edit waiting for review if there is one
    (`Clusterhub-Pending: yes`). Each management team member's telephone and email are
    shown as that person chose (everyone, signed-in members with a token, nobody), for
    a limited number of profiles an hour: past it they are left out and
    `Clusterhub-Contacts: withheld` says so."""
    # The token is optional here: the same parsing as the write endpoints, no 401.
    user = TokenAuth()(request)
    org, doc, withheld = privacy.visible_profile(user, slug, request)
    if editing.is_waiting(org) and may_edit(user, org):
        doc, response["Clusterhub-Pending"] = editing.head_document(org), "yes"
    etag(response, org.version)
    if withheld:
        response["Clusterhub-Contacts"] = "withheld"
    return doc


@router.put(
    "/{slug}",
    response={200: SavedProfile, 428: Error, **WRITE_ERRORS},
    auth=TokenAuth(),
    summary="Replace a profile's document",
)
def update_cluster(
    request: HttpRequest,
    slug: SlugPath,
    payload: ProfileDoc,
    if_match: IfMatch = None,
):
    """Send the version the edit started from as `If-Match` (the `ETag` of `GET`);
    without it, 428. A newer version saved meanwhile answers 409 with the current
    document and version, and nothing is written. An owner's edit of a published
    profile waits for a moderator (`pending: true`) while the published document stays
    public."""
    org = editing.update_profile(request.auth, slug, payload, version_from(if_match))
    return _saved(request, org)


@router.post(
    "/{slug}/submit",
    response={200: SavedProfile, **WRITE_ERRORS},
    auth=TokenAuth(),
    summary="Submit a draft or returned profile for review",
)
def submit_cluster(request: HttpRequest, slug: SlugPath):
    return _saved(request, moderation.change_status(request.auth, slug, "submit"))


@router.get(
    "/{slug}/partners",
    response={200: PartnerResult, 404: Error, 422: InvalidError},
    summary="Proposed partners for a cluster, with the reasons",
)
def cluster_partners(request: HttpRequest, slug: SlugPath, query: Query[PartnerQuery]):
    """The published clusters that would make the best new partners for this one, each
    with a score (0 to 100) and the reasons behind it, and its existing collaborations
    (marked, not proposed). `intent` says what is looked for; the directory's filters
    (`country`, `sectoral_industries`, `cluster_excellence_label`, …) narrow the
    candidates. `intent=country` needs `country`, `intent=programme` needs `programmes`."""
    result = recommend(slug, query)
    return HttpResponse(result.model_dump_json(), content_type="application/json")
