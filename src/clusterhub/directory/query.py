"""The directory query: what the search box, the facets, the API and the CLI all ask."""

from typing import Annotated, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, create_model

from clusterhub.core.text import no_control_characters

from .facets import FACET_LABELS, FACET_NAMES

# The facets' query parameters and names in the reader's language, in the order pages
# list them; the API documents them by their English labels.
FACETS = FACET_NAMES
SORTS = ("relevance", "name", "members", "established", "updated")

Words = Annotated[
    str,
    StringConstraints(max_length=200),
    AfterValidator(no_control_characters),
    Field(description="Words to search for"),
]
Value = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(no_control_characters),
]
Values = Annotated[list[Value], Field(max_length=50)]


class _Filters(BaseModel):
    """What every query of the directory shares; the facets are added from FACETS."""

    model_config = ConfigDict(extra="forbid")
    # The repeatable parameters: the directory's facets (other lists name theirs).
    FACET_KEYS: ClassVar[tuple[str, ...]] = tuple(FACETS)

    q: Words = ""

    def selected(self) -> dict[str, list[str]]:
        return {key: getattr(self, key) for key in self.FACET_KEYS if getattr(self, key)}

    @classmethod
    def from_pairs(cls, pairs, ignore_unknown: bool = False):
        """From (key, value) pairs as in a query string: facet keys repeat, others once.

        Raises pydantic's ValidationError naming the key; unknown keys are an error
        unless `ignore_unknown` (a web page ignores tracking parameters and the like).
        """
        data: dict = {}
        for key, value in pairs:
            if value == "" and key in cls.model_fields:
                continue  # an empty form field ("Any" in a menu) means "not set"
            if key in cls.FACET_KEYS or key == "expand":
                data.setdefault(key, []).append(value)
            elif key in cls.model_fields:
                data[key] = value
            elif not ignore_unknown:
                data[key] = value  # refused by validation, with the key named
        return cls.model_validate(data)

    def to_pairs(self) -> list[tuple[str, str]]:
        """The query string pairs of this query, defaults left out."""
        pairs = []
        for key, field in type(self).model_fields.items():
            value = getattr(self, key)
            if value == field.default or value == []:
                continue
            values = value if isinstance(value, list) else [value]
            pairs.extend((key, str(v)) for v in values)
        return pairs


DirectoryFilters = create_model(
    "DirectoryFilters",
    __base__=_Filters,
    __doc__="""Words, facet filters (OR within a facet, AND across facets) and ranges: what
    selects organisations, for the directory and for the partner finder alike.""",
    **{
        key: (Values, Field(default=[], description=f"{label}: values as the facet lists them"))
        for key, label in FACET_LABELS.items()
    },
    members_min=(Annotated[int, Field(ge=0)] | None, None),
    members_max=(Annotated[int, Field(ge=0)] | None, None),
    established_from=(Annotated[int, Field(ge=1800, le=2200)] | None, None),
    established_to=(Annotated[int, Field(ge=1800, le=2200)] | None, None),
)


class DirectoryQuery(DirectoryFilters):
    """The filters, with an order and a page of results and facet counts."""

    sort: Literal[SORTS] = "relevance"
    page: Annotated[int, Field(ge=1, le=100_000)] = 1
    page_size: Annotated[int, Field(ge=1, le=100)] = 20
    facet_limit: Annotated[int, Field(ge=1, le=1000)] = 10
    expand: Annotated[list[Literal[tuple(FACETS)]], Field(max_length=len(FACETS))] = []


class SearchItem(BaseModel):
    slug: str
    name: str
    country: str | None
    regions: list[str]
    sectoral_industries: list[str]
    cluster_excellence_label: str | None
    members: int | None = Field(description="Total number of members")
    snippet: str | None = Field(description="HTML: matched words in <mark>, the rest escaped")
    score: float | None = Field(
        description="Relevance: higher is better; null unless searching words"
    )
    synthetic: bool = Field(False, description="A made-up demo profile, not a real cluster")


class FacetValue(BaseModel):
    value: str
    label: str
    count: int
    selected: bool = False


class Facet(BaseModel):
    values: list[FacetValue]
    truncated: bool
    timed_out: bool


class DirectoryResult(BaseModel):
    total: int
    page: int
    page_size: int
    items: list[SearchItem]
    facets: dict[str, Facet]
    suggestion: str | None = Field(
        default=None, description="When nothing matches: the words likely meant, if they find"
    )
