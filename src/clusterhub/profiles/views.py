import io
import json

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import _json_script_escapes, format_html
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from clusterhub.accounts.editing import is_waiting
from clusterhub.accounts.permissions import is_signed_in, may_edit
from clusterhub.accounts.privacy import visible_profile, without_contacts
from clusterhub.core.errors import DomainError
from clusterhub.core.http import as_http
from clusterhub.ingest import formats

from .page import build_activities, build_panels, page_sections

CONTACT_COLUMNS = {"management_team.telephone", "management_team.email"}


def _inferred(doc) -> str:
    if not doc.country_inferred_from:
        return ""
    return _("inferred from the %(evidence)s") % {
        "evidence": _(" and ").join(doc.country_inferred_from)
    }


def _contacts_note(request, doc, withheld: bool) -> str:
    if withheld:
        return _(
            "Telephone numbers and emails are not shown: you have seen those of many "
            "profiles in the last hour. Try again later, or write through the platform."
        )
    if not is_signed_in(request.user) and doc.management_team:
        url = reverse("accounts:login") + "?" + urlencode({"next": request.path})
        return format_html(
            _("Telephone numbers and emails are shown to signed-in users: {link}."),
            link=format_html('<a href="{}">{}</a>', url, _("sign in")),
        )
    return ""


def _jsonld(request, doc) -> str:
    """The page's schema.org Organization for search engines, escaped for a <script>
    element (no contacts: a page's markup is read by machines in bulk)."""
    data = without_contacts(doc).model_dump(mode="json")
    node = formats.jsonld(data, request.build_absolute_uri("/").rstrip("/"))
    node["@context"] = "https://schema.org"
    return json.dumps(node, ensure_ascii=False).translate(_json_script_escapes)


def _description(doc) -> str:
    """The meta description: the mission, cut to what search results show."""
    if doc.mission:
        return Truncator(" ".join(doc.mission.split())).chars(160)
    return _("%(name)s, a cluster organisation on Clusterhub.") % {"name": doc.name}


def _visible(request, slug: str):
    """The profile as the reader may see it (visible_profile), a 404 for whoever may not."""
    try:
        return visible_profile(request.user, slug, request)
    except DomainError as exc:
        as_http(exc)
        raise


def _context(request, slug: str, print_view: bool = False) -> dict:
    org, doc, withheld = _visible(request, slug)
    shown = any(m.email or m.telephone for m in doc.management_team)
    hidden = set() if shown else CONTACT_COLUMNS
    panels = {} if print_view else build_panels(request, org, doc)
    return {
        "org": org,
        "doc": doc,
        "sections": page_sections(doc.model_dump(), panels, hidden),
        "inferred": _inferred(doc),
        "contacts_note": _contacts_note(request, doc, withheld),
        "may_edit": may_edit(request.user, org),
        "waiting": is_waiting(org),
        "print": print_view,
        "activities": [] if print_view else build_activities(request, org),
        "jsonld": "" if print_view else _jsonld(request, doc),
        "description": _description(doc),
    }


def profile_page(request, slug: str):
    return render(request, "profiles/detail.html", _context(request, slug))


def profile_print(request, slug: str):
    return render(request, "profiles/print.html", _context(request, slug, print_view=True))


def profile_csv(request, slug: str):
    """The profile as one CSV row, in the layout `clusterhub import` reads back."""
    _org, doc, _withheld = _visible(request, slug)
    out = io.StringIO()
    formats.write_csv([doc.model_dump(mode="json")], out)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{doc.slug}.csv"'
    return response


def profile_json(request, slug: str):
    _org, doc, _withheld = _visible(request, slug)
    return JsonResponse(
        doc.model_dump(mode="json"), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
