"""/api/news: everyone's published news and events, one item, and writing them."""

from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from clusterhub.news import services
from clusterhub.news.listing import NewsQuery, search
from clusterhub.news.services import NewsIn, NewsOut
from clusterhub.profiles.schema import Slug

from .clusters import WRITE_ERRORS, Error, IfMatch, InvalidError, TokenAuth
from .lists import Decision, ListPage, etag, version_from

router = Router(tags=["news"])


class NewsPage(ListPage):
    items: list[NewsOut]


class NewNews(NewsIn):
    organisation: Slug


@router.get("", response={200: NewsPage, 422: InvalidError}, summary="Search news and events")
def list_news(request: HttpRequest, filters: Query[NewsQuery]):
    result = search(filters)
    return NewsPage.of(filters, result, services.as_output)


@router.get("/{pk}", response={200: NewsOut, 404: Error}, summary="One news item")
def get_news(request: HttpRequest, pk: int, response: HttpResponse):
    """Items waiting for review exist for their organisation's owners and the
    moderators only (404 for everyone else)."""
    item = services.viewable(TokenAuth()(request), pk)
    etag(response, item.version)
    return services.as_output(item)


@router.post(
    "", response={201: NewsOut, **WRITE_ERRORS}, auth=TokenAuth(),
    summary="Post news or an event of an organisation you own (it waits for a moderator)",
)  # fmt: skip
def create_news(request: HttpRequest, payload: NewNews):
    data = NewsIn(**payload.model_dump(exclude={"organisation"}))
    return Status(201, services.as_output(services.post(request.auth, payload.organisation, data)))


@router.put(
    "/{pk}", response={200: NewsOut, 428: Error, **WRITE_ERRORS}, auth=TokenAuth(),
    summary="Replace a news item",
)  # fmt: skip
def update_news(request: HttpRequest, pk: int, payload: NewsIn, if_match: IfMatch = None):
    """`If-Match` is the version the edit started from (428 without it, 409 if stale)."""
    return services.as_output(services.update(request.auth, pk, payload, version_from(if_match)))


@router.post(
    "/{pk}/{action}", response={200: NewsOut, **WRITE_ERRORS}, auth=TokenAuth(),
    summary="Publish or return a news item (moderators)",
)  # fmt: skip
def decide_news(
    request: HttpRequest, pk: int, action: Literal[services.ACTIONS], payload: Decision
):
    return services.as_output(services.decide(request.auth, pk, action, payload.note))


@router.delete(
    "/{pk}", response={204: None, **WRITE_ERRORS}, auth=TokenAuth(), summary="Delete a news item"
)
def delete_news(request: HttpRequest, pk: int):
    services.delete(request.auth, pk)
    return Status(204, None)
