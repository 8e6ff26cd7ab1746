"""Funding calls: what programmes fund, and until when."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterhub.vocab.models import Term

POST_CALLS = "calls.post_calls"


class FundingCall(models.Model):
    class Kind(models.TextChoices):
        EU = "eu", _("EU programme")
        NATIONAL = "national", _("National")
        REGIONAL = "regional", _("Regional")
        CASCADE = "cascade", _("Cascade funding")

    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class State(models.TextChoices):
        """Where a published call stands today, from its dates."""

        OPEN = "open", _("Open")
        UPCOMING = "upcoming", _("Opening soon")
        CLOSED = "closed", _("Closed")

    identifier = models.CharField(
        max_length=120,
        help_text=_("The programme's identifier of the call, e.g. HORIZON-CL4-2027-TWIN-01."),
    )  # fmt: skip
    programme = models.CharField(max_length=200)
    title = models.CharField(max_length=300)
    summary = models.TextField(max_length=3000)
    link = models.URLField(max_length=500)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    opens_on = models.DateField(null=True, blank=True)
    closes_on = models.DateField(null=True, blank=True, db_index=True)
    eligible_countries = models.JSONField(default=list, blank=True)
    terms = models.ManyToManyField(Term, blank=True, related_name="funding_calls")
    budget_eur = models.PositiveBigIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PUBLISHED, db_index=True
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["closes_on", "id"]
        # One call per identifier, whatever the case: `horizon-…` is `HORIZON-…`.
        constraints = [models.UniqueConstraint(Lower("identifier"), name="one_call_per_identifier")]
        permissions = [("post_calls", "Can post funding calls")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("calls:detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def state(self, today=None) -> str:
        today = today or timezone.localdate()
        if self.closes_on and self.closes_on < today:
            return self.State.CLOSED
        if self.opens_on and self.opens_on > today:
            return self.State.UPCOMING
        return self.State.OPEN

    def get_state_display(self) -> str:
        return str(self.State(self.state()).label)
