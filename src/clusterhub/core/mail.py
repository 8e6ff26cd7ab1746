"""Mail, sent by the worker: a request never waits for an SMTP server, and a mail that
fails is retried (core.background) rather than lost."""

from django.conf import settings
from django.core.mail import EmailMessage

from .background import later
from .metrics import MAILS


def send_later(
    subject: str, body: str, to: list[str], reply_to: str | None = None, headers: dict | None = None
) -> None:
    """Queue one mail (in the transaction of the write that sends it)."""
    if to:
        later(deliver, str(subject), body, list(to), reply_to, headers or {}, name="mail")


def deliver(
    subject: str, body: str, to: list[str], reply_to: str | None = None, headers: dict | None = None
) -> None:
    """The job: an error (the SMTP server down) fails it, and it is run again."""
    reply = [reply_to] if reply_to else None
    try:
        EmailMessage(subject, body, None, to, reply_to=reply, headers=headers).send()
    except Exception:
        MAILS.labels("failed").inc()
        raise
    MAILS.labels("sent").inc()


def absolute(path: str) -> str:
    """A link for a mail: the site's address (CLUSTERHUB_SITE_URL) and `path`, without a
    language prefix: whoever opens it is shown the page in their own language (the
    language middleware sends an unprefixed address to the reader's)."""
    from .languages import page_in

    return settings.CLUSTERHUB_SITE_URL + page_in(path, settings.LANGUAGE_CODE)
