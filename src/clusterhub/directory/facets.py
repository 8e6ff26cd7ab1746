"""The directory's facets: one list, derived from the fields declared as facets.

`FACETS` drives the facet index (`index.py`), the query model and so the API's
parameters and the OpenAPI schema (`query.py`), the facet lists and filter menus of the
pages. A field declared with `facet=` in `profiles/schema.py` is a facet; nothing here
names one.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from django.utils.text import slugify
from django.utils.translation import gettext_lazy

from clusterhub.core.places import country_name, language_name
from clusterhub.profiles.document import facet_values
from clusterhub.profiles.fields import Declared, facet_fields
from clusterhub.profiles.schema import members_band


@dataclass(frozen=True)
class FacetSpec:
    """A facet: its query parameter (`key`), its name, and the fields it counts."""

    key: str
    label: str
    fields: tuple[Declared, ...]

    @property
    def label_searched(self) -> bool:
        """Whether the words of its values' labels find the organisations having them."""
        return any(f.spec.label_searched for f in self.fields)

    def rows(
        self, alias: str, ids: set[int], only: list[int] | None = None
    ) -> Iterator[tuple[int, str, str]]:
        """(organisation id, value, label) of every value the facet counts for the
        organisations of `ids` (read from the database: all, or those of `only`), in page
        order; values are codes (countries, languages), term slugs, or slugs of the text
        written (regions, programmes), labels what people read."""
        for declared in self.fields:
            kind = declared.kind
            for org_id, value in facet_values(declared, alias, only):
                if org_id not in ids or value in (None, "", (None, None)):
                    continue
                if kind in ("country", "countries"):
                    yield org_id, value, country_name(value)
                elif kind == "languages":
                    yield org_id, value, language_name(value)
                elif kind in ("vocab", "vocabs"):
                    yield org_id, value[0], value[1]  # (slug, label)
                elif kind == "int":
                    band = members_band(value)
                    yield org_id, band, band
                else:
                    yield org_id, _slug(value), value


# slugify, kept: many organisations share a region or a programme (bounded, as the
# values of a directory are).
_slug = lru_cache(maxsize=200_000)(slugify)


FACETS: tuple[FacetSpec, ...] = tuple(
    FacetSpec(key, fields[0].spec.facet, tuple(fields)) for key, fields in facet_fields().items()
)
FACET_LABELS: dict[str, str] = {f.key: f.label for f in FACETS}
# As pages name them: in the reader's language (schema.py marks the labels).
FACET_NAMES = {key: gettext_lazy(label) for key, label in FACET_LABELS.items()}
