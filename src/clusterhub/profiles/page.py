"""The profile page (and its print view) as data: sections, fields and panels.

The page shows every declared field in its ECCP section, as its kind says
(`_profile.html`). A field another app shows its own way — the collaborations, with
their links and the neighbourhood graph — is a panel: that app registers a function
building the panel's template and context (in its AppConfig.ready), and the view calls
it before rendering, so nothing runs queries while the template renders.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from .fields import Declared, get_value, sections

# Kinds shown in a definition list; the others get a heading of their own.
LISTED = frozenset(
    {"text", "url", "email", "telephone", "date", "int", "bool", "country", "countries",
     "languages", "lines", "vocab", "vocabs", "choice"}
)  # fmt: skip
HIDDEN = frozenset({"name", "slug", "provenance"})
# Fields of items that are not the page's to show (who sees a contact: the editor's).
NOT_SHOWN = frozenset({"management_team.contact_visibility"})


@dataclass
class Panel:
    """A part of the page drawn by another app's template; an activity's `title` and
    `anchor` (its heading's id) list it in the page's section index."""

    template: str
    context: dict = field(default_factory=dict)
    title: str = ""
    anchor: str = ""


PanelBuilder = Callable[..., Panel | None]
PANELS: dict[str, PanelBuilder] = {}


def register_panel(path: str, build: PanelBuilder) -> None:
    """`build(request, org, doc)` makes the panel showing the field `path`."""
    PANELS[path] = build


# What an organisation does on the platform beyond its document (its opportunities,
# its news), each shown as a section after the document's: `register_activity(name,
# build)`, `build(request, org)` giving a Panel or None.
ACTIVITIES: dict[str, Callable[..., Panel | None]] = {}


def register_activity(name: str, build: Callable[..., Panel | None]) -> None:
    ACTIVITIES[name] = build


def build_activities(request, org) -> list[Panel]:
    return [p for build in ACTIVITIES.values() if (p := build(request, org)) is not None]


@dataclass
class Item:
    """One field on the page: how it is shown, its label and value, its parts."""

    declared: Declared
    value: object
    display: str  # listed, block, table, group, panel
    columns: list[Declared] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    children: list["Item"] = field(default_factory=list)
    panel: Panel | None = None
    blocks: list[dict] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.declared.label

    @property
    def kind(self) -> str:
        return self.declared.kind

    @property
    def empty(self) -> str:
        return self.declared.empty


def _item(declared: Declared, data: dict, panels: dict[str, Panel], hidden: set[str]) -> Item:
    value = get_value(data, declared.path)
    if declared.path in panels:
        return Item(declared, value, "panel", panel=panels[declared.path])
    if declared.kind == "group":
        children = [_item(c, data, panels, hidden) for c in declared.children]
        return Item(declared, value, "group", children=children)
    if declared.kind == "records":
        columns = [
            c for c in declared.children
            if c.kind not in HIDDEN and c.path not in NOT_SHOWN and c.path not in hidden
        ]  # fmt: skip
        rows = [[(c, item[c.key]) for c in columns] for item in value]
        return Item(declared, value, "table", columns=columns, rows=rows)
    return Item(declared, value, "listed" if declared.kind in LISTED else "block")


def _blocks(items: list[Item]) -> list[dict]:
    """Consecutive listed fields share one definition list."""
    blocks: list[dict] = []
    for item in items:
        if item.display == "listed" and blocks and blocks[-1]["display"] == "listed":
            blocks[-1]["items"].append(item)
        elif item.display == "listed":
            blocks.append({"display": "listed", "items": [item]})
        else:
            if item.display == "group":
                item.blocks = _blocks(item.children)
            blocks.append({"display": item.display, "item": item})
    return blocks


def page_sections(data: dict, panels: dict[str, Panel], hidden: set[str] = frozenset()) -> list:
    """The page's sections: {slug, title, blocks}, every declared field in its section.
    `data` is the document (model_dump()); `hidden`: fields left out (the contact
    columns when no contact is shown)."""
    result = []
    for section in sections():
        items = [
            _item(f, data, panels, hidden)
            for f in section.fields
            if f.kind not in HIDDEN and f.path not in hidden
        ]
        result.append({"slug": section.slug, "title": section.title, "blocks": _blocks(items)})
    return result


def build_panels(request, org, doc) -> dict[str, Panel]:
    panels = {}
    for path, build in PANELS.items():
        panel = build(request, org, doc)
        if panel is not None:
            panels[path] = panel
    return panels
