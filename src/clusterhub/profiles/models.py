"""Cluster organisation profiles: one row per organisation, one row per list entry.

Every list on an ECCP profile page is stored as its own rows with an `order`, so
the page comes back in the order it was written. The mapping to and from the
canonical JSON document lives in `document.py` and nowhere else.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clusterhub.vocab.models import Term

from .choices import ContactVisibility, CooperationScope, MatchStatus, ProgrammeLevel, Status
from .schema import MAX_NAME, MAX_SHORT, MAX_TEXT

__all__ = ["CooperationScope", "MatchStatus", "ProgrammeLevel", "Status"]


class ClusterOrganisation(models.Model):
    name = models.CharField(max_length=MAX_NAME)
    slug = models.SlugField(max_length=200, unique=True)
    established = models.DateField(null=True, blank=True)
    management_team_size = models.ForeignKey(
        Term,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": "management_team_sizes"},
    )
    country = models.CharField(
        max_length=2, blank=True, db_index=True, help_text=_("ISO 3166-1 alpha-2")
    )
    country_inferred_from = models.CharField(
        max_length=100,
        blank=True,
        help_text=_(
            "Empty when the page stated the country; else the evidence it was inferred from."
        ),
    )
    cluster_excellence_label = models.ForeignKey(
        Term,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": "cluster_labels"},
    )
    website = models.CharField(max_length=MAX_SHORT, blank=True)
    members_total = models.PositiveIntegerField(null=True, blank=True)
    members_sme = models.PositiveIntegerField(null=True, blank=True)
    members_large_companies = models.PositiveIntegerField(null=True, blank=True)
    members_research_organisations = models.PositiveIntegerField(null=True, blank=True)
    members_other_actors = models.PositiveIntegerField(null=True, blank=True)
    mission = models.TextField(blank=True, max_length=MAX_TEXT)
    formalised_strategy = models.BooleanField(null=True, blank=True)
    internationalisation_strategy = models.BooleanField(null=True, blank=True)
    project_references = models.TextField(blank=True, max_length=MAX_TEXT)
    success_story = models.TextField(blank=True, max_length=MAX_TEXT)
    why_partner = models.TextField(blank=True, max_length=MAX_TEXT)
    synthetic = models.BooleanField(
        default=False, db_index=True, help_text=_("Generated demo data, not a real organisation.")
    )
    terms = models.ManyToManyField(Term, through="ProfileTerm", related_name="organisations")
    # A new profile is a draft unless its writer says otherwise (an import states the
    # status it gives): nothing becomes public by default.
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    review_note = models.TextField(
        blank=True, max_length=2000, help_text=_("The moderator's reason when returned.")
    )
    # Every change adds one, and has its revision; an edit names the version it started
    # from. With an edit waiting for review, it is the version of that edit.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("profiles:detail", args=[self.slug])

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED


class ProfileRow(models.Model):
    """A list entry of a profile; `order` keeps the page's order."""

    order = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["order"]


class ProfileTerm(ProfileRow):
    """A classification of the profile: sectoral industry, technology field, S3 area, …

    The term's vocabulary says which list of the document it belongs to.
    """

    organisation = models.ForeignKey(
        ClusterOrganisation, on_delete=models.CASCADE, related_name="profile_terms"
    )
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="profile_terms")

    class Meta(ProfileRow.Meta):
        # Facet counts come from the directory's in-memory index, so no (term, organisation)
        # index: on a 100,000-profile import its random-order writes cost more than it saves.
        constraints = [
            models.UniqueConstraint(fields=["organisation", "term"], name="profileterm_unique")
        ]

    def __str__(self) -> str:
        return str(self.term)


class Region(ProfileRow):
    organisation = models.ForeignKey(
        ClusterOrganisation, on_delete=models.CASCADE, related_name="regions"
    )
    name = models.CharField(max_length=MAX_NAME)

    def __str__(self) -> str:
        return self.name


class Language(ProfileRow):
    organisation = models.ForeignKey(
        ClusterOrganisation, on_delete=models.CASCADE, related_name="languages"
    )
    code = models.CharField(max_length=2, help_text=_("ISO 639-1"))

    def __str__(self) -> str:
        return self.code


class OtherLabel(ProfileRow):
    organisation = models.ForeignKey(
        ClusterOrganisation, on_delete=models.CASCADE, related_name="other_labels"
    )
    text = models.CharField(max_length=1000)

    def __str__(self) -> str:
        return self.text


class Network(ProfileRow):
    """Membership to other networks/partnerships."""

    organisation = models.ForeignKey(
        ClusterOrganisation, on_delete=models.CASCADE, related_name="networks"
    )
    name = models.CharField(max_length=MAX_NAME)
    website = models.CharField(max_length=MAX_SHORT, blank=True)

    def __str__(self) -> str:
        return self.name


