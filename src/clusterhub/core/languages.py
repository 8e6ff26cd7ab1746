"""The reader's language: which one a page is served in, the same page's address in each
of the others (for `hreflang` and the language menu), and the menu's choice.

A page's address names its language (`/es/clusters/…`, shareable as it is); English
pages have no prefix. A reader who asks for an address without a prefix is sent to the
same page in the language chosen with the menu (remembered in a cookie), else in the
browser's `Accept-Language` — so every link and bookmark made before keeps working. The
API and the admin are one address each, in English.
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.urls import Resolver404, resolve, reverse
from django.urls.base import is_valid_path
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject, lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

# Enough for a reader to keep the choice from one visit to the next.
COOKIE_AGE = 365 * 24 * 3600


class ReaderLanguage(LocaleMiddleware):
    def process_request(self, request):
        from_path = translation.get_language_from_path(request.path_info)
        translation.activate(from_path or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
        if from_path or request.method not in ("GET", "HEAD"):
            return None
        preferred = translation.get_language_from_request(request, check_path=False)
        target = f"/{preferred}{request.path_info}"
        if preferred == settings.LANGUAGE_CODE:
            return None
        with translation.override(preferred):  # a prefix is matched in its language
            if not is_valid_path(target):
                return None
        query = request.META.get("QUERY_STRING", "")
        redirect = HttpResponseRedirect(f"{target}?{query}" if query else target)
        patch_vary_headers(redirect, ("Accept-Language", "Cookie"))
        return redirect

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if not translation.get_language_from_path(request.path_info):
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response


def page_in(url: str, language: str) -> str:
    """The address of the page at `url` (a path, with its query) in `language`; `url`
    itself when it is not one of the site's pages."""
    path, mark, query = url.partition("?")
    with translation.override(translation.get_language_from_path(path) or settings.LANGUAGE_CODE):
        try:
            match = resolve(path)
        except Resolver404:
            return url
    with translation.override(language):
        found = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
    return found + mark + query


def alternates(request) -> dict:
    """Context processor: this page in every language, for <link rel="alternate"
    hreflang> and the language menu — worked out once, and only when a template shows
    it (not for an htmx fragment or a mail)."""

    def languages() -> list[dict]:
        path = request.get_full_path()
        current = translation.get_language()
        return [
            {"code": code, "name": name, "current": code == current,
             "url": request.build_absolute_uri(page_in(path, code))}
            for code, name in settings.LANGUAGES
        ]  # fmt: skip

    return {"page_languages": SimpleLazyObject(languages)}


@require_GET
def choose_language(request):
    """The language menu (links, so that pages carry no form token): remember the choice
    and show the same page in it. Nothing but the reader's own cookie changes."""
    language = request.GET.get("language", "")
    back = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = "/"
    if language not in dict(settings.LANGUAGES):
        return HttpResponseRedirect(back)
    response = HttpResponseRedirect(page_in(back, language))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language, max_age=COOKIE_AGE, samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )  # fmt: skip
    return response


def lazy_message(message, **params):
    """`message` (marked with gettext_lazy) filled in with `params` when it is read, in
    the language active then: what one user's action sends to others (mail, notices) is
    made once and written in each recipient's language."""
    return lazy(lambda: str(message) % params if params else str(message), str)()


def lazy_date(value, format_name: str = "DATE_FORMAT"):
    """A date written, when it is read, as the language active then writes it."""
    from django.utils.formats import date_format

    return lazy(lambda: date_format(value, format_name), str)()
