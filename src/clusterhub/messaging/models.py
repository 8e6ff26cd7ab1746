"""Conversations between a user and the owners of a cluster organisation."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from clusterhub.profiles.models import ClusterOrganisation

SUBJECT_MAX = 200
BODY_MAX = 5000


class Conversation(models.Model):
    """A thread: who started it, the organisation they wrote to, and what about.

    Its parties are the user who started it and the organisation's owners (as they are
    when it is read: a new co-owner sees the organisation's threads)."""

    organisation = models.ForeignKey(
        ClusterOrganisation, on_delete=models.CASCADE, related_name="conversations"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversations"
    )
    sender_name = models.CharField(
        max_length=200, help_text=_("The sender's name, as they gave it.")
    )
    sender_organisation = models.CharField(
        max_length=200, blank=True, help_text=_("The organisation the sender writes for.")
    )
    subject = models.CharField(max_length=SUBJECT_MAX)
    # What the thread is about when it began elsewhere (an opportunity): a title and a
    # link, so that the layers below opportunities need not know them.
    topic = models.CharField(max_length=200, blank=True)
    topic_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-last_message_at"]

    def __str__(self) -> str:
        return self.subject


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Whether the author wrote as one of the organisation's owners (the thread's two
    # sides), kept when the author later leaves or deletes their account.
    from_owners = models.BooleanField(default=False)
    body = models.TextField(max_length=BODY_MAX)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.conversation_id}: {self.body[:40]}"


class ReadMark(models.Model):
    """Until when a user has read a conversation."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="one_read_mark")
        ]

    def __str__(self) -> str:
        return f"{self.user} read {self.conversation_id} until {self.read_at}"


class Report(models.Model):
    """A party says a conversation is abuse (spam, harassment); moderators see it."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "reporter"],
                condition=models.Q(resolved_at__isnull=True),
                name="one_open_report",
            )
        ]

    def __str__(self) -> str:
        return f"report on {self.conversation_id}"
