"""The canonical profile document (DESIGN.md, "JSON contract") and the one declaration
of each of its fields.

One model validates every way a profile comes in: `parse-eccp`, JSON / JSONL / CSV
import, the API, the editor. Keys are fixed; optional scalars are null when absent,
lists empty.

Each field carries a `Spec`: where it sits on the ECCP page, its label as the page writes
it, its kind, its vocabulary, whether full-text search reads it and whether it is a
facet, its JSON-LD property. The parser's label table, the profile page and its print
view, the editor, the admin, the search text, the CSV layout, the JSON-LD mapping, the
field names of the revision history and the directory's facets are all derived from it
(`fields.py`), so a field is declared here and nowhere else.
"""

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Literal

import pycountry
from django.db import models
from django.utils.text import slugify

# Labels are marked for the catalogues but kept in English here: the parser reads ECCP
# pages by them and the API documents by them; pages translate them when they show them.
from django.utils.translation import gettext_noop as _
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    create_model,
    model_validator,
)

from clusterhub.core.text import no_control_characters

from .choices import ContactVisibility, Evidence, MatchStatus, ProgrammeLevel

MAX_NAME = 300
MAX_SHORT = 500
MAX_TEXT = 20_000

# Kinds of field: how a value is parsed, edited, shown and exported.
KINDS = (
    "name",  # the organisation's name: the page's title
    "slug",
    "text",  # one line
    "url",
    "email",
    "telephone",
    "long",  # paragraphs
    "date",
    "int",
    "bool",
    "country",  # an ISO 3166-1 alpha-2 code
    "countries",
    "languages",  # ISO 639-1 codes
    "lines",  # one-line texts
    "texts",  # texts of one or more paragraphs
    "vocab",  # one label of `vocabulary`
    "vocabs",  # labels of `vocabulary`
    "choice",  # one of `choices`
    "years",
    "records",  # a list of objects, whose fields are declared on the item model
    "group",  # an object of declared fields (members, international)
    "provenance",  # said by the platform, not by the profile's authors
)


@dataclass(frozen=True)
class Spec:
    """What one field of the document is, beyond its type.

    `label` is the field's name as the ECCP page writes it (and as pages, the editor,
    the admin and the history show it); `page_labels` are the labels the parser
    recognises for it (default: `label`; a dict names sub-keys, as the programme
    levels); `section` is the ECCP section of a top-level field and `subsection` a
    heading inside it. `facet` is the facet's name when the directory counts the field
    (`facet_key` when two fields feed one facet), and `label_searched` when the words of
    its values' labels find the organisations having them ("Malta", "artificial
    intelligence"); `searchable`: full-text search reads it. `jsonld` is the schema.org
    property it feeds (`jsonld_format` wraps a value).
    """

    label: str
    kind: str = "text"
    section: str | None = None
    subsection: str | None = None
    page_labels: tuple[str, ...] | dict[str, tuple[str, ...]] | None = None
    vocabulary: str | None = None
    choices: type[models.TextChoices] | None = None
    searchable: bool = False
    facet: str | None = None
    facet_key: str | None = None
    label_searched: bool = False
    jsonld: str | None = None
    jsonld_format: str = "{}"
    help: str = ""
    empty: str = "Not stated"
    editable: bool = True

    def __post_init__(self):
        assert self.kind in KINDS, self.kind

    def __get_pydantic_json_schema__(self, schema, handler):
        """The label documents the field in the JSON schema and the OpenAPI document."""
        result = handler(schema)
        result.setdefault("description", self.label)
        return result


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


def _text(max_length: int, min_length: int = 0):
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length),
        AfterValidator(no_control_characters),
    ]


