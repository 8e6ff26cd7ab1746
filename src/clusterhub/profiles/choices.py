"""The closed sets of values of the profile core, each written once.

The models' `choices`, the document's `Literal` types, the editor's menus and the API
schema all take them from here.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """Where a profile is in moderation; only published profiles are public."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    PUBLISHED = "published", _("Published")
    RETURNED = "returned", _("Returned to the owners")
    ARCHIVED = "archived", _("Archived")


class MatchStatus(models.TextChoices):
    """How an entry of "Which clusters do you collaborate with?" was resolved."""

    LINKED = "linked", _("Linked automatically")
    CONFIRMED = "confirmed", _("Confirmed by a person")
    PENDING = "pending", _("Awaiting confirmation")
    REJECTED = "rejected", _("Turned down by a person")
    UNMATCHED = "unmatched", _("Not in the directory")


# Statuses of an entry that link it to a profile.
LINKED = (MatchStatus.LINKED, MatchStatus.CONFIRMED)


class ProgrammeLevel(models.TextChoices):
    EUROPEAN = "european", _("European")
    NATIONAL = "national", _("National")
    REGIONAL = "regional", _("Regional")


class CooperationScope(models.TextChoices):
    INTERNATIONAL = "international", _("International (beyond Europe)")
    TRANSNATIONAL = "transnational", _("Trans-national (within Europe)")


class ContactVisibility(models.TextChoices):
    """Who sees a management team member's telephone and email (names and positions are
    public). Owners and moderators always do."""

    EVERYONE = "everyone", _("Everyone")
    MEMBERS = "members", _("Signed-in members")
    NOBODY = "nobody", _("Nobody but the profile's owners and the moderators")


class Evidence(models.TextChoices):
    """What a country not stated on the page was inferred from."""

    REGION = "region", _("region")
    TELEPHONE = "telephone", _("telephone")
    WEBSITE = "website", _("website")
    LANGUAGE = "language", _("language")
    NAME = "name", _("name")
