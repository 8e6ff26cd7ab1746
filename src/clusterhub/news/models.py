"""News and events a cluster posts on its profile, published once a moderator agrees."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterhub.profiles.models import ClusterOrganisation


class NewsItem(models.Model):
    class Kind(models.TextChoices):
        NEWS = "news", _("News")
        EVENT = "event", _("Event")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for review")
        PUBLISHED = "published", _("Published")
        RETURNED = "returned", _("Returned")

    organisation = models.ForeignKey(
        ClusterOrganisation, on_delete=models.CASCADE, related_name="news"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.NEWS)
    title = models.CharField(max_length=200)
    text = models.TextField(max_length=5000)
    date = models.DateField(
        default=timezone.localdate, help_text=_("The day of the news, or of the event.")
    )
    link = models.URLField(max_length=500, blank=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True
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
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("news:detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED
