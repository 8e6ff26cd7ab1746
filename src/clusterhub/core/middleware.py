"""Middleware of the site's own: control characters refused at the edge, and the
middleware only pages need passed by for the API.

A NUL byte reaches PostgreSQL as an error (a 500) and is stored as it is by SQLite,
which breaks a later copy to PostgreSQL; no control character means anything in an
address. Bodies are checked where they are read (the document's and the query's types).
"""

from urllib.parse import unquote

from csp.middleware import CSPMiddleware
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxMiddleware

from .text import CONTROL_RE

API_PREFIX = "/api/"
API_DOCS = "/api/docs"  # a page: its content-security policy applies


class RefuseControlCharacters:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for where, text in (
            ("path", request.path),
            ("query", unquote(request.META.get("QUERY_STRING", ""))),
        ):
            if found := CONTROL_RE.search(text):
                message = _("control character U+%(code)04X in the address (%(where)s)") % {
                    "code": ord(found.group()), "where": where,
                }  # fmt: skip
                return HttpResponseBadRequest(
                    message + "\n", content_type="text/plain; charset=utf-8"
                )
        return self.get_response(request)


def pages_only(middleware: type) -> type:
    """`middleware`, run for the site's pages and passed by for the API's JSON answers
    (/api/, its documentation page aside), which use no session, signed-in user (a
    token says who asks), message, content-security policy or htmx. Passing them by
    saves a request 0.14–0.23 ms, about a twentieth of a search (docs/performance.md)."""
    if any(hasattr(middleware, hook) for hook in ("process_view", "process_exception",
                                                   "process_template_response")):  # fmt: skip
        # Django calls these hooks on its own, past __call__: they would run anyway.
        raise TypeError(f"{middleware.__name__} has hooks pages_only cannot pass by")

    class PagesOnly(middleware):
        def __call__(self, request):
            path = request.path_info
            if path.startswith(API_PREFIX) and not path.startswith(API_DOCS):
                return self.get_response(request)
            return super().__call__(request)

    PagesOnly.__name__ = PagesOnly.__qualname__ = middleware.__name__
    PagesOnly.__doc__ = f"{middleware.__name__}, for pages only (`pages_only`)."
    return PagesOnly


PageSessions = pages_only(SessionMiddleware)
PageAuthentication = pages_only(AuthenticationMiddleware)
PageMessages = pages_only(MessageMiddleware)
PageContentSecurity = pages_only(CSPMiddleware)
PageHtmx = pages_only(HtmxMiddleware)
