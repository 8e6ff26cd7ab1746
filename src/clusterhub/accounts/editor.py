"""The profile editor: the document, section by section, as Django forms.

Each section of the ECCP page is declared once below: its single values, its lists of
words (vocabulary pickers or one entry per line) and its lists of records (formsets).
A section's forms read their initial values from the document and write back into a
copy of it; ProfileDoc validates the whole, and its errors go back to the fields
they name.
"""

import copy
from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pydantic import ValidationError

from clusterhub.core.places import country_choices, language_choices
from clusterhub.profiles.entered import InvalidValues, entered
from clusterhub.profiles.fields import Declared, sections, set_path
from clusterhub.profiles.schema import MAX_TEXT, ProfileDoc
from clusterhub.vocab.models import Term
from clusterhub.vocab.translations import term_label

YES_NO = [("", _("Not stated")), ("true", _("Yes")), ("false", _("No"))]
# Kinds the editor does not show: the title is `name`, the rest is the platform's.
NOT_EDITED = frozenset({"slug", "provenance"})
# A phone's keyboard and the browser's autofill for the contact fields; type="url" and
# "email" are not used, as the browser would refuse "www.clag.es" before we could fix it.
INPUTS = {
    "url": {"inputmode": "url", "autocomplete": "url"},
    "email": {"inputmode": "email", "autocomplete": "email"},
    "telephone": {"type": "tel", "autocomplete": "tel"},
}


def _terms(vocabulary: str, held: list[str]) -> list[tuple[str, str]]:
    """A vocabulary's reviewed labels, in file order (Bronze, Silver, Gold), plus any label
    the profile holds; each shown in the reader's language."""
    labels = Term.objects.filter(vocabulary=vocabulary, reviewed=True).values_list(
        "label", flat=True
    )
    return [(label, term_label(label)) for label in dict.fromkeys([*labels, *held])]


@dataclass(frozen=True)
class Value:
    """One value of the document (`path` like "members.total"), edited by one field;
    `declared` is its declaration."""

    path: str
    declared: Declared

    @property
    def name(self) -> str:
        return self.path.replace(".", "__")

    @property
    def label(self) -> str:
        return self.declared.label

    @property
    def kind(self) -> str:
        return self.declared.kind

    @property
    def vocabulary(self) -> str | None:
        return self.declared.vocabulary

    @property
    def help(self) -> str:
        return gettext(self.declared.spec.help) if self.declared.spec.help else ""


@dataclass(frozen=True)
class Records:
    """A list of objects, edited as a formset of one small form per item."""

    path: str
    label: str
    values: tuple[Value, ...]


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    values: tuple[Value, ...] = ()
    records: tuple[Records, ...] = field(default_factory=tuple)


def _edited(declared: Declared) -> bool:
    return declared.kind not in NOT_EDITED and declared.spec.editable


def _section(slug: str, title: str, declared: list[Declared]) -> Section:
    """A section of the editor: the declared fields of that section of the page."""
    values, records = [], []
    for f in declared:
        if not _edited(f):
            continue
        if f.kind == "records":
            items = tuple(Value(c.key, c) for c in f.children if _edited(c))
            records.append(Records(f.path, _(f.spec.label), items))  # named when shown
        elif f.kind == "group":
            values.extend(Value(c.path, c) for c in f.children if _edited(c))
        else:
            values.append(Value(f.path, f))
    return Section(slug, title, tuple(values), tuple(records))


SECTIONS = tuple(_section(s.slug, s.title, s.fields) for s in sections())
SECTION_BY_SLUG = {s.slug: s for s in SECTIONS}


@dataclass(frozen=True)
class Progress:
    """How far a section is filled, and the ECCP criteria it does not meet yet."""

    section: Section
    filled: int
    total: int
    missing: tuple[dict, ...]


def _filled(value) -> bool:
    return value not in (None, "", [], {})


def progress(document: dict, checklist: list[dict]) -> list[Progress]:
    """Each section's progress: its fields holding something, and the criteria of
    `checklist` (moderation.validation_checklist) not met there."""
    found = []
    for s in SECTIONS:
        paths = [v.path for v in s.values] + [r.path for r in s.records]
        filled = sum(_filled(get_path(document, p)) for p in paths)
        missing = tuple(c for c in checklist if c["section"] == s.slug and c["state"] == "not met")
        found.append(Progress(s, filled, len(paths), missing))
    return found


def next_section(section: Section) -> Section | None:
    position = SECTIONS.index(section)
    return SECTIONS[position + 1] if position + 1 < len(SECTIONS) else None


