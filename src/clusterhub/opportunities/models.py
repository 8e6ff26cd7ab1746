"""Partnership opportunities: offers, requests and partner searches a cluster posts."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterhub.calls.models import FundingCall
from clusterhub.profiles.models import ClusterOrganisation
from clusterhub.vocab.models import Term

# How long an opportunity stays open unless its owner says otherwise, and at most.
OPEN_DAYS = 90
MAX_OPEN_DAYS = 366


def default_expiry():
    return timezone.localdate() + timedelta(days=OPEN_DAYS)


class Opportunity(models.Model):
    class Kind(models.TextChoices):
        OFFER = "offer", _("Offer")
        REQUEST = "request", _("Request")
        PARTNER_SEARCH = "partner_search", _("Partner search for a funding call")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        PUBLISHED = "published", _("Published")
        RETURNED = "returned", _("Returned")
        EXPIRED = "expired", _("Expired")
        ARCHIVED = "archived", _("Archived")

    organisation = models.ForeignKey(
        ClusterOrganisation, on_delete=models.CASCADE, related_name="opportunities"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    summary = models.TextField(max_length=1000)
    details = models.TextField(
        max_length=5000, blank=True, help_text=_("What is offered or sought, in detail.")
    )
    terms = models.ManyToManyField(Term, blank=True, related_name="opportunities")
    target_countries = models.JSONField(default=list, blank=True)
    call = models.CharField(
        max_length=300, blank=True, help_text=_("The funding call it is for, if any.")
    )
    # The call of the platform's list whose identifier `call` gives, if there is one.
    funding_call = models.ForeignKey(
        FundingCall, null=True, blank=True, on_delete=models.SET_NULL, related_name="opportunities"
    )
    deadline = models.DateField(null=True, blank=True)
    expires_on = models.DateField(default=default_expiry)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    review_note = models.TextField(blank=True, max_length=2000)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name_plural = "opportunities"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("opportunities:detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Follow(models.Model):
    """A user is told when the opportunity changes."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "opportunity"], name="one_follow")]

    def __str__(self) -> str:
        return f"{self.user} follows {self.opportunity}"
