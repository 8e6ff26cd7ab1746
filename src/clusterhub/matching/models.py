from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from clusterhub.profiles.models import ClusterOrganisation


class ShortlistEntry(models.Model):
    """A cluster a user keeps in mind as a partner, from the partner finder or a profile;
    `saved_for`: the user's own cluster it was proposed to, when it came from there."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        ClusterOrganisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("cluster")
    )
    saved_for = models.ForeignKey(
        ClusterOrganisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("proposed to"),
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_shortlist_entry")
        ]
        verbose_name = _("shortlist entry")
        verbose_name_plural = _("shortlist entries")

    def __str__(self) -> str:
        return f"{self.user} keeps {self.organisation}"
