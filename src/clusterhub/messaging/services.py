"""Contacting a cluster and the conversations that follow: who may read and write what.

A conversation's parties are the user who started it and the organisation's owners.
Whoever is not a party (nor a moderator, once a party reported it) is told it does not
exist. Nobody's email or telephone is shown: owners are told the sender's reply
address in their mail, the sender never learns the owners'.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_ratelimit.core import get_usage

from clusterhub.accounts.languages import send_to_each
from clusterhub.accounts.models import Ownership
from clusterhub.accounts.ownership import owner_emails
from clusterhub.accounts.permissions import is_moderator, is_owner, signed_in, viewable
from clusterhub.core.errors import Invalid, NotFound, TooMany
from clusterhub.core.mail import absolute
from clusterhub.core.text import no_control_characters

from .models import BODY_MAX, SUBJECT_MAX, Conversation, Message, ReadMark, Report


def _text(value: str, field: str, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise Invalid(_("write something"), field)
    if len(value) > limit:
        raise Invalid(
            _("at most %(limit)d characters (this has %(length)d)")
            % {"limit": limit, "length": len(value)},
            field,
        )
    try:
        no_control_characters(value.replace("\n", " ").replace("\r", " ").replace("\t", " "))
    except ValueError as exc:
        raise Invalid(str(exc), field) from exc
    return value


def _count_message(user) -> None:
    """One more message by `user` (django-ratelimit's counter); TooMany past the rate."""
    usage = get_usage(
        None, group="messages", key=lambda group, request: f"user:{user.pk}",
        rate=settings.CLUSTERHUB_MESSAGES_RATE, increment=True,
    )  # fmt: skip
    if usage is not None and usage["should_limit"]:
        raise TooMany(_("you have sent many messages in a short time; try again later"), "body")


def _mail(conversation: Conversation, message: Message) -> None:
    """Tell the other side of the conversation: owners get the sender's reply address,
    the sender gets a link (never an owner's address)."""
    link = absolute(reverse("messaging:thread", args=[conversation.pk]))
    names = {"org": conversation.organisation.name, "subject": conversation.subject}

    def write(subject):  # in each recipient's language
        context = {"conversation": conversation, "message": message, "link": link}
        return _(subject) % names, render_to_string("messaging/message_email.txt", context)

    if message.from_owners:
        replied = gettext_noop("%(org)s replied: %(subject)s")
        send_to_each([conversation.started_by.email], lambda: write(replied))
    else:
        asked = gettext_noop("Message for %(org)s: %(subject)s")
        send_to_each(
            owner_emails(conversation.organisation_id), lambda: write(asked),
            reply_to=conversation.started_by.email,
        )  # fmt: skip


def _mark_read(conversation: Conversation, user, moment) -> None:
    ReadMark.objects.update_or_create(
        conversation=conversation, user=user, defaults={"read_at": moment}
    )


@transaction.atomic
def contact(
    user, slug: str, *, subject: str, body: str, sender_name: str, sender_organisation: str = "",
    topic: str = "", topic_url: str = "",
) -> Conversation:  # fmt: skip
    """A new conversation with the owners of the published profile `slug`."""
    signed_in(user)
    org = viewable(user, slug)
    if not org.is_public:
        raise NotFound(_("no cluster organisation %(slug)r") % {"slug": slug}, "slug")
    if is_owner(user, org):
        raise Invalid(_("you are one of this profile's owners"), "slug")
    subject = _text(subject, "subject", SUBJECT_MAX)
    body = _text(body, "body", BODY_MAX)
    sender_name = _text(sender_name, "sender_name", 200)
    sender_organisation = _text(sender_organisation, "sender_organisation", 200, required=False)
    _count_message(user)
    now = timezone.now()
    conversation = Conversation.objects.create(
        organisation=org, started_by=user, sender_name=sender_name,
        sender_organisation=sender_organisation, subject=subject, topic=topic[:200],
        topic_url=topic_url[:500], last_message_at=now,
    )  # fmt: skip
    message = Message.objects.create(conversation=conversation, author=user, body=body)
    _mark_read(conversation, user, now)
    _mail(conversation, message)
    return conversation


def _party_filter(user) -> Q:
    owned = Ownership.objects.filter(user=user).values("organisation")
    return Q(started_by=user) | Q(organisation__in=owned)


def readable(user, pk: int) -> Conversation:
    """The conversation `user` may read: a party, or a moderator once it is reported."""
    signed_in(user)
    conversation = (
        Conversation.objects.select_related("organisation", "started_by").filter(pk=pk).first()
    )
    if conversation is None or not (
        conversation.started_by_id == user.pk
        or is_owner(user, conversation.organisation)
        or (is_moderator(user) and conversation.reports.exists())
    ):
        raise NotFound(_("no conversation %(pk)s") % {"pk": pk})
    return conversation


def is_party(user, conversation: Conversation) -> bool:
    return conversation.started_by_id == user.pk or is_owner(user, conversation.organisation)


@transaction.atomic
def reply(user, pk: int, body: str) -> Message:
    conversation = readable(user, pk)
    if not is_party(user, conversation):
        raise NotFound(_("no conversation %(pk)s") % {"pk": pk})
    body = _text(body, "body", BODY_MAX)
    _count_message(user)
    now = timezone.now()
    from_owners = conversation.started_by_id != user.pk
    message = Message.objects.create(
        conversation=conversation, author=user, body=body, from_owners=from_owners
    )
    Conversation.objects.filter(pk=pk).update(last_message_at=now)
    _mark_read(conversation, user, now)
    _mail(conversation, message)
    return message


def thread(user, pk: int, mark_read: bool = True) -> tuple[Conversation, list[Message]]:
    conversation = readable(user, pk)
    messages = list(conversation.messages.select_related("author"))
    if mark_read and is_party(user, conversation):
        _mark_read(conversation, user, timezone.now())
    return conversation, messages


def inbox(user):
    """The user's conversations, newest first, each with `unread`."""
    signed_in(user)
    read_at = ReadMark.objects.filter(conversation=OuterRef("pk"), user=user).values("read_at")
    return (
        Conversation.objects.filter(_party_filter(user))
        .select_related("organisation")
        .annotate(read_at=Subquery(read_at[:1]))
        .annotate(
            unread=~Exists(
                ReadMark.objects.filter(
                    conversation=OuterRef("pk"), user=user, read_at__gte=OuterRef("last_message_at")
                )
            )
        )
        .order_by("-last_message_at")
    )


def unread_count(user) -> int:
    return inbox(user).filter(unread=True).count()


@transaction.atomic
def mark_unread(user, pk: int) -> None:
    conversation = readable(user, pk)
    ReadMark.objects.filter(conversation=conversation, user=user).delete()


@transaction.atomic
def report(user, pk: int, reason: str) -> Report:
    """A party reports the conversation; moderators then may read it."""
    conversation = readable(user, pk)
    if not is_party(user, conversation):
        raise NotFound(_("no conversation %(pk)s") % {"pk": pk})
    reason = _text(reason, "reason", 2000)
    existing = Report.objects.filter(
        conversation=conversation, reporter=user, resolved_at__isnull=True
    ).first()
    return existing or Report.objects.create(
        conversation=conversation, reporter=user, reason=reason
    )


def open_reports(user):
    from clusterhub.accounts.permissions import moderator

    moderator(user, _("see reported conversations"))
    return Report.objects.filter(resolved_at__isnull=True).select_related(
        "conversation__organisation", "reporter"
    )


@transaction.atomic
def resolve_report(user, pk: int) -> int:
    from clusterhub.accounts.permissions import moderator

    moderator(user, _("resolve reports"))
    return Report.objects.filter(pk=pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=user
    )


def personal_data(user) -> dict:
    """The user's conversations and messages, for their download."""
    messages = Message.objects.filter(author=user).select_related("conversation__organisation")
    return {
        "messages_sent": [
            {
                "conversation": m.conversation_id,
                "to": m.conversation.organisation.slug,
                "subject": m.conversation.subject,
                "at": m.created_at.isoformat(),
                "body": m.body,
            }
            for m in messages
        ]
    }


@transaction.atomic
def delete_messages(user) -> int:
    """Deletes every message `user` wrote, and the conversations they started that are
    then empty. Returns how many messages were deleted."""
    signed_in(user)
    deleted, _counts = Message.objects.filter(author=user).delete()
    Conversation.objects.filter(started_by=user, messages__isnull=True).delete()
    return deleted
