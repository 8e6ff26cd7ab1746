"""Domain errors on pages: the one helper every view uses around a service call.

Whoever may not see a thing gets a 404 (NotFound), someone who may see it and not do
this a 403 (Forbidden); other refusals are shown to the user — on the form field they
name, or as a message — and the view goes on (typically showing the form again).
The API has its own handler (`clusterhub.api.main`).
"""

from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404

from .errors import DomainError, Forbidden, NotFound, NotSignedIn


def as_http(exc: DomainError) -> None:
    """Raise Django's 404 or 403 for the errors that are one; return for the others."""
    if isinstance(exc, NotFound):
        raise Http404(str(exc)) from exc
    if isinstance(exc, Forbidden | NotSignedIn):
        raise PermissionDenied(str(exc)) from exc


def or_http(lookup, *args):
    """`lookup(*args)` for a page: a thing the user may not see is Django's 404 (a
    NotFound), one they may not touch a 403."""
    try:
        return lookup(*args)
    except DomainError as exc:
        as_http(exc)
        raise


@dataclass
class Outcome:
    error: DomainError | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None


@contextmanager
def refusals(request, form=None):
    """`with refusals(request, form) as outcome:` around a service call. A refusal
    other than 404/403 goes on the form (on the field it names, if the form has it) or,
    without a form, into the messages; `outcome.failed` tells the view."""
    outcome = Outcome()
    try:
        yield outcome
    except DomainError as exc:
        as_http(exc)
        outcome.error = exc
        if form is not None:
            field = exc.field if exc.field in form.fields else None
            form.add_error(field, str(exc.message) if field else str(exc))
        else:
            messages.error(request, str(exc))
