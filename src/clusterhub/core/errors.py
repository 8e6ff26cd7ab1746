"""One family of errors for everything a user can be refused.

Services raise a `DomainError` carrying the `field` it concerns (a document path such
as `management_team[0].email`, a form field or a query parameter; None for the whole
request) and a one-line `message`. The API's exception handler and the pages' helper
(`clusterhub.web`) turn them into responses; nothing below them knows about HTTP
beyond the `status` each kind suggests.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A refused operation, told to the user as one line."""

    status = 400

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else str(self.message)


class Invalid(DomainError):
    """The input breaks a rule of the document or of the request."""

    status = 422


class NotSignedIn(DomainError):
    status = 401

    def __init__(self, message=None, field: str | None = None):
        super().__init__(message or _("sign in first"), field)


class Forbidden(DomainError):
    """Signed in, and allowed to see the thing, but not to do this to it."""

    status = 403


class NotFound(DomainError):
    """No such thing — or one the user may not see, which is answered the same way."""

    status = 404


class Conflict(DomainError):
    """The write collides with another: a taken slug, a newer version, a pending claim."""

    status = 409


class TooMany(DomainError):
    """Too many of these in a period (a rate limit): try again later."""

    status = 429


class PreconditionRequired(DomainError):
    status = 428


class TooManyRequests(DomainError):
    status = 429


class InputError(DomainError):
    """Bad input in a file; names the line when there is one."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line

    def located(self, source: str) -> str:
        where = f"{source}:{self.line}" if self.line else source
        return f"{where}: {self.message}"
