"""Who may change a profile, the history of every change, and API tokens."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterhub.profiles.models import ClusterOrganisation


class Ownership(models.Model):
    """A user who may edit a profile (one of its owners)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    organisation = models.ForeignKey(
        ClusterOrganisation, on_delete=models.CASCADE, related_name="ownerships"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_ownership")
        ]
        permissions = [
            ("moderate_profiles", _("Can publish, return and archive any profile")),
            ("publish_edits", _("Can publish edits of published profiles without review")),
        ]

    def __str__(self) -> str:
        return f"{self.user} owns {self.organisation}"


class Revision(models.Model):
    """One change of a profile: who, when, the whole document, and what changed."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        EDIT = "edit", _("Edited")
        RESTORE = "restore", _("Restored")
        PROPOSE = "propose", _("Edit proposed for review")
        ACCEPT = "accept", _("Edit accepted")
        DECLINE = "decline", _("Edit declined")
        SUBMIT = "submit", _("Submitted for review")
        PUBLISH = "publish", _("Published")
        RETURN = "return", _("Returned")
        ARCHIVE = "archive", _("Archived")
        IMPORT = "import", _("Imported")
        RESOLVE = "resolve", _("Collaborations resolved")

    organisation = models.ForeignKey(
        ClusterOrganisation, on_delete=models.CASCADE, related_name="revisions"
    )
    version = models.PositiveIntegerField(help_text=_("The profile's version after this change."))
    action = models.CharField(max_length=20, choices=Action.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    document = models.JSONField(
        help_text=_("The canonical document after this change (as proposed, for a proposal).")
    )
    changes = models.JSONField(
        default=list, help_text=_("[{path, before, after}], field by field.")
    )
    note = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["organisation", "-id"]
        indexes = [models.Index(fields=["organisation", "-id"], name="revision_history")]

    def __str__(self) -> str:
        return f"{self.organisation} v{self.version} ({self.action})"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A user's key for the write API. Only its SHA-256 is stored; the key is shown once."""

    PREFIX = "chub_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    hint = models.CharField(
        max_length=12, help_text=_("The key's first characters, to tell keys apart.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def issue(cls, user, name: str) -> tuple["ApiToken", str]:
        """A new token and its key (which is not kept)."""
        key = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, digest=_digest(key), hint=key[:12])
        return token, key

    @classmethod
    def revoke_by_hint(cls, hint: str) -> int:
        if len(hint) < len(cls.PREFIX) + 4:  # too short to name one token
            return 0
        return cls.objects.filter(hint__startswith=hint, revoked_at__isnull=True).update(
            revoked_at=Now()
        )

    @classmethod
    def user_for(cls, key: str):
        """The active user a key belongs to, or None (unknown, revoked, inactive user)."""
        token = (
            cls.objects.select_related("user")
            .filter(digest=_digest(key), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if token is None:
            return None
        # A write per minute at most, not one per request.
        if token.last_used_at is None or timezone.now() - token.last_used_at > timedelta(minutes=1):
            cls.objects.filter(pk=token.pk).update(last_used_at=Now())
        return token.user


class Invitation(models.Model):
    """An owner asks a colleague (by email) to become a co-owner."""

    organisation = models.ForeignKey(
        ClusterOrganisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.email} invited to {self.organisation}"

    @classmethod
    def issue(cls, organisation, email: str, invited_by) -> tuple["Invitation", str]:
        key = secrets.token_urlsafe(32)
        invitation = cls.objects.create(
            organisation=organisation, email=email, digest=_digest(key), invited_by=invited_by
        )
        return invitation, key

    @classmethod
    def find(cls, key: str):
        return cls.objects.filter(digest=_digest(key)).select_related("organisation").first()


class OwnershipClaim(models.Model):
    """A signed-in user says a profile is theirs to keep; a moderator decides."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for a moderator")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    organisation = models.ForeignKey(
        ClusterOrganisation, on_delete=models.CASCADE, related_name="claims"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="claims"
    )
    message = models.TextField(max_length=2000, help_text=_("Who the claimant is, in their words."))
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            # One waiting claim per user and profile, however many requests race.
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=models.Q(state="pending"),
                name="one_pending_claim",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} claims {self.organisation} ({self.state})"


class LanguagePreference(models.Model):
    """The language a user last read the site in: what their mail, digests and agendas
    are written in (accounts/languages.py)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="language_preference"
    )
    language = models.CharField(max_length=10, choices=settings.LANGUAGES)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.user}: {self.language}"
