"""The canonical profile document (DESIGN.md, "JSON contract") as pydantic models.

One model validates every way a profile comes in: `parse-eccp`, JSON / JSONL / CSV
import, the API. Keys are fixed; optional scalars are null when absent, lists empty.
"""

import datetime as dt
import re
from functools import cache
from typing import Annotated, Literal

import pycountry
from django.utils.text import slugify
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

MAX_TEXT = 20_000


def _blank_to_none(value):
    if isinstance(value, str) and not value.strip():
        return None
    return value


@cache
def _country_code(value: str) -> str:
    code = value.strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
    return code


@cache
def _language_code(value: str) -> str:
    code = value.strip().lower()
    if len(code) != 2 or pycountry.languages.get(alpha_2=code) is None:
        raise ValueError(f"{value!r} is not an ISO 639-1 language code")
    return code


def _one_line(value: str) -> str:
    if "\n" in value or "\r" in value:
        raise ValueError("must be a single line")
    return value


def _unique(values: list[str]) -> list[str]:
    """Drop repeats (vocabulary labels match regardless of case)."""
    if len(values) < 2:
        return values
    folded = [v.casefold() for v in values]
    if len(set(folded)) == len(folded):  # the usual case
        return values
    seen: set[str] = set()
    return [v for v, f in zip(values, folded, strict=True) if not (f in seen or seen.add(f))]


Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Label = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=300),
    AfterValidator(_one_line),
]
LongLabel = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=1000),
    AfterValidator(_one_line),
]
OptionalShort = Annotated[
    Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None,
    BeforeValidator(_blank_to_none),
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_TEXT)]
OptionalText = Annotated[
    Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_TEXT)] | None,
    BeforeValidator(_blank_to_none),
]
Labels = Annotated[list[Label], Field(max_length=100), AfterValidator(_unique)]
CountryCode = Annotated[str, AfterValidator(_country_code)]
LanguageCode = Annotated[str, AfterValidator(_language_code)]
Count = Annotated[int | None, Field(ge=0, le=10_000_000)]
Year = Annotated[int, Field(ge=1800, le=2200)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NetworkDoc(Strict):
    name: Name
    website: OptionalShort = None


class TeamMemberDoc(Strict):
    first_name: OptionalShort = None
    last_name: OptionalShort = None
    position: OptionalShort = None
    telephone: OptionalShort = None
    email: OptionalShort = None


class EcosystemActorDoc(Strict):
    name: Name
    website: OptionalShort = None
    type: Label | None = None


class MembersDoc(Strict):
    total: Count = None
    sme: Count = None
    large_companies: Count = None
    research_organisations: Count = None
    other_actors: Count = None


class ServiceDoc(Strict):
    service: Label
    details: OptionalText = None


class CooperationDoc(Strict):
    target_countries: Annotated[
        list[CountryCode], Field(max_length=300), AfterValidator(_unique)
    ] = Field(default_factory=list)
    activities: Labels = Field(default_factory=list)


MatchStatus = Literal["linked", "confirmed", "pending", "rejected", "unmatched"]
Slug = Annotated[str, StringConstraints(max_length=200, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]


class CollaboratingClusterDoc(Strict):
    """An entry of "Which clusters do you collaborate with?", and the directory profile
    it was resolved to (see docs/network.md)."""

    name: Name
    location: OptionalShort = None
    profile: Slug | None = Field(
        default=None, description="Slug of the linked profile in the directory, or null."
    )
    match_confidence: Annotated[float, Field(ge=0, le=1)] | None = Field(
        default=None,
        description="How sure the link or the candidate is, 0 to 1; null when there is neither.",
    )
    match_status: MatchStatus | None = Field(
        default=None,
        description="linked (automatically), confirmed (by a person), pending (`candidate` "
        "awaits a moderator or owner), rejected (a person said `candidate` is not it), "
        "unmatched (nothing close enough); null if never resolved.",
    )
    candidate: Slug | None = Field(
        default=None, description="The profile proposed (pending) or turned down (rejected)."
    )

    @model_validator(mode="after")
    def _consistent(self):
        if self.profile and self.match_status is None:
            # A link given by hand (an owner's PUT) is a person's confirmation.
            self.match_status = "confirmed"
            self.match_confidence = 1.0 if self.match_confidence is None else self.match_confidence
        linked = self.match_status in ("linked", "confirmed")
        if linked != bool(self.profile):
            raise ValueError("profile is set exactly when match_status is linked or confirmed")
        if self.candidate and self.match_status not in ("pending", "rejected"):
            raise ValueError("candidate is set only when match_status is pending or rejected")
        if self.match_status == "pending" and not self.candidate:
            raise ValueError("a pending match needs its candidate")
        return self


class ProgrammeDoc(Strict):
    level: Literal["european", "national", "regional"]
    programme: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)
    ]
    project: OptionalShort = None
    years: list[Year] = Field(default_factory=list, max_length=100)
    funder: OptionalShort = None
    description: OptionalText = None
    link: OptionalShort = None


