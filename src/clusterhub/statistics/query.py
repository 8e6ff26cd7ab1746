"""What `/statistics/` and `/api/statistics` answer: counts of the organisations a
directory query selects (the same filters, `DirectoryFilters`), breakdown by breakdown."""

from typing import Literal

from django.utils.translation import gettext_lazy as _
from geojson_pydantic import Feature, FeatureCollection, MultiPolygon, Point, Polygon
from pydantic import BaseModel, Field

# What the statistics break the selection down by, in the order pages show them: the
# facets are counted from the directory's own facet index, the founding years from its
# years; collaborations across borders come last.
BREAKDOWNS: tuple[str, ...] = (
    "country",
    "regions",
    "sectoral_industries",
    "emerging_industries",
    "cluster_excellence_label",
    "established",
    "members_band",
    "members_by_type",
    "programmes",
)
BREAKDOWN_TITLES = {
    "country": _("Clusters by country"),
    "regions": _("Clusters by region"),
    "sectoral_industries": _("Clusters by sectoral industry"),
    "emerging_industries": _("Clusters by emerging industry"),
    "cluster_excellence_label": _("Clusters by Cluster Excellence Label"),
    "members_band": _("Clusters by number of members"),
    "programmes": _("Support programmes most taken part in"),
    "established": _("Clusters by founding year"),
    "members_by_type": _("Members by type"),
    "collaborations_across_borders": _("Collaborations across borders"),
}


# Members by type: the members of each kind (`MEMBER_TYPES`) summed over the selection.
MEMBER_TYPE_LABELS = {
    "sme": _("SMEs"),
    "large_companies": _("Large companies"),
    "research_organisations": _("Research organisations, universities, technology centres"),
    "other_actors": _("Other ecosystem actors"),
}


class Count(BaseModel):
    value: str = Field(
        description="The directory filter's value (`country=ES`), the year, or the kind of member"
    )
    label: str
    count: int = Field(
        description="Organisations of the selection having it; for members by type, the "
        "members of that kind of the organisations stating it"
    )


class Breakdown(BaseModel):
    key: str
    title: str
    counts: list[Count] = Field(description="Largest first; years, member bands and kinds in order")
    not_stated: int = Field(
        description="Organisations of the selection stating none; for collaborations across "
        "borders, the collaborations within one country or with one stating none"
    )


class Statistics(BaseModel):
    clusters: int = Field(description="Published organisations the filters select")
    countries: int = Field(description="Countries they are in")
    collaborations: int = Field(
        description="Pairs of them that collaborate (a confirmed or linked entry of either "
        "names the other)"
    )
    breakdowns: list[Breakdown]


class Place(BaseModel):
    value: str = Field(description="The directory filter's value: `country=ES`, `regions=Galicia`")
    label: str
    count: int = Field(description="Organisations of the selection there")
    names: list[str] = Field(description="The first of their names, alphabetically")


class RegionPlace(Place):
    country: str = Field(description="ISO 3166-1 alpha-2 code of the region's country")
    subdivision: str = Field(description="The ISO 3166-2 subdivision it is placed at")
    latitude: float
    longitude: float


class MapData(BaseModel):
    clusters: int = Field(description="Published organisations the filters select")
    countries: list[Place] = Field(description="Largest first")
    regions: list[RegionPlace] = Field(description="The regions placed on the map, largest first")
    regions_not_placed: list[Place] = Field(
        description="Regions named by the selection that no ISO 3166-2 subdivision matches"
    )


class CountryProperties(Place):
    kind: Literal["country"] = "country"
    directory: str = Field(description="The directory's address, filtered to the country")


class RegionProperties(RegionPlace):
    kind: Literal["region"] = "region"
    directory: str = Field(description="The directory's address, filtered to the region")


class CountryFeature(Feature[Polygon | MultiPolygon, CountryProperties]):
    """A country of the selection: its shape (Natural Earth 1:50m; null for a country it
    does not draw) and its count."""


class RegionFeature(Feature[Point, RegionProperties]):
    """A region of the selection, at its ISO 3166-2 subdivision's coordinates."""


class MapFeatures(FeatureCollection[CountryFeature | RegionFeature]):
    """The map's data as GeoJSON: the countries of the selection, then its regions."""
