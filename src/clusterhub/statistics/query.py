"""What `/statistics/` and `/api/statistics` answer: counts of the organisations a
directory query selects (the same filters, `DirectoryFilters`), breakdown by breakdown."""

from django.utils.translation import gettext_lazy as _
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
    "collaborations_across_borders": _("Collaborations across borders"),
}


class Count(BaseModel):
    value: str = Field(description="The directory filter's value (`country=ES`), or the year")
    label: str
    count: int = Field(description="Organisations of the selection having it")


class Breakdown(BaseModel):
    key: str
    title: str
    counts: list[Count] = Field(description="Largest first; years in order")
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