class ProfileDoc(Strict):
    """One cluster organisation, as the ECCP profile page tells it."""

    name: Name
    slug: Slug
    established: dt.date | None = None
    management_team_size: Label | None = None
    regions: Labels = Field(default_factory=list)
    country: CountryCode | None = None
    country_inferred_from: Literal["region", "telephone"] | None = Field(
        default=None,
        description="Null when the country was stated; else what it was inferred from.",
    )
    cluster_excellence_label: Label | None = Field(
        default=None, description="Bronze, Silver or Gold (vocabulary cluster_labels)."
    )
    other_labels: list[LongLabel] = Field(default_factory=list, max_length=100)
    networks: list[NetworkDoc] = Field(default_factory=list, max_length=200)
    management_team: list[TeamMemberDoc] = Field(default_factory=list, max_length=200)
    languages: Annotated[list[LanguageCode], Field(max_length=100), AfterValidator(_unique)] = (
        Field(default_factory=list)
    )
    sectoral_industries: Labels = Field(default_factory=list)
    technology_fields: Labels = Field(default_factory=list)
    s3_priority_areas: Labels = Field(default_factory=list)
    emerging_industries: Labels = Field(default_factory=list)
    members: MembersDoc = Field(default_factory=MembersDoc)
    entrepreneurship_facilities: list[EcosystemActorDoc] = Field(
        default_factory=list, max_length=500
    )
    major_players: list[EcosystemActorDoc] = Field(default_factory=list, max_length=500)
    mission: Text = ""
    objectives: list[
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)]
    ] = Field(default_factory=list, max_length=100)
    formalised_strategy: bool | None = None
    internationalisation_strategy: bool | None = None
    services: list[ServiceDoc] = Field(default_factory=list, max_length=100)
    international: CooperationDoc = Field(default_factory=CooperationDoc)
    transnational: CooperationDoc = Field(default_factory=CooperationDoc)
    collaborating_clusters: list[CollaboratingClusterDoc] = Field(
        default_factory=list, max_length=500
    )
    programmes: list[ProgrammeDoc] = Field(default_factory=list, max_length=500)
    project_references: Text = ""
    success_story: Text = ""
    why_partner: Text = ""
    website: OptionalShort = None
    synthetic: bool = Field(default=False, description="Generated demo data, not a real cluster.")

    @model_validator(mode="before")
    @classmethod
    def _default_slug(cls, data):
        if isinstance(data, dict) and not data.get("slug") and isinstance(data.get("name"), str):
            data = {**data, "slug": slugify(data["name"])[:200].strip("-") or "cluster"}
        return data


def format_validation_error(exc) -> str:
    """A pydantic ValidationError as one line: `key.path: message; …`."""
    parts = []
    for error in exc.errors():
        loc = ".".join(str(p) for p in error["loc"]) or "document"
        loc = re.sub(r"\.(\d+)", r"[\1]", loc)
        message = error["msg"].removeprefix("Value error, ")
        parts.append(f"{loc}: {message}")
    return "; ".join(parts)