def get_path(data: dict, path: str):
    for part in path.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def _form_field(value: Value, held: list[str]) -> forms.Field:
    """The field editing `value`; `held`: the vocabulary labels the profile holds there,
    offered even when the vocabulary does not list them (unreviewed terms)."""
    common = {"label": value.label, "required": False, "help_text": value.help}
    kind = value.kind
    if kind == "long":
        return forms.CharField(
            widget=forms.Textarea(attrs={"rows": 5}), max_length=MAX_TEXT, **common
        )
    if kind in ("lines", "texts"):
        return forms.CharField(
            widget=forms.Textarea(attrs={"rows": 4}), max_length=50_000, **common
        )
    if kind == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == "int":
        return forms.IntegerField(min_value=0, max_value=10_000_000, **common)
    if kind == "bool":
        return forms.ChoiceField(choices=YES_NO, **common)
    if kind == "choice":
        choices = value.declared.spec.choices.choices
        # A choice with a default may be left out (it then keeps the default).
        default = value.declared.default
        return forms.ChoiceField(
            choices=choices, initial=default, **{**common, "required": default is None}
        )
    if kind == "years":
        return forms.CharField(max_length=500, **common)
    if kind in INPUTS:  # checked by profiles.entered; the browser only sets the keyboard
        return forms.CharField(
            max_length=1000, widget=forms.TextInput(attrs=INPUTS[kind]), **common
        )
    if kind == "country":
        return forms.ChoiceField(choices=[("", "—"), *country_choices()], **common)
    # Long lists as boxes to tick (editor.js adds a search box and the chosen as chips).
    if kind == "countries":
        return forms.MultipleChoiceField(
            choices=country_choices(), widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == "languages":
        return forms.MultipleChoiceField(
            choices=language_choices(), widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == "vocab":
        return forms.ChoiceField(choices=[("", "—"), *_terms(value.vocabulary, held)], **common)
    if kind == "vocabs":
        return forms.MultipleChoiceField(
            choices=_terms(value.vocabulary, held),
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    return forms.CharField(max_length=1000, **common)


def _to_form(value: Value, current):
    if value.kind in ("lines", "texts"):
        return "\n".join(current or [])
    if value.kind == "bool":
        return "" if current is None else str(current).lower()
    if value.kind == "years":
        return ", ".join(str(y) for y in current or [])
    return current


def _from_form(value: Value, cleaned):
    if value.kind in ("lines", "texts"):
        return [line.strip() for line in (cleaned or "").splitlines() if line.strip()]
    if value.kind == "bool":
        return {"true": True, "false": False}.get(cleaned)
    if value.kind == "years":
        return (cleaned or "").replace(",", " ").split()
    if value.kind == "date":
        return cleaned.isoformat() if cleaned else None
    if value.kind in ("countries", "languages", "vocabs"):
        return list(cleaned or [])
    if value.kind == "choice" and cleaned in ("", None):
        return value.declared.default
    return cleaned if cleaned not in ("", None) else None


def _form_class(values: tuple[Value, ...], parts: list[dict]) -> type[forms.Form]:
    """A form for `values`, as held by `parts`: the document, or every item of a list."""
    attrs = {}
    for v in values:
        held = []
        if v.kind in ("vocab", "vocabs"):
            for part in parts:
                current = get_path(part, v.path)
                held += current if isinstance(current, list) else [current] if current else []
        attrs[v.name] = _form_field(v, held)
    return type("SectionForm", (forms.Form,), attrs)


class SectionForms:
    """The bound (or initial) forms of one section for one document."""

    def __init__(self, section: Section, document: dict, data=None):
        self.section, self.document = section, document
        self.main = _form_class(section.values, [document])(
            data=data,
            initial={v.name: _to_form(v, get_path(document, v.path)) for v in section.values},
            prefix="s",
        )
        self.formsets = []
        for records in section.records:
            items = get_path(document, records.path) or []
            item_form = _form_class(records.values, items)
            formset = forms.formset_factory(item_form, extra=1, can_delete=True, max_num=500)(
                data=data,
                initial=[{v.name: _to_form(v, item.get(v.path)) for v in records.values}
                         for item in items],
                prefix=records.path,
            )  # fmt: skip
            self.formsets.append((records, formset))

    def is_valid(self) -> bool:
        return self.main.is_valid() & all(fs.is_valid() for _records, fs in self.formsets)

    def merged(self) -> dict:
        """The document with this section's values replaced by the forms' (valid) data."""
        document = copy.deepcopy(self.document)
        for v in self.section.values:
            set_path(document, v.path, _from_form(v, self.main.cleaned_data.get(v.name)))
        self.kept: dict[str, list[forms.Form]] = {}
        for records, formset in self.formsets:
            kept = self.kept[records.path] = []
            for form in formset.forms:
                data = form.cleaned_data
                if (
                    data
                    and not data.get("DELETE")
                    # A menu always says something: only the other values make an item.
                    and any(
                        data.get(v.name) not in (None, "", [])
                        for v in records.values
                        if v.kind != "choice"
                    )
                ):
                    kept.append(form)
            set_path(
                document,
                records.path,
                [{v.path: _from_form(v, f.cleaned_data.get(v.name)) for v in records.values}
                 for f in kept],
            )  # fmt: skip
        return document

    def validate(self) -> ProfileDoc | None:
        """The whole document, or None with the errors put on the fields they name."""
        if not self.is_valid():
            return None
        try:
            return entered(ProfileDoc.model_validate(self.merged()), self.document)
        except ValidationError as exc:
            for error in exc.errors():
                self._add_error(error["loc"], error["msg"].removeprefix("Value error, "))
        except InvalidValues as exc:
            for loc, message in exc.errors:
                self._add_error(loc, message)
        return None

    def _add_error(self, loc: tuple, message: str) -> None:
        path = ".".join(str(p) for p in loc)
        for v in self.section.values:
            if path == v.path or path.startswith(v.path + "."):
                self.main.add_error(v.name, message)
                return
        for records, _formset in self.formsets:
            if path.startswith(records.path + "."):
                index, _dot, rest = path.removeprefix(records.path + ".").partition(".")
                kept = self.kept.get(records.path, [])
                name = rest.split(".")[0]
                if index.isdigit() and int(index) < len(kept) and name in kept[int(index)].fields:
                    kept[int(index)].add_error(name, message)
                    return
        self.main.add_error(None, f"{path or 'document'}: {message}")
