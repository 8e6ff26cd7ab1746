from django.http import JsonResponse
from django.shortcuts import render

from clusterhub.accounts.services import may_edit, sees_contacts, visible_profile


def _context(request, slug: str) -> dict:
    org, doc = visible_profile(request.user, slug)
    return {
        "org": org,
        "doc": doc.model_dump(),
        "contacts_hidden": not sees_contacts(request.user),
        "may_edit": may_edit(request.user, org),
    }


def profile_page(request, slug: str):
    return render(request, "profiles/detail.html", _context(request, slug))


def profile_print(request, slug: str):
    return render(request, "profiles/print.html", _context(request, slug))


def profile_json(request, slug: str):
    _, doc = visible_profile(request.user, slug)
    return JsonResponse(
        doc.model_dump(mode="json"), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
