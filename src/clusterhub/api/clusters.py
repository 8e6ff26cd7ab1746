from django.http import HttpRequest, HttpResponse
from ninja import Header, Query, Router, Schema, Status
from ninja.security import HttpBearer

from clusterhub.accounts import services as workflow
from clusterhub.accounts.models import ApiToken
from clusterhub.directory.query import DirectoryQuery, DirectoryResult
from clusterhub.directory.services import search
from clusterhub.matching.query import PartnerQuery, PartnerResult
from clusterhub.matching.services import NotRecommendable, recommend
from clusterhub.profiles.models import ClusterOrganisation
from clusterhub.profiles.schema import ProfileDoc

router = Router(tags=["clusters"])


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <key>`: a key from the account page or `clusterhub token create`."""

    def authenticate(self, request, token):
        return ApiToken.user_for(token)


class Error(Schema):
    detail: str


class SavedProfile(Schema):
    slug: str
    version: int
    status: str
    document: ProfileDoc


class ConflictError(Schema):
    detail: str
    current_version: int
    current: ProfileDoc


WRITE_ERRORS = {400: Error, 401: Error, 403: Error, 404: Error}
STATUS_OF = {
    workflow.NotSignedIn: 401,
    workflow.Forbidden: 403,
    workflow.NotFound: 404,
    workflow.Conflict: 409,
}


def _refused(exc: workflow.WorkflowError):
    status = STATUS_OF.get(type(exc), 400)
    if isinstance(exc, workflow.Conflict):
        return Status(
            status,
            ConflictError(
                detail=str(exc), current_version=exc.current_version, current=exc.current
            ),
        )
    return Status(status, Error(detail=str(exc)))


def _saved(request, org: ClusterOrganisation, doc: ProfileDoc | None = None) -> SavedProfile:
    _, doc = (org, doc) if doc else workflow.visible_profile(request.auth, org.slug)
    return SavedProfile(slug=org.slug, version=org.version, status=org.status, document=doc)


def _etag(version: int) -> str:
    return f'"{version}"'


def _version_from(if_match: str | None) -> int | None:
    try:
        return int(if_match.strip().removeprefix("W/").strip('"')) if if_match else None
    except ValueError:
        return None


@router.get("", response=DirectoryResult, summary="Search the directory")
def search_clusters(request: HttpRequest, filters: Query[DirectoryQuery]):
    """Full-text search with facets. A repeated facet parameter is OR within the facet
    (`country=ES&country=PT`); different facets are AND. Values are those the facets
    list (`value`): ISO codes for countries and languages, slugs otherwise."""
    # Already validated by construction: serialise once, skip a second validation.
    return HttpResponse(search(filters).model_dump_json(), content_type="application/json")


@router.post(
    "",
    response={201: SavedProfile, **WRITE_ERRORS},
    auth=TokenAuth(),
    summary="Register a cluster organisation (as a draft you own)",
)
def create_cluster(request: HttpRequest, payload: ProfileDoc):
    try:
        org = workflow.create_profile(request.auth, payload)
    except workflow.WorkflowError as exc:
        return _refused(exc)
    return Status(201, _saved(request, org, payload))


@router.get("/{slug}", response={200: ProfileDoc, 404: Error}, summary="One cluster profile")
def get_cluster(request: HttpRequest, slug: str, response: HttpResponse):
    """The canonical document of one cluster organisation. `ETag` carries its version,
    for `If-Match` on `PUT`. Unpublished profiles are seen by their owners only; the
    management team's emails and telephone numbers need a token."""
    # The token is optional here: the same parsing as the write endpoints, no 401.
    org, doc = workflow.visible_profile(TokenAuth()(request), slug)
    response["ETag"] = _etag(org.version)
    return doc


@router.put(
    "/{slug}",
    response={200: SavedProfile, 409: ConflictError, 428: Error, **WRITE_ERRORS},
    auth=TokenAuth(),
    summary="Replace a profile's document",
)
def update_cluster(
    request: HttpRequest,
    slug: str,
    payload: ProfileDoc,
    if_match: Header[str | None] = None,
):
    """Send the version the edit started from as `If-Match` (the `ETag` of `GET`).
    A newer version saved meanwhile answers 409 with the current document and version,
    and nothing is written."""
    base_version = _version_from(if_match)
    if base_version is None:
        return Status(
            428, Error(detail='If-Match: send the version this edit started from, e.g. "3"')
        )
    try:
        org = workflow.update_profile(request.auth, slug, payload, base_version)
    except workflow.WorkflowError as exc:
        return _refused(exc)
    return _saved(request, org, payload)


@router.post(
    "/{slug}/submit",
    response={200: SavedProfile, **WRITE_ERRORS},
    auth=TokenAuth(),
    summary="Submit a draft or returned profile for review",
)
def submit_cluster(request: HttpRequest, slug: str):
    try:
        org = workflow.change_status(request.auth, slug, "submit")
    except workflow.WorkflowError as exc:
        return _refused(exc)
    return _saved(request, org)


@router.get(
    "/{slug}/partners",
    response={200: PartnerResult, 404: Error},
    summary="Proposed partners for a cluster, with the reasons",
)
def cluster_partners(request: HttpRequest, slug: str, query: Query[PartnerQuery]):
    """The published clusters that would make the best new partners for this one, each
    with a score (0 to 100) and the reasons behind it, and its existing collaborations
    (marked, not proposed). `intent` says what is looked for; the directory's filters
    (`country`, `sectoral_industries`, `cluster_excellence_label`, …) narrow the
    candidates. `intent=country` needs `country`, `intent=programme` needs `programmes`."""
    try:
        result = recommend(slug, query)
    except NotRecommendable:
        return Status(404, Error(detail=f"No published profile {slug!r}"))
    return HttpResponse(result.model_dump_json(), content_type="application/json")
