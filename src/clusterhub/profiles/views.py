from django.http import JsonResponse
from django.shortcuts import render

from .services import get_profile


def _context(slug: str) -> dict:
    org, doc = get_profile(slug)
    return {"org": org, "doc": doc.model_dump()}


def profile_page(request, slug: str):
    return render(request, "profiles/detail.html", _context(slug))


def profile_print(request, slug: str):
    return render(request, "profiles/print.html", _context(slug))


def profile_json(request, slug: str):
    _, doc = get_profile(slug)
    return JsonResponse(
        doc.model_dump(mode="json"), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