class TeamMember(ProfileRow):
    """A person of the cluster management team."""

    organisation = models.ForeignKey(
        ClusterOrganisation, on_delete=models.CASCADE, related_name="management_team"
    )
    first_name = models.CharField(max_length=MAX_SHORT, blank=True)
    last_name = models.CharField(max_length=MAX_SHORT, blank=True)
    position = models.CharField(max_length=MAX_SHORT, blank=True)
    telephone = models.CharField(max_length=MAX_SHORT, blank=True)
    email = models.CharField(max_length=MAX_SHORT, blank=True)
    contact_visibility = models.CharField(
        max_length=10, choices=ContactVisibility.choices, default=ContactVisibility.MEMBERS
    )

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class EcosystemActor(ProfileRow):
    name = models.CharField(max_length=MAX_NAME)
    website = models.CharField(max_length=MAX_SHORT, blank=True)
    type = models.ForeignKey(
        Term,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": "organisation_types"},
    )

    class Meta(ProfileRow.Meta):
        abstract = True

    def __str__(self) -> str:
        return self.name


class EntrepreneurshipFacility(EcosystemActor):
    """Entrepreneurship and scale-up support facilities in the cluster's ecosystem."""

    organisation = models.ForeignKey(
        ClusterOrganisation, on_delete=models.CASCADE, related_name="entrepreneurship_facilities"
    )

    class Meta(EcosystemActor.Meta):
        verbose_name_plural = "entrepreneurship facilities"


class MajorPlayer(EcosystemActor):
    organisation = models.ForeignKey(
        ClusterOrganisation, on_delete=models.CASCADE, related_name="major_players"
    )


class Objective(ProfileRow):
    organisation = models.ForeignKey(
        ClusterOrganisation, on_delete=models.CASCADE, related_name="objectives"
    )
    text = models.TextField(max_length=MAX_TEXT)

    def __str__(self) -> str:
        return self.text[:80]


class Service(ProfileRow):
    """A support service provided, with its details paragraph."""

    organisation = models.ForeignKey(
        ClusterOrganisation, on_delete=models.CASCADE, related_name="services"
    )
    service = models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": "support_services"},
    )
    details = models.TextField(blank=True, max_length=MAX_TEXT)

    def __str__(self) -> str:
        return str(self.service)


class TargetCountry(ProfileRow):
    """A country the cluster organisation targets for cooperation."""

    organisation = models.ForeignKey(
        ClusterOrganisation, on_delete=models.CASCADE, related_name="target_countries"
    )
    scope = models.CharField(max_length=20, choices=CooperationScope.choices)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2")

    class Meta(ProfileRow.Meta):
        verbose_name_plural = "target countries"

    def __str__(self) -> str:
        return self.country


class CooperationActivity(ProfileRow):
    organisation = models.ForeignKey(
        ClusterOrganisation, on_delete=models.CASCADE, related_name="cooperation_activities"
    )
    scope = models.CharField(max_length=20, choices=CooperationScope.choices)
    activity = models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": "cooperation_activities"},
    )

    class Meta(ProfileRow.Meta):
        verbose_name_plural = "cooperation activities"

    def __str__(self) -> str:
        return str(self.activity)


class CollaboratingCluster(ProfileRow):
    """An entry of "Which clusters do you collaborate with?", as written, and the profile
    it names when the network app could resolve it (network/resolution.py)."""

    organisation = models.ForeignKey(
        ClusterOrganisation, on_delete=models.CASCADE, related_name="collaborating_clusters"
    )
    name = models.CharField(max_length=MAX_NAME)
    location = models.CharField(max_length=MAX_SHORT, blank=True)
    profile = models.ForeignKey(
        ClusterOrganisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="named_as_collaborator",
    )
    match_confidence = models.FloatField(null=True, blank=True)
    match_status = models.CharField(max_length=20, choices=MatchStatus.choices, blank=True)
    candidate = models.ForeignKey(
        ClusterOrganisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return self.name


class Programme(ProfileRow):
    """Participation in a funded support programme."""

    organisation = models.ForeignKey(
        ClusterOrganisation, on_delete=models.CASCADE, related_name="programmes"
    )
    level = models.CharField(max_length=20, choices=ProgrammeLevel.choices)
    programme = models.CharField(max_length=MAX_SHORT)
    project = models.CharField(max_length=MAX_SHORT, blank=True)
    years = models.JSONField(default=list, blank=True)
    funder = models.CharField(max_length=MAX_SHORT, blank=True)
    description = models.TextField(blank=True, max_length=MAX_TEXT)
    link = models.CharField(max_length=MAX_SHORT, blank=True)

    def __str__(self) -> str:
        return self.programme


class PendingVersion(models.Model):
    """An edit of a published profile waiting for a moderator, while the published
    document stays public. Its version is the profile's `version`."""

    organisation = models.OneToOneField(
        ClusterOrganisation, on_delete=models.CASCADE, related_name="pending_version"
    )
    document = models.JSONField(help_text=_("The canonical document as edited."))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.organisation} v{self.organisation.version} (waiting for review)"
