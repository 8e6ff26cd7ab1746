"""The declarations of `schema.py`, walked: what every derived table is built from.

`FIELDS` are the top-level fields of the document in document order, each with the
fields of its items (lists of records) or of its object (groups). The parser, the page,
the editor, the admin, the search text, the CSV and JSON-LD layouts, the revision
history and the directory's facets read them here.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from operator import attrgetter
from typing import get_args, get_origin

from django.utils.translation import gettext
from pydantic import BaseModel

from .schema import ProfileDoc, Spec

# The sections of an ECCP profile page, in the page's order: (slug, title).
SECTIONS: tuple[tuple[str, str], ...] = (
    ("general", "General Information"),
    ("focus", "Sectoral and Industrial Focus"),
    ("composition", "Composition of the cluster"),
    ("strategy", "Cluster Strategy"),
    ("services", "Services"),
    ("cooperation", "Cooperation Activities"),
    ("programmes", "Support Programmes"),
    ("promotion", "Promotion"),
)
SECTION_TITLES = dict(SECTIONS)


@dataclass(frozen=True)
class Declared:
    """One declared field: its document path ("members.total", or "services.details"
    for a field of every item of a list), its Spec and the model of its items or object."""

    path: str
    spec: Spec
    model: type[BaseModel] | None = None  # the items' model (records) or the object's (group)
    children: tuple["Declared", ...] = ()
    section: str | None = None
    subsection: str | None = None
    in_items: bool = False  # a field of each item of a list of records
    is_list: bool = False
    default: object = None

    @cached_property
    def key(self) -> str:
        return self.path.rsplit(".", 1)[-1]

    @property
    def label(self) -> str:
        """The field's name in the reader's language (`spec.label` is the ECCP English)."""
        return gettext(self.spec.label)

    @property
    def empty(self) -> str:
        """What a page says when the field is empty, in the reader's language."""
        return gettext(self.spec.empty)

    @property
    def kind(self) -> str:
        return self.spec.kind

    @property
    def vocabulary(self) -> str | None:
        return self.spec.vocabulary

    @property
    def facet_key(self) -> str | None:
        if self.spec.facet is None:
            return None
        return self.spec.facet_key or (self.path.split(".")[0] if self.in_items else self.path)

    @property
    def page_labels(self) -> dict[str, tuple[str, ...]]:
        """Parser key → the labels a page may give this field."""
        labels = self.spec.page_labels
        if labels is None:  # by default a value field outside lists is found by its label
            unlabelled = self.in_items or self.kind in ("name", "slug", "provenance", "group")
            labels = () if unlabelled else (self.spec.label,)
        if isinstance(labels, dict):
            return {f"{self.path}.{sub}": tuple(ls) for sub, ls in labels.items()}
        return {self.path: tuple(labels)} if labels else {}


def _model_of(annotation) -> tuple[type[BaseModel] | None, bool]:
    """The pydantic model inside a field's type, and whether the field is a list."""
    is_list = get_origin(annotation) is list
    for candidate in (annotation, *get_args(annotation)):
        inner = get_args(candidate)[0] if get_origin(candidate) is list else candidate
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return inner, is_list
    return None, is_list


def _declared(
    model: type[BaseModel], prefix: str, parent: Declared | None, in_items: bool
) -> tuple[Declared, ...]:
    result = []
    for name, info in model.model_fields.items():
        spec = next((m for m in info.metadata if isinstance(m, Spec)), None)
        if spec is None:
            raise TypeError(f"{model.__name__}.{name} has no Spec: declare it in schema.py")
        path = f"{prefix}{name}"
        inner, is_list = _model_of(info.annotation)
        section = spec.section or (parent.section if parent else None)
        subsection = spec.subsection or (parent.subsection if parent else None)
        if spec.kind == "group" and parent is None:
            subsection = subsection or (spec.label if section == "cooperation" else None)
        default = None if info.is_required() or info.default_factory else info.default
        declared = Declared(path, spec, inner, (), section, subsection, in_items, is_list, default)
        if inner is not None:
            children = _declared(inner, f"{path}.", declared, in_items or spec.kind == "records")
            declared = Declared(
                path, spec, inner, children, section, subsection, in_items, is_list, default
            )
        result.append(declared)
    return tuple(result)


FIELDS: tuple[Declared, ...] = _declared(ProfileDoc, "", None, False)


def walk(fields: tuple[Declared, ...] = FIELDS) -> Iterator[Declared]:
    """Every declared field, depth first, in document order."""
    for f in fields:
        yield f
        yield from walk(f.children)


BY_PATH: dict[str, Declared] = {f.path: f for f in walk()}
assert all(f.section in SECTION_TITLES for f in FIELDS if f.section), "unknown section"


def section_fields(section: str) -> list[Declared]:
    return [f for f in FIELDS if f.section == section]


@cache
def facet_fields() -> dict[str, list[Declared]]:
    """Facet key → the fields feeding it, in document order (target countries and
    activities come from both scopes)."""
    facets: dict[str, list[Declared]] = {}
    for f in walk():
        if f.facet_key:
            facets.setdefault(f.facet_key, []).append(f)
    return facets


def get_value(data, path: str):
    """The value at a dotted path of a document (model or JSON data)."""
    if not isinstance(data, dict):
        return _getter(path)(data)
    for part in path.split("."):
        data = data.get(part) if isinstance(data, dict) else getattr(data, part)
    return data


@cache
def _getter(path: str):
    return attrgetter(path)


def set_path(data: dict, path: str, value) -> None:
    """Put `value` at a dotted path of a document's JSON data."""
    *parents, last = path.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    data[last] = value


@cache
def _searchable() -> tuple[tuple[str, str | None], ...]:
    """(field path, item key) of each searchable field: a field of the items of a list
    is (the list's path, its key)."""
    return tuple(
        (f.path.split(".")[0], f.key) if f.in_items else (f.path, None)
        for f in walk()
        if f.spec.searchable
    )


def searchable_parts(doc) -> Iterator[str]:
    """The texts full-text search reads, besides the name, in document order."""
    for path, key in _searchable():
        value = get_value(doc, path)
        if key is not None:
            values = [getattr(item, key) for item in value]
        else:
            values = value if isinstance(value, list) else [value]
        yield from (v for v in values if v)


_ITEM_RE = re.compile(r"\[(\d+)\]")


def label_of_path(path: str) -> str:
    """A history path as people read it: `programmes[2].years[0]` →
    "Participation in Funded Support Programmes › 3 › Years › 1"."""
    parts = []
    declared = ""
    for part in path.split("."):
        name, *positions = _ITEM_RE.split(part)
        declared = f"{declared}.{name}" if declared else name
        found = BY_PATH.get(_item_free(declared))
        parts.append(found.label if found else name)
        parts.extend(str(int(p) + 1) for p in positions if p)
    return " › ".join(parts)


def _item_free(path: str) -> str:
    return _ITEM_RE.sub("", path)


SCALAR_KINDS = frozenset(
    {"name", "slug", "text", "url", "email", "telephone", "long", "date", "int", "bool",
     "country", "vocab", "choice", "provenance"}
)  # fmt: skip
LIST_KINDS = frozenset({"countries", "languages", "lines", "texts", "vocabs", "years"})


@dataclass(frozen=True)
class Section:
    """A section of the page or the editor: its fields, and those grouped under a
    sub-heading ("International Cooperation")."""

    slug: str
    title: str
    fields: list[Declared] = field(default_factory=list)


def sections() -> list[Section]:
    return [Section(slug, title, section_fields(slug)) for slug, title in SECTIONS]
