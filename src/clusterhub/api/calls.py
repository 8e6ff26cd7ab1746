"""/api/calls: the funding calls list with its facets, one call, and writing them."""

from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status

from clusterhub.calls import services
from clusterhub.calls.listing import CallQuery, search
from clusterhub.calls.services import CallIn, CallOut

from .clusters import WRITE_ERRORS, Error, IfMatch, InvalidError, TokenAuth
from .lists import ListPage, etag, version_from

router = Router(tags=["calls"])


class CallPage(ListPage):
    items: list[CallOut]


class CallStatus(Schema):
    status: Literal[tuple(services.Status.values)]


@router.get("", response={200: CallPage, 422: InvalidError}, summary="Search funding calls")
def list_calls(request: HttpRequest, filters: Query[CallQuery]):
    """Published calls, open ones first by closing date (`sort=closing`): words (`q`),
    facets as on the page (`state=open`, `kind=eu`, `eligible_countries=PT`, …)."""
    result = search(filters)
    return CallPage.of(filters, result, services.as_output)


@router.get("/{pk}", response={200: CallOut, 404: Error}, summary="One funding call")
def get_call(request: HttpRequest, pk: int, response: HttpResponse):
    """`ETag` carries its version, for `If-Match` on `PUT`."""
    call = services.viewable(TokenAuth()(request), pk)
    etag(response, call.version)
    return services.as_output(call)


@router.post(
    "", response={201: CallOut, **WRITE_ERRORS}, auth=TokenAuth(),
    summary="Post a funding call (moderators and the users they allow)",
)  # fmt: skip
def create_call(request: HttpRequest, payload: CallIn):
    return Status(201, services.as_output(services.create(request.auth, payload)))


@router.put(
    "/{pk}", response={200: CallOut, 428: Error, **WRITE_ERRORS}, auth=TokenAuth(),
    summary="Replace a funding call",
)  # fmt: skip
def update_call(request: HttpRequest, pk: int, payload: CallIn, if_match: IfMatch = None):
    """`If-Match` is the version the edit started from (428 without it, 409 if stale)."""
    return services.as_output(services.update(request.auth, pk, payload, version_from(if_match)))


@router.post(
    "/{pk}/status", response={200: CallOut, **WRITE_ERRORS}, auth=TokenAuth(),
    summary="Withdraw a funding call or publish it again",
)  # fmt: skip
def change_call(request: HttpRequest, pk: int, payload: CallStatus):
    return services.as_output(services.set_status(request.auth, pk, payload.status))
