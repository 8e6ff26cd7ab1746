"""What the API's smaller lists share: their result shape and the version header rules."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Schema

from clusterhub.core.errors import PreconditionRequired
from clusterhub.directory.query import Facet


class ListPage(Schema):
    total: int
    page: int
    page_size: int
    facets: dict[str, Facet]

    @classmethod
    def of(cls, filters, result, output):
        """The page of a list's search (directory.listing.ListResult), each item as
        `output` gives it."""
        return cls(
            total=result.total, page=filters.page, page_size=filters.page_size,
            facets=result.facets, items=[output(item) for item in result.items],
        )  # fmt: skip


class Decision(Schema):  # a moderator's decision: the reason, when something is returned
    note: str = ""


def etag(response: HttpResponse, version: int) -> None:
    response["ETag"] = f'"{version}"'


def version_from(if_match: str | None) -> int:
    """The version an edit started from, from `If-Match: "3"`; 428 without it."""
    try:
        return int(if_match.strip().removeprefix("W/").strip('"'))
    except (AttributeError, ValueError):
        raise PreconditionRequired(
            _('send the version this edit started from, e.g. "3"'), "If-Match"
        ) from None