Name = _text(MAX_NAME, 1)
Label = Annotated[_text(MAX_NAME, 1), AfterValidator(_one_line)]
LongLabel = Annotated[_text(1000, 1), AfterValidator(_one_line)]
OptionalShort = Annotated[_text(MAX_SHORT) | None, BeforeValidator(_blank_to_none)]
OptionalLine = Annotated[
    Annotated[_text(MAX_SHORT), AfterValidator(_one_line)] | None, BeforeValidator(_blank_to_none)
]
Text = _text(MAX_TEXT)
OptionalText = Annotated[_text(MAX_TEXT) | None, BeforeValidator(_blank_to_none)]
Labels = Annotated[list[Label], Field(max_length=100), AfterValidator(_unique)]
CountryCode = Annotated[str, AfterValidator(_country_code)]
Countries = Annotated[list[CountryCode], Field(max_length=300), AfterValidator(_unique)]
LanguageCode = Annotated[str, AfterValidator(_language_code)]
Count = Annotated[int | None, Field(ge=0, le=10_000_000)]
Year = Annotated[int, Field(ge=1800, le=2200)]
Slug = Annotated[str, StringConstraints(max_length=200, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NetworkDoc(Strict):
    name: Annotated[Name, Spec(_("Name"))]
    website: Annotated[OptionalShort, Spec(_("Website"), "url")] = None


class TeamMemberDoc(Strict):
    first_name: Annotated[OptionalLine, Spec(_("Name"))] = None
    last_name: Annotated[OptionalLine, Spec(_("Surname"))] = None
    position: Annotated[OptionalLine, Spec(_("Position"))] = None
    telephone: Annotated[OptionalLine, Spec(_("Telephone"), "telephone")] = None
    email: Annotated[OptionalLine, Spec(_("Email"), "email")] = None
    contact_visibility: Annotated[
        Literal[tuple(ContactVisibility.values)],
        Spec(
            _("Who sees the telephone and email"),
            "choice",
            choices=ContactVisibility,
            help=_(
                "Names and positions are public; this person's telephone and email are "
                "shown to whom you choose here."
            ),
        ),
    ] = "members"


class EcosystemActorDoc(Strict):
    name: Annotated[Name, Spec(_("Name"))]
    website: Annotated[OptionalShort, Spec(_("Website"), "url")] = None
    type: Annotated[Label | None, Spec(_("Type"), "vocab", vocabulary="organisation_types")] = None


MEMBER_BANDS = (
    ("1-24", 0, 24),
    ("25-49", 25, 49),
    ("50-99", 50, 99),
    ("100-249", 100, 249),
    ("250-499", 250, 499),
    ("500-999", 500, 999),
    ("1000+", 1000, None),
)


def members_band(total: int | None) -> str | None:
    """The band of a number of members ("25-49"), None when it is not stated."""
    if total is None:
        return None
    return next(
        b for b, low, high in MEMBER_BANDS if total >= low and (high is None or total <= high)
    )


class MembersDoc(Strict):
    total: Annotated[
        Count,
        Spec(
            _("Total number of members"),
            "int",
            facet=_("Number of members"),
            facet_key="members_band",
        ),
    ] = None
    sme: Annotated[Count, Spec(_("Number of SME members"), "int")] = None
    large_companies: Annotated[Count, Spec(_("Number of larger company members"), "int")] = None
    research_organisations: Annotated[
        Count, Spec(_("Number of research organisations/universities/technology centres"), "int")
    ] = None
    other_actors: Annotated[Count, Spec(_("Number of other ecosystem actors"), "int")] = None


class ServiceDoc(Strict):
    service: Annotated[
        Label,
        Spec(
            _("Service"),
            "vocab",
            vocabulary="support_services",
            facet=_("Support service"),
            label_searched=True,
            jsonld="makesOffer",
        ),
    ]
    details: Annotated[
        OptionalText,
        Spec(_("Details"), "long", page_labels=("Details of support services",), searchable=True),
    ] = None


def _cooperation(name: str, heading: str, activities_label: str) -> type[Strict]:
    """The target countries and activities of one scope (international, trans-national):
    the same fields, with the labels and the heading of the page."""
    target_countries = Annotated[
        Countries,
        Spec(
            _("The main countries targeted by the cluster organisation"), "countries",
            subsection=heading, facet=_("Target country"), facet_key="target_countries",
            jsonld="areaServed", empty=_("None"),
        ),
    ]  # fmt: skip
    activities = Annotated[
        Labels,
        Spec(
            activities_label, "vocabs", vocabulary="cooperation_activities",
            subsection=heading, facet=_("Cooperation activity"),
            facet_key="cooperation_activities", empty=_("None"),
        ),
    ]  # fmt: skip
    return create_model(
        name,
        __base__=Strict,
        __doc__=f"{heading}: the countries targeted and the activities undertaken.",
        target_countries=(target_countries, Field(default_factory=list)),
        activities=(activities, Field(default_factory=list)),
    )


InternationalCooperationDoc = _cooperation(
    "InternationalCooperationDoc",
    _("International Cooperation"),
    _(
        "Our cluster organisation undertook the following international activities to "
        "support our members"
    ),
)
TransnationalCooperationDoc = _cooperation(
    "TransnationalCooperationDoc",
    _("Trans-national Cooperation"),
    _(
        "Our cluster organisation undertook the following trans-national activities to "
        "support our members"
    ),
)


class CollaboratingClusterDoc(Strict):
    """An entry of "Which clusters do you collaborate with?", and the directory profile
    it was resolved to (see docs/network.md)."""

    name: Annotated[Name, Spec(_("Name"), searchable=True)]
    location: Annotated[OptionalShort, Spec(_("Location (city, country)"))] = None
    profile: Annotated[
        Slug | None,
        Spec(_("Linked profile"), "provenance"),
        Field(description="Slug of the linked profile in the directory, or null."),
    ] = None
    match_confidence: Annotated[
        Annotated[float, Field(ge=0, le=1)] | None,
        Spec(_("Match confidence"), "provenance"),
        Field(
            description="How sure the link or the candidate is, 0 to 1; null when there is neither."
        ),
    ] = None
    match_status: Annotated[
        Literal[tuple(MatchStatus.values)] | None,
        Spec(_("Match status"), "provenance", choices=MatchStatus),
        Field(
            description="linked (automatically), confirmed (by a person), pending "
            "(`candidate` awaits a moderator or owner), rejected (a person said `candidate` "
            "is not it), unmatched (nothing close enough); null if never resolved."
        ),
    ] = None
    candidate: Annotated[
        Slug | None,
        Spec(_("Proposed profile"), "provenance"),
        Field(description="The profile proposed (pending) or turned down (rejected)."),
    ] = None

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
    level: Annotated[
        Literal[tuple(ProgrammeLevel.values)], Spec(_("Level"), "choice", choices=ProgrammeLevel)
    ]
    programme: Annotated[
        _text(MAX_SHORT, 1),
        Spec(_("Programme"), searchable=True, facet=_("Support programme"), label_searched=True),
    ]
    project: Annotated[OptionalShort, Spec(_("Project"))] = None
    years: Annotated[list[Year], Spec(_("Years"), "years", help=_("For example 2021, 2022."))] = (
        Field(default_factory=list, max_length=100)
    )
    funder: Annotated[OptionalShort, Spec(_("Funder"))] = None
    description: Annotated[OptionalText, Spec(_("Description"), "long")] = None
    link: Annotated[OptionalShort, Spec(_("Link"), "url")] = None


def _evidence_list(value):
    """Documents written before the evidence was a list say one kind as a string."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return [] if value is None else value


class ProfileDoc(Strict):
    """One cluster organisation, as the ECCP profile page tells it."""

    name: Annotated[
        Name, Spec(_("Name of the cluster organisation"), "name", section="general", jsonld="name")
    ]
    slug: Annotated[
        Slug,
        Spec(
            _("Address (slug)"), "slug", help=_("Part of the profile's address; it never changes.")
        ),
    ]
    established: Annotated[
        dt.date | None,
        Spec(
            _("The date when the cluster organisation was established"), "date", section="general",
            page_labels=("The date when the cluster organisation was established", "Established"),
            jsonld="foundingDate",
        ),
    ] = None  # fmt: skip
    management_team_size: Annotated[
        Label | None,
        Spec(
            _("Number of staff in the management team of the cluster organisation"), "vocab",
            section="general", vocabulary="management_team_sizes",
        ),
    ] = None  # fmt: skip
    regions: Annotated[
        Labels,
        Spec(
            _("Regions"), "lines", section="general", page_labels=("Regions", "Region"),
            searchable=True, facet=_("Region"), label_searched=True, jsonld="address.addressRegion",
            help=_("One region per line."),
        ),
    ] = Field(default_factory=list)  # fmt: skip
    country: Annotated[
        CountryCode | None,
        Spec(
            _("Country"),
            "country",
            section="general",
            facet=_("Country"),
            label_searched=True,
            jsonld="address.addressCountry",
        ),
    ] = None
    country_inferred_from: Annotated[
        list[Literal[tuple(Evidence.values)]],
        BeforeValidator(_evidence_list),
        Spec(_("Country inferred from"), "provenance", editable=False),
        Field(
            description="Empty when the page stated the country; else the evidence it was "
            "inferred from (region, telephone, website, language, name)."
        ),
    ] = Field(default_factory=list)
    cluster_excellence_label: Annotated[
        Label | None,
        Spec(
            _("Cluster Excellence Label"), "vocab", section="general", vocabulary="cluster_labels",
            facet=_("Cluster Excellence Label"), label_searched=True, jsonld="award",
            jsonld_format="Cluster Excellence {} Label", empty=_("None"),
        ),
        Field(description="Bronze, Silver or Gold (vocabulary cluster_labels)."),
    ] = None  # fmt: skip
    other_labels: Annotated[
        list[LongLabel],
        Spec(
            _("Other Label"), "lines", section="general", page_labels=("Other Label", "Other Labels"),
            jsonld="award", empty=_("None"), help=_("One label per line."),
        ),
    ] = Field(default_factory=list, max_length=100)  # fmt: skip
    networks: Annotated[
        list[NetworkDoc],
        Spec(
            _("Membership to other networks/partnerships"), "records", section="general",
            jsonld="memberOf", empty=_("None listed."),
        ),
    ] = Field(default_factory=list, max_length=200)  # fmt: skip
    management_team: Annotated[
        list[TeamMemberDoc],
        Spec(
            _("Cluster Management Team"),
            "records",
            section="general",
            jsonld="employee",
            empty=_("None listed."),
        ),
    ] = Field(default_factory=list, max_length=200)
    languages: Annotated[
        list[LanguageCode],
        AfterValidator(_unique),
        Spec(
            _("Languages spoken"), "languages", section="general",
            page_labels=("Languages spoken", "Languages"), facet=_("Language"), jsonld="knowsLanguage",
        ),
    ] = Field(default_factory=list, max_length=100)  # fmt: skip
    sectoral_industries: Annotated[
        Labels,
        Spec(
            _("Sectoral Industries"), "vocabs", section="focus", vocabulary="sectoral_industries",
            facet=_("Sectoral industry"), label_searched=True, jsonld="knowsAbout", empty=_("None"),
        ),
    ] = Field(default_factory=list)  # fmt: skip
    technology_fields: Annotated[
        Labels,
        Spec(
            _("Technology fields"), "vocabs", section="focus", vocabulary="technology_fields",
            facet=_("Technology field"), label_searched=True, jsonld="knowsAbout", empty=_("None"),
        ),
    ] = Field(default_factory=list)  # fmt: skip
    s3_priority_areas: Annotated[
        Labels,
        Spec(
            _("S3 EU priority areas"), "vocabs", section="focus", vocabulary="s3_priority_areas",
            facet=_("S3 priority area"), label_searched=True, jsonld="knowsAbout", empty=_("None"),
        ),
    ] = Field(default_factory=list)  # fmt: skip
    emerging_industries: Annotated[
        Labels,
        Spec(
            _("Emerging industries"), "vocabs", section="focus", vocabulary="emerging_industries",
            facet=_("Emerging industry"), label_searched=True, jsonld="knowsAbout", empty=_("None"),
        ),
    ] = Field(default_factory=list)  # fmt: skip
    industrial_ecosystems: Annotated[
        Labels,
        Spec(
            _("Industrial ecosystems"), "vocabs", section="focus", vocabulary="industrial_ecosystems",
            searchable=True, facet=_("Industrial ecosystem"), label_searched=True, jsonld="knowsAbout", empty=_("None"),
        ),
    ] = Field(default_factory=list)  # fmt: skip
    members: Annotated[MembersDoc, Spec(_("Members"), "group", section="composition")] = Field(
        default_factory=MembersDoc
    )
    entrepreneurship_facilities: Annotated[
        list[EcosystemActorDoc],
        Spec(
            _("Entrepreneurship and scale-up support facilities in the cluster's ecosystem"),
            "records", section="composition",
            page_labels=(
                "Entrepreneurship and scale-up support facilities in the cluster's ecosystem"
                ' (see "Organisation type")',
                "Entrepreneurship and scale-up support facilities in the cluster's ecosystem",
            ),
            empty=_("None listed."),
        ),
    ] = Field(default_factory=list, max_length=500)  # fmt: skip
    major_players: Annotated[
        list[EcosystemActorDoc],
        Spec(
            _("Name and link of major players"),
            "records",
            section="composition",
            empty=_("None listed."),
        ),
    ] = Field(default_factory=list, max_length=500)
    mission: Annotated[
        Text,
        Spec(
            _("Mission"), "long", section="strategy", page_labels=("Mission/Objectives",),
            searchable=True, jsonld="description",
        ),
    ] = ""  # fmt: skip
    objectives: Annotated[
        list[_text(MAX_TEXT, 1)],
        # On the page they follow the mission, under the same label (see the parser).
        Spec(
            _("Objectives"),
            "texts",
            section="strategy",
            page_labels=(),
            searchable=True,
            help=_("One objective per line."),
        ),
    ] = Field(default_factory=list, max_length=100)
    formalised_strategy: Annotated[
        bool | None, Spec(_("Do you have a formalised strategy?"), "bool", section="strategy")
    ] = None
    internationalisation_strategy: Annotated[
        bool | None,
        Spec(
            _("Do you have a specific strategy focus that addresses internationalisation?"), "bool",
            section="strategy",
        ),
    ] = None  # fmt: skip
    services: Annotated[
        list[ServiceDoc],
        Spec(
            _("Support services provided"),
            "records",
            section="services",
            empty=_("No services listed."),
        ),
    ] = Field(default_factory=list, max_length=100)
    international: Annotated[
        InternationalCooperationDoc,
        Spec(_("International Cooperation"), "group", section="cooperation"),
    ] = Field(default_factory=InternationalCooperationDoc)
    transnational: Annotated[
        TransnationalCooperationDoc,
        Spec(_("Trans-national Cooperation"), "group", section="cooperation"),
    ] = Field(default_factory=TransnationalCooperationDoc)
    collaborating_clusters: Annotated[
        list[CollaboratingClusterDoc],
        Spec(
            _("Which clusters do you collaborate with?"),
            "records",
            section="cooperation",
            empty=_("None listed."),
        ),
    ] = Field(default_factory=list, max_length=500)
    programmes: Annotated[
        list[ProgrammeDoc],
        Spec(
            _("Participation in Funded Support Programmes"), "records", section="programmes",
            page_labels={
                "european": ("Participation in Funded Support Programmes",),
                "national": ("Participation in National Funded Support Programmes",),
                "regional": ("Participation in Regional Funded Support Programmes",),
            },
            empty=_("No funded support programmes listed."),
        ),
    ] = Field(default_factory=list, max_length=500)  # fmt: skip
    project_references: Annotated[
        Text,
        Spec(
            _("Relevant Project References"),
            "long",
            section="programmes",
            searchable=True,
            empty=_("None."),
        ),
    ] = ""
    success_story: Annotated[
        Text,
        Spec(
            _("Success Story / Achievements"), "long", section="promotion",
            page_labels=("Success Story / Achievements", "Success Story"), searchable=True,
            empty=_("None."),
        ),
    ] = ""  # fmt: skip
    why_partner: Annotated[
        Text,
        Spec(
            _("Why should partners choose you for cooperation?"),
            "long",
            section="promotion",
            searchable=True,
        ),
    ] = ""
    website: Annotated[
        OptionalShort,
        Spec(
            _("Website"),
            "url",
            section="general",
            page_labels=("Website", "Cluster website", "Web site"),
            jsonld="url",
        ),
    ] = None
    synthetic: Annotated[
        bool,
        Spec(_("Synthetic demo data"), "bool", editable=False),
        Field(description="Generated demo data, not a real cluster."),
    ] = False

    @model_validator(mode="before")
    @classmethod
    def _default_slug(cls, data):
        if isinstance(data, dict) and not data.get("slug") and isinstance(data.get("name"), str):
            data = {**data, "slug": slugify(data["name"])[:200].strip("-") or "cluster"}
        return data
