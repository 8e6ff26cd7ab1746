"""/api/opportunities: the list with its facets, one opportunity, and writing them."""

from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from clusterhub.opportunities import services
from clusterhub.opportunities.listing import OpportunityQuery, search
from clusterhub.opportunities.services import OpportunityIn, OpportunityOut
from clusterhub.profiles.schema import Slug

from .clusters import WRITE_ERRORS, Error, IfMatch, InvalidError, TokenAuth
from .lists import Decision, ListPage, etag, version_from

router = Router(tags=["opportunities"])


class OpportunityPage(ListPage):
    items: list[OpportunityOut]


class NewOpportunity(OpportunityIn):
    organisation: Slug


@router.get("", response={200: OpportunityPage, 422: InvalidError}, summary="Search opportunities")
def list_opportunities(request: HttpRequest, filters: Query[OpportunityQuery]):
    """Published opportunities: words (`q`), facets as on the page (repeat a parameter
    for OR within a facet), `sort` and `page`."""
    result = search(filters)
    return OpportunityPage.of(filters, result, services.as_output)


def _user(request):
    return TokenAuth()(request)  # optional: owners see their drafts, others do not


@router.get("/{pk}", response={200: OpportunityOut, 404: Error}, summary="One opportunity")
def get_opportunity(request: HttpRequest, pk: int, response: HttpResponse):
    """`ETag` carries its version, for `If-Match` on `PUT`. Unpublished ones exist for
    their organisation's owners and the moderators only (404 for everyone else)."""
    opportunity = services.viewable(_user(request), pk)
    etag(response, opportunity.version)
    return services.as_output(opportunity)


@router.post(
    "", response={201: OpportunityOut, **WRITE_ERRORS}, auth=TokenAuth(),
    summary="Post an opportunity (a draft) for an organisation you own",
)  # fmt: skip
def create_opportunity(request: HttpRequest, payload: NewOpportunity):
    data = OpportunityIn(**payload.model_dump(exclude={"organisation"}))
    return Status(
        201, services.as_output(services.create(request.auth, payload.organisation, data))
    )


@router.put(
    "/{pk}", response={200: OpportunityOut, 428: Error, **WRITE_ERRORS}, auth=TokenAuth(),
    summary="Replace an opportunity",
)  # fmt: skip
def update_opportunity(
    request: HttpRequest, pk: int, payload: OpportunityIn, if_match: IfMatch = None
):
    """`If-Match` is the version the edit started from (428 without it, 409 if stale).
    An owner's edit of a published opportunity goes back to review."""
    opportunity = services.update(request.auth, pk, payload, version_from(if_match))
    return services.as_output(opportunity)


@router.post(
    "/{pk}/{action}", response={200: OpportunityOut, **WRITE_ERRORS}, auth=TokenAuth(),
    summary="Submit, publish, return, archive or renew an opportunity",
)  # fmt: skip
def change_opportunity(
    request: HttpRequest, pk: int, action: Literal[tuple(services.TRANSITIONS)], payload: Decision
):
    """Owners submit, archive and renew; moderators publish and return (with a `note`)."""
    return services.as_output(services.change_status(request.auth, pk, action, payload.note))
