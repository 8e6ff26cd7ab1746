"""Requests whose address holds a control character are refused at the edge.

A NUL byte reaches PostgreSQL as an error (a 500) and is stored as it is by SQLite,
which breaks a later copy to PostgreSQL; no control character means anything in an
address. Bodies are checked where they are read (the document's and the query's types).
"""

from urllib.parse import unquote

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _

from .text import CONTROL_RE


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
