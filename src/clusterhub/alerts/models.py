"""What a user asked to be told about: saved searches and followed profiles."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from clusterhub.profiles.models import ClusterOrganisation


class SavedSearch(models.Model):
    class Kind(models.TextChoices):
        CLUSTERS = "clusters", _("Cluster organisations")
        OPPORTUNITIES = "opportunities", _("Partnership opportunities")
        CALLS = "calls", _("Funding calls")

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("As soon as there is something new")
        WEEKLY = "weekly", _("In the weekly digest")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=200)
    query = models.CharField(max_length=2000, blank=True, help_text=_("The list's query string."))
    frequency = models.CharField(max_length=20, choices=Frequency.choices, default=Frequency.WEEKLY)
    created_at = models.DateTimeField(auto_now_add=True)
    # What was new until this moment has been told.
    told_until = models.DateTimeField()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProfileFollow(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        ClusterOrganisation, on_delete=models.CASCADE, related_name="followers"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_profile_follow")
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.organisation}"


class Digest(models.Model):
    """When a user was last sent their weekly digest (followed profiles are told in it)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_until = models.DateTimeField()

    def __str__(self) -> str:
        return f"digest of {self.user} until {self.sent_until}"
