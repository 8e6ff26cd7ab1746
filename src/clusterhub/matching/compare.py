"""Two to four cluster organisations side by side, field by field, with what they share
marked: the partner finder's and the directory's comparison."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from clusterhub.accounts.privacy import visible_profile
from clusterhub.core.errors import Invalid
from clusterhub.core.places import country_label, language_label, region_label
from clusterhub.profiles.fields import BY_PATH
from clusterhub.profiles.schema import ProfileDoc
from clusterhub.vocab.translations import term_label

MOST = 4
# The fields compared, as the profile page names them; records by their names.
COMPARED = (
    "country", "regions", "cluster_excellence_label", "established", "members.total",
    "members.sme", "members.research_organisations", "sectoral_industries",
    "technology_fields", "s3_priority_areas", "emerging_industries", "industrial_ecosystems",
    "services", "international.target_countries", "transnational.target_countries",
    "programmes", "languages",
)  # fmt: skip


@dataclass
class Cell:
    items: list[str]
    shared: set[str]  # the items another compared cluster has too


@dataclass
class Row:
    label: str
    cells: list[Cell]


def _values(doc: ProfileDoc, path: str) -> list[str]:
    """The values of one compared field, as the reader reads them."""
    data = doc
    for part in path.split("."):
        data = getattr(data, part, None)
    if path == "services":
        return [term_label(s.service) for s in data or []]
    if path == "programmes":
        return list(dict.fromkeys(p.programme for p in data or []))
    if path == "established":
        return [str(data.year)] if data else []
    values = data if isinstance(data, list) else ([] if data in (None, "") else [data])
    if path == "country" or path.endswith("target_countries"):
        return [country_label(v) for v in values]
    if path == "languages":
        return [language_label(v) for v in values]
    if path == "regions":
        return [region_label(v) for v in values]
    return [term_label(str(v)) for v in values]


def compare(user, slugs: list[str]) -> tuple[list[ProfileDoc], list[Row]]:
    """The profiles of `slugs` (2 to 4, each one the user may see: NotFound otherwise)
    and one row per compared field that any of them fills."""
    slugs = list(dict.fromkeys(s for s in slugs if s))
    if not 2 <= len(slugs) <= MOST:
        raise Invalid(_("choose 2 to %(most)d clusters to compare") % {"most": MOST}, "c")
    docs = [visible_profile(user, slug)[1] for slug in slugs]
    rows = []
    for path in COMPARED:
        columns = [_values(doc, path) for doc in docs]
        if not any(columns):
            continue
        cells = []
        for i, items in enumerate(columns):
            others = set().union(*(set(c) for j, c in enumerate(columns) if j != i))
            cells.append(Cell(items, set(items) & others))
        rows.append(Row(str(BY_PATH[path].label), cells))
    return docs, rows
