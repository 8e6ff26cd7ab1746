"""Each user's language: remembered from the pages they read, used for what is sent to
them (mail, digests, agendas), whoever's request sends it."""

from collections.abc import Callable, Iterable
from contextlib import contextmanager

from django.conf import settings
from django.utils import translation

from clusterhub.core.mail import send_later

from .models import LanguagePreference

SESSION_KEY = "reader_language"


def remember_language(user, language: str) -> None:
    if language in dict(settings.LANGUAGES):
        LanguagePreference.objects.update_or_create(user=user, defaults={"language": language})


def language_of(recipient, default: str | None = None) -> str:
    """The language of a user, or of the user with this email; else `default` (by default
    the site's): a mail to an address no account has (an invitation) is written in the
    sender's language by passing theirs."""
    default = default or settings.LANGUAGE_CODE
    if recipient is None:
        return default
    found = LanguagePreference.objects.filter(
        **(
            {"user__email__iexact": recipient}
            if isinstance(recipient, str)
            else {"user": recipient}
        )
    ).values_list("language", flat=True)
    return next(iter(found), default)


@contextmanager
def in_language_of(recipient, default: str | None = None):
    """Write what is sent to `recipient` (a user or an email) in their language."""
    with translation.override(language_of(recipient, default)):
        yield


def send_to_each(
    addresses: Iterable[str], write: Callable[[], tuple[str, str]], default: str | None = None,
    **options,
) -> None:  # fmt: skip
    """One mail per address (nobody sees the others'), its subject and body made by
    `write()` in the language of the address's account (else `default`, else the site's)."""
    for address in dict.fromkeys(a for a in addresses if a):
        with in_language_of(address, default):
            subject, body = write()
            subject = str(subject)
        send_later(subject, body, [address], **options)


class RememberLanguage:
    """Middleware: a signed-in reader's page language is remembered as theirs, written
    once per change (the session says which was last written). The API's requests
    have no user (core/middleware.pages_only): nothing to remember there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = translation.get_language()
        if (
            user is not None
            and user.is_authenticated
            and request.method in ("GET", "HEAD")
            and request.session.get(SESSION_KEY) != language
        ):
            remember_language(user, language)
            request.session[SESSION_KEY] = language
        return self.get_response(request)
