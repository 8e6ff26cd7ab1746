"""The profile editor: the document, section by section, as Django forms.

Each section of the ECCP page is declared once below: its single values, its lists of
words (vocabulary pickers or one entry per line) and its lists of records (formsets).
A section's forms read their initial values from the document and write back into a
copy of it; ProfileDoc validates the whole, and its errors go back to the fields
they name.
"""

import copy
from dataclasses import dataclass, field

import pycountry
from django import forms
from pydantic import ValidationError

from clusterhub.ingest.places import language_name
from clusterhub.profiles.document import set_path
from clusterhub.profiles.schema import ProfileDoc
from clusterhub.vocab.models import Term

YES_NO = [("", "Not stated"), ("true", "Yes"), ("false", "No")]
LEVELS = [("european", "European"), ("national", "National"), ("regional", "Regional")]


def countries():
    return sorted(((c.alpha_2, c.name) for c in pycountry.countries), key=lambda c: c[1])


def _languages():
    codes = {lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2")}
    return sorted(((c, language_name(c)) for c in codes), key=lambda c: c[1])


def _terms(vocabulary: str, held: list[str]) -> list[tuple[str, str]]:
    """A vocabulary's reviewed labels, in file order, plus any label the profile holds."""
    labels = Term.objects.filter(vocabulary=vocabulary, reviewed=True).values_list(
        "label", flat=True
    )
    return [(label, label) for label in dict.fromkeys([*labels, *held])]


@dataclass(frozen=True)
class Value:
    """One value of the document (`path` like "members.total"), edited by one field."""

    path: str
    label: str
    kind: str = (
        "text"  # text, long, date, int, bool, country, vocab, vocabs, lines, countries, languages
    )
    vocabulary: str = ""
    help: str = ""

    @property
    def name(self) -> str:
        return self.path.replace(".", "__")


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


ACTOR = (
    Value("name", "Name"),
    Value("website", "Website"),
    Value("type", "Type", "vocab", "organisation_types"),
)
SECTIONS = (
    Section(
        "general",
        "General Information",
        (
            Value("name", "Name of the cluster organisation"),
            Value("established", "Date of establishment", "date"),
            Value("management_team_size", "Size of the management team", "vocab", "management_team_sizes"),
            Value("country", "Country", "country"),
            Value("regions", "Regions", "lines", help="One region per line."),
            Value("website", "Website"),
            Value("cluster_excellence_label", "Cluster excellence label", "vocab", "cluster_labels"),
            Value("other_labels", "Other labels", "lines", help="One label per line."),
            Value("languages", "Languages spoken", "languages"),
        ),
        (
            Records("networks", "Networks", (Value("name", "Name"), Value("website", "Website"))),
            Records(
                "management_team",
                "Cluster management team",
                (
                    Value("first_name", "Name"),
                    Value("last_name", "Surname"),
                    Value("position", "Position"),
                    Value("telephone", "Telephone"),
                    Value("email", "Email"),
                ),
            ),
        ),
    ),
    Section(
        "focus",
        "Sectoral and Industrial Focus",
        (
            Value("sectoral_industries", "Sectoral industries", "vocabs", "sectoral_industries"),
            Value("technology_fields", "Technology fields", "vocabs", "technology_fields"),
            Value("s3_priority_areas", "S3 priority areas", "vocabs", "s3_priority_areas"),
            Value("emerging_industries", "Emerging industries", "vocabs", "emerging_industries"),
        ),
    ),
    Section(
        "composition",
        "Composition of the cluster",
        (
            Value("members.total", "Members in total", "int"),
            Value("members.sme", "SMEs", "int"),
            Value("members.large_companies", "Large companies", "int"),
            Value("members.research_organisations", "Research organisations", "int"),
            Value("members.other_actors", "Other actors", "int"),
        ),
        (
            Records("entrepreneurship_facilities", "Entrepreneurship facilities", ACTOR),
            Records("major_players", "Major players", ACTOR),
        ),
    ),
    Section(
        "strategy",
        "Cluster Strategy",
        (
            Value("mission", "Mission", "long"),
            Value("objectives", "Objectives", "lines", help="One objective per line."),
            Value("formalised_strategy", "Formalised strategy", "bool"),
            Value("internationalisation_strategy", "Internationalisation strategy", "bool"),
        ),
    ),
    Section(
        "services",
        "Services",
        records=(
            Records(
                "services",
                "Services",
                (
                    Value("service", "Service", "vocab", "support_services"),
                    Value("details", "Details", "long"),
                ),
            ),
        ),
    ),
    Section(
        "cooperation",
        "Cooperation Activities",
        (
            Value("international.target_countries", "International: target countries", "countries"),
            Value("international.activities", "International: activities", "vocabs", "cooperation_activities"),
            Value("transnational.target_countries", "Trans-national: target countries", "countries"),
            Value("transnational.activities", "Trans-national: activities", "vocabs", "cooperation_activities"),
        ),
        (
            Records(
                "collaborating_clusters",
                "Clusters you collaborate with",
                (Value("name", "Name"), Value("location", "Location (city, country)")),
            ),
        ),
    ),
    Section(
        "programmes",
        "Support Programmes",
        (Value("project_references", "Project references", "long"),),
        (
            Records(
                "programmes",
                "Programmes",
                (
                    Value("level", "Level", "level"),
                    Value("programme", "Programme"),
                    Value("project", "Project"),
                    Value("years", "Years", "years", help="For example 2021, 2022."),
                    Value("funder", "Funder"),
                    Value("description", "Description", "long"),
                    Value("link", "Link"),
                ),
            ),
        ),
    ),
    Section(
        "promotion",
        "Promotion",
        (
            Value("success_story", "Success story", "long"),
            Value("why_partner", "Why partner with this cluster", "long"),
        ),
    ),
)  # fmt: skip
SECTION_BY_SLUG = {s.slug: s for s in SECTIONS}


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
            widget=forms.Textarea(attrs={"rows": 5}), max_length=20_000, **common
        )
    if kind == "lines":
        return forms.CharField(
            widget=forms.Textarea(attrs={"rows": 4}), max_length=50_000, **common
        )
    if kind == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == "int":
        return forms.IntegerField(min_value=0, max_value=10_000_000, **common)
    if kind == "bool":
        return forms.ChoiceField(choices=YES_NO, **common)
    if kind == "level":
        return forms.ChoiceField(choices=LEVELS, **{**common, "required": True})
    if kind == "years":
        return forms.CharField(max_length=500, **common)
    if kind == "country":
        return forms.ChoiceField(choices=[("", "—"), *countries()], **common)
    several = {**common, "help_text": "Hold Ctrl (⌘ on a Mac) to choose several."}
    if kind == "countries":
        return forms.MultipleChoiceField(
            choices=countries(), widget=forms.SelectMultiple(attrs={"size": 8}), **several
        )
    if kind == "languages":
        return forms.MultipleChoiceField(
            choices=_languages(), widget=forms.SelectMultiple(attrs={"size": 6}), **several
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
    if value.kind == "lines":
        return "\n".join(current or [])
    if value.kind == "bool":
        return "" if current is None else str(current).lower()
    if value.kind == "years":
        return ", ".join(str(y) for y in current or [])
    return current


def _from_form(value: Value, cleaned):
    if value.kind == "lines":
        return [line.strip() for line in (cleaned or "").splitlines() if line.strip()]
    if value.kind == "bool":
        return {"true": True, "false": False}.get(cleaned)
    if value.kind == "years":
        return (cleaned or "").replace(",", " ").split()
    if value.kind == "date":
        return cleaned.isoformat() if cleaned else None
    if value.kind in ("countries", "languages", "vocabs"):
        return list(cleaned or [])
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
        return self.main.is_valid() & all(fs.is_valid() for _, fs in self.formsets)

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
                    and any(data.get(v.name) not in (None, "", []) for v in records.values)
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
            return ProfileDoc.model_validate(self.merged())
        except ValidationError as exc:
            for error in exc.errors():
                self._add_error(error["loc"], error["msg"].removeprefix("Value error, "))
            return None

    def _add_error(self, loc: tuple, message: str) -> None:
        path = ".".join(str(p) for p in loc)
        for v in self.section.values:
            if path == v.path or path.startswith(v.path + "."):
                self.main.add_error(v.name, message)
                return
        for records, _ in self.formsets:
            if path.startswith(records.path + "."):
                index, _, rest = path.removeprefix(records.path + ".").partition(".")
                kept = self.kept.get(records.path, [])
                name = rest.split(".")[0]
                if index.isdigit() and int(index) < len(kept) and name in kept[int(index)].fields:
                    kept[int(index)].add_error(name, message)
                    return
        self.main.add_error(None, f"{path or 'document'}: {message}")
