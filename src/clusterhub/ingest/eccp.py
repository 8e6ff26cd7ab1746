"""ECCP profile pages (saved as text, or the page's HTML) → the canonical document.

A page is a title, section headings and labelled fields ("Regions: " then one value
a line). HTML is first flattened to the same lines; its table rows keep their cells
exactly (tab-separated), where saved text has only one cell a line and the rows
are rebuilt from what each cell looks like (an e-mail, a telephone, a website…).
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from django.utils.text import slugify
from django.utils.translation import gettext as _
from pydantic import ValidationError
from rapidfuzz import fuzz

from clusterhub.core import places
from clusterhub.core.errors import InputError
from clusterhub.core.validation import format_validation_error
from clusterhub.profiles import fields as declarations
from clusterhub.profiles.choices import ProgrammeLevel
from clusterhub.profiles.schema import ProfileDoc
from clusterhub.vocab.services import vocabularies

MAX_BYTES = 5 * 1024 * 1024
BULLETS = "•◦▪·●"


@dataclass
class Line:
    number: int
    text: str
    cells: tuple[str, ...] | None = None  # a table row of an HTML page
    title: bool = False  # an <h1> of an HTML page


@dataclass
class Field:
    key: str
    label: Line
    values: list[Line] = field(default_factory=list)

    @property
    def texts(self) -> list[Line]:
        return [line for line in self.values if line.text.strip()]


def fold_label(text: str) -> str:
    text = re.sub(r"[\"'“”‘’]", "", text.replace("\xa0", " "))
    text = re.sub(r"\s+([?:])", r"\1", " ".join(text.split()))
    return text.rstrip(": ").casefold()


def _headings() -> dict[str, str]:
    """The section headings of a page: the ECCP sections and the sub-headings inside
    them (International Cooperation…), as declared."""
    titles = [title for _slug, title in declarations.SECTIONS]
    titles += [f.subsection for f in declarations.walk() if f.subsection]
    return {fold_label(t): t for t in dict.fromkeys(titles)}


def _labels() -> dict[str, list[str]]:
    """Folded label → the document paths a page may mean by it, from the declarations."""
    labels: dict[str, list[str]] = {}
    for declared in declarations.walk():
        for key, texts in declared.page_labels.items():
            for text in texts:
                labels.setdefault(fold_label(text), []).append(key)
    return labels


SECTIONS = _headings()
LABELS = _labels()
TOP_SECTIONS = [title for _slug, title in declarations.SECTIONS]
CHROME = {"primary tabs", "view", "edit", "revisions", "view(active tab)"}


# --- reading bytes ---------------------------------------------------------------


def decode(data: bytes) -> str:
    if not data.strip():
        raise InputError("empty file, not a profile page")
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise InputError("binary data (NUL byte), not a profile page", line)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        if exc.reason == "unexpected end of data":
            raise InputError("truncated page: ends inside a UTF-8 character", line) from None
        raise InputError(
            f"invalid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})", line
        ) from None


def read_file(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                f"file too large ({size:,} bytes; a profile page is at most {MAX_BYTES:,})"
            )
        return path.read_bytes()
    except IsADirectoryError:
        raise InputError("is a directory, not a file") from None
    except FileNotFoundError:
        raise InputError("no such file") from None
    except PermissionError:
        raise InputError("permission denied") from None


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:2000].lower()
    return head.startswith("<") and bool(re.search(r"<(html|body|div|!doctype|h1|p)\b", head))


class _HtmlLines(HTMLParser):
    """Flattens HTML to lines; table rows keep their cells, list items get a bullet."""

    BLOCKS = {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt",
        "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
        "h5", "h6", "header", "hr", "label", "legend", "li", "main", "nav", "ol", "p",
        "pre", "section", "table", "tbody", "thead", "tfoot", "ul",
    }  # fmt: skip
    PARAGRAPHS = {"p", "ul", "ol", "blockquote", "pre", "table"}
    SKIP = {
        "script",
        "style",
        "head",
        "noscript",
        "template",
        "svg",
        "select",
        "button",
        "footer",
        "aside",
    }

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[Line] = []
        self.buffer: list[str] = []
        self.buffer_line = 0
        self.skipping = 0
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.in_title = False
        self.closed = False

    def flush(self) -> None:
        text = " ".join("".join(self.buffer).split())
        if text:
            self.lines.append(Line(self.buffer_line, text, title=self.in_title))
        self.buffer = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif self.skipping:
            return
        elif tag == "tr":
            self.flush()
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
        elif self.cell is not None:
            if tag in ("br", "p", "div", "li"):
                self.cell.append(" ")
        elif tag in self.BLOCKS:
            self.flush()
            if tag == "h1":
                self.in_title = True
            if tag == "li":
                self.buffer_line = self.getpos()[0]
                self.buffer.append("• ")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif self.skipping:
            return
        elif tag == "html":
            self.closed = True
        elif tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if any(self.row):
                number = self.getpos()[0]
                self.lines.append(Line(number, "\t".join(self.row), cells=tuple(self.row)))
            self.row = None
        elif tag in self.BLOCKS and self.cell is None:
            self.flush()
            if tag == "h1":
                self.in_title = False
            if tag in self.PARAGRAPHS:
                self.lines.append(Line(self.getpos()[0], ""))

    def handle_data(self, data):
        if self.skipping:
            return
        if self.cell is not None:
            self.cell.append(data)
            return
        if not self.buffer or not "".join(self.buffer).strip():
            self.buffer_line = self.getpos()[0]
        self.buffer.append(data)


def html_lines(text: str) -> list[Line]:
    parser = _HtmlLines()
    parser.feed(text)
    parser.close()
    parser.flush()
    if re.search(r"<html\b", text, re.I) and not parser.closed:
        raise InputError("truncated page: no closing </html>", text.count("\n") + 1)
    return parser.lines


def text_lines(text: str) -> list[Line]:
    return [
        Line(n, raw.replace("\xa0", " ").rstrip())
        for n, raw in enumerate(text.splitlines(), start=1)
    ]


# --- page structure --------------------------------------------------------------


LONGEST_LABEL = max(len(label) for label in LABELS) + 10


def _match_label(text: str, folded: str, section: str | None) -> tuple[str | None, str]:
    """(field key, value on the same line) when `text` is a known label. A label two
    fields share (the target countries of both scopes) means the one of the section."""
    keys = LABELS.get(folded)
    rest = ""
    if keys is None and ":" in text[:LONGEST_LABEL]:
        head, rest = text.split(":", 1)
        keys = LABELS.get(fold_label(head))
        rest = rest.strip()
    if not keys:
        return None, rest
    by_path = declarations.BY_PATH
    here = [k for k in keys if k in by_path and by_path[k].subsection == section]
    return (here or keys)[0], rest


def split_page(lines: list[Line]) -> tuple[str, list[Field], str | None]:
    """The organisation's name, its labelled fields in page order, and the (top-level)
    section the page ends in."""
    name = next((line.text.strip() for line in lines if line.title), None)
    fields: list[Field] = []
    section: str | None = None
    top: str | None = None  # the last section heading, not a sub-heading
    current: Field | None = None
    for line in lines:
        text = line.text.strip()
        if not text:
            if current:
                current.values.append(line)
            continue
        if not fields and current is None:
            crumbs = re.split(r"\s+[>»›]\s+", text)
            if len(crumbs) > 1 and crumbs[0].casefold() == "home":
                name = name or crumbs[-1].strip()
                continue
        # Only short lines can be headings or labels: long paragraphs skip the folding.
        folded = fold_label(text) if len(text) <= LONGEST_LABEL else ""
        if folded in SECTIONS:
            section, current = SECTIONS[folded], None
            top = section if section in TOP_SECTIONS else top
            continue
        key, rest = _match_label(text, folded, section)
        if key:
            if any(f.key == key for f in fields):
                raise InputError(f"field {text.rstrip(': ')!r} appears twice", line.number)
            current = Field(key, line)
            fields.append(current)
            if rest:
                current.values.append(Line(line.number, rest, line.cells))
            continue
        if current is not None:
            current.values.append(line)
        elif fields:
            raise InputError(
                f"unrecognised text under {section or 'the page'!s}: {text[:60]!r}", line.number
            )
        elif (
            name is None
            and folded not in CHROME
            and not folded.startswith("printer-friendly version")
        ):
            name = text
    if len(fields) < 3:
        raise InputError("not an ECCP cluster organisation profile page (no profile fields found)")
    if not name:
        raise InputError("profile page without the organisation's name", lines[0].number)
    last = fields[-1]
    if not last.texts and last.label is _last_text_line(lines):
        raise InputError(
            f"truncated page: ends at the label {last.label.text.strip()!r}", last.label.number
        )
    return name, fields, top


def _last_text_line(lines: list[Line]) -> Line | None:
    return next((line for line in reversed(lines) if line.text.strip()), None)


# --- values ----------------------------------------------------------------------

URL_RE = re.compile(r"^(?:https?://\S+|www\.\S+|[\w-]+(?:\.[\w-]+)+(?:/\S*)?)$", re.I)
EMAIL_RE = re.compile(r"^(?:mailto:)?[^@\s]+@[^@\s]+\.[^@\s]+$", re.I)
PHONE_RE = re.compile(r"^(?:tel[.:]?\s*)?[+(]?[\d\s().\-/+]{6,}$", re.I)


def is_url(text: str) -> bool:
    return bool(URL_RE.match(text)) and not EMAIL_RE.match(text) and not text[0].isdigit()


def is_phone(text: str) -> bool:
    return bool(PHONE_RE.match(text)) and sum(c.isdigit() for c in text) >= 6


def is_bullet(text: str) -> bool:
    return text[:1] in BULLETS


def unbullet(text: str) -> str:
    return text[1:].strip() if is_bullet(text) else text


def single(f: Field) -> tuple[str | None, Line]:
    texts = f.texts
    return (" ".join(t.text.strip() for t in texts) or None), (texts[0] if texts else f.label)


def items(f: Field) -> list[str]:
    return [unbullet(t.text.strip()) for t in f.texts]


def free_text(lines: list[Line]) -> str:
    """Paragraphs joined by a blank line, lines of a paragraph (bullet items) by a newline."""
    blocks, block = [], []
    for line in lines:
        text = line.text.strip()
        if not text:
            if block:
                blocks.append(block)
                block = []
            continue
        block.append(f"• {unbullet(text)}" if is_bullet(text) else text)
    if block:
        blocks.append(block)
    return "\n\n".join("\n".join(b) for b in blocks)


def bullet_items(lines: list[Line]) -> list[tuple[Line, str]]:
    """Items of a bulleted list; a paragraph after an item continues it.

    Without any bullet, each paragraph is an item.
    """
    bulleted = any(is_bullet(line.text.strip()) for line in lines)
    result: list[tuple[Line, list[str]]] = []
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        if is_bullet(text) or not bulleted or not result:
            result.append((line, [unbullet(text)]))
        else:
            result[-1][1].append(text)
    return [(line, "\n\n".join(parts)) for line, parts in result]


DATE_FORMATS = (
    "%A, %d %B, %Y",
    "%d %B, %Y",
    "%d %B %Y",
    "%B %d, %Y",
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d.%m.%Y",
)


def parse_date(f: Field) -> dt.date | None:
    text, line = single(f)
    if text is None:
        return None
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise InputError(f"unrecognised date {text!r}", line.number)


def parse_count(f: Field) -> int | None:
    text, line = single(f)
    if text is None:
        return None
    digits = re.sub(r"[\s,.'’]", "", text)
    if not digits.isdigit():
        raise InputError(
            f"{f.label.text.strip().rstrip(':')}: {text!r} is not a number", line.number
        )
    return int(digits)


def parse_yes_no(f: Field) -> bool | None:
    text, line = single(f)
    if text is None:
        return None
    answer = text.strip(" .").casefold()
    if answer in ("yes", "y", "true"):
        return True
    if answer in ("no", "n", "false"):
        return False
    raise InputError(f"expected Yes or No, found {text!r}", line.number)


def parse_label(f: Field) -> str | None:
    text, _line = single(f)
    if text is None or text.strip(" .-").casefold() in ("", "no", "none", "no label", "n/a"):
        return None
    for level in vocabularies()["cluster_labels"].labels:
        if re.search(rf"\b{level}\b", text, re.I):
            return level
    return re.sub(r"\s+label$", "", text, flags=re.I)


def parse_countries(f: Field) -> list[str]:
    codes = []
    for line in f.texts:
        for name in re.split(r"\s*[;]\s*", unbullet(line.text.strip())):
            code = places.country_code(name)
            if code is None:
                raise InputError(f"unknown country {name!r}", line.number)
            codes.append(code)
    return codes


def parse_languages(f: Field) -> list[str]:
    codes = []
    for line in f.texts:
        name = unbullet(line.text.strip())
        code = places.language_code(name)
        if code is None:
            raise InputError(f"unknown language {name!r}", line.number)
        codes.append(code)
    return codes


def _header(line: Line, *columns: str) -> bool:
    """Is this the header row of a table with these columns ("NameWebsite")?"""
    letters = re.sub(r"[^a-z]", "", line.text.casefold())
    return letters == re.sub(r"[^a-z]", "", "".join(columns).casefold())


def _rows(f: Field, *columns: str) -> tuple[list[tuple[str, ...]], list[Line]]:
    """Exact rows of an HTML table, and the loose lines of a text one (header dropped)."""
    cells, loose = [], []
    for line in f.texts:
        if _header(line, *columns):
            continue
        if line.cells is not None:
            cells.append(tuple(c.strip() for c in line.cells) + ("",) * len(columns))
        else:
            loose.append(line)
    return cells, loose


def parse_networks(f: Field) -> list[dict]:
    rows, loose = _rows(f, "Name", "Website")
    networks = [{"name": r[0], "website": r[1]} for r in rows if r[0]]
    for line in loose:
        text = line.text.strip()
        if is_url(text) and networks and not networks[-1]["website"]:
            networks[-1]["website"] = text
        else:
            networks.append({"name": text, "website": None})
    return networks


def parse_team(f: Field) -> list[dict]:
    columns = ("first_name", "last_name", "position", "telephone", "email")
    rows, loose = _rows(f, "Name", "Surname", "Position", "Telephone", "Email")
    team = [dict(zip(columns, r, strict=False)) for r in rows if any(r)]
    # Saved text has one cell a line and drops empty cells: rebuild rows from what
    # each cell looks like; a row ends with its e-mail or after three names.
    current: dict | None = None
    for line in loose:
        text = line.text.strip()
        if EMAIL_RE.match(text):
            if current is None or current["email"]:
                current = {"names": [], "telephone": None, "email": None}
                team.append(current)
            current["email"] = text.removeprefix("mailto:")
        elif is_phone(text):
            if current is None or current["telephone"] or current["email"]:
                current = {"names": [], "telephone": None, "email": None}
                team.append(current)
            current["telephone"] = text
        else:
            if (
                current is None
                or current["telephone"]
                or current["email"]
                or len(current["names"]) == 3
            ):
                current = {"names": [], "telephone": None, "email": None}
                team.append(current)
            current["names"].append(text)
    for member in team:
        if "names" in member:
            names = member.pop("names") + [None] * 3
            member.update(first_name=names[0], last_name=names[1], position=names[2])
    return [{c: m.get(c) for c in columns} for m in team]


def _organisation_type(text: str) -> str | None:
    folded = text.casefold()
    return next(
        (t for t in vocabularies()["organisation_types"].labels if t.casefold() == folded), None
    )


def parse_actors(f: Field) -> list[dict]:
    rows, loose = _rows(f, "Name", "Website", "Type")
    actors = [{"name": r[0], "website": r[1], "type": r[2]} for r in rows if r[0]]
    current: dict | None = None
    for line in loose:
        text = line.text.strip()
        if (
            current is not None
            and current["type"] is None
            and is_url(text)
            and not current["website"]
        ):
            current["website"] = text
        elif current is not None and current["type"] is None and _organisation_type(text):
            current["type"] = _organisation_type(text)
        else:
            current = {"name": text, "website": None, "type": None}
            actors.append(current)
    return actors


MISSION_HEADINGS = {"mission", "our mission", "mission statement", "vision and mission"}
OBJECTIVE_HEADINGS = {"objectives", "our objectives", "main objectives", "objective", "goals"}


def parse_mission(f: Field) -> tuple[str, list[str]]:
    mission: list[Line] = []
    objectives: list[Line] = []
    target = mission
    for line in f.values:
        heading = line.text.strip().rstrip(":").strip().casefold()
        if heading in MISSION_HEADINGS:
            target = mission
        elif heading in OBJECTIVE_HEADINGS:
            target = objectives
        else:
            target.append(line)
    text = free_text(mission)
    if text.startswith("• ") and "\n" not in text:
        text = text[2:]  # a mission written as a single bullet is just the paragraph
    return text, [item for _line, item in bullet_items(objectives)]


def _similar(a: str, b: str) -> float:
    """How alike two labels are, 0 to 1; a label cut short ("Training") still matches."""
    a, b = places.fold(a), places.fold(b)
    if a == b:
        return 1.0
    if min(len(a), len(b)) >= 5 and (a.startswith(b) or b.startswith(a)):
        return 0.9
    return fuzz.ratio(a, b) / 100


def parse_service_details(services: list[dict], f: Field) -> None:
    """Attach each "• Service: details" item to the service it names (spellings vary)."""
    for line, item in bullet_items(f.values):
        match = re.match(r"^(?P<label>[^:\n]{3,300}?):\s+(?P<details>.*)$", item, re.S)
        label, details = (match["label"], match["details"]) if match else (None, item)
        candidates = [s for s in services if s["details"] is None]
        score, best = max(
            ((_similar(s["service"], label), i) for i, s in enumerate(candidates) if label),
            key=lambda scored: (scored[0], -scored[1]),  # ties: the first listed service
            default=(0.0, None),
        )
        if best is not None and score >= 0.6:
            candidates[best]["details"] = details
        elif label:
            services.append({"service": label.strip(), "details": details})
        elif candidates:
            candidates[0]["details"] = details
        elif services:
            services[-1]["details"] = f"{services[-1]['details']}\n\n{details}"
        else:
            raise InputError("service details without any service", line.number)


YEARS = r"(?:19|20)\d{2}(?:\s*(?:,|and|&|-|–|/|to)\s*(?:19|20)\d{2})*"
YEAR_RUN = re.compile(rf"(?:^|(?<=[\s,(]))(?P<years>{YEARS})(?=\s*(?:[,:;(.)]|$))")
PROGRAMMES_WITH_YEARS = Path(__file__).resolve().parent / "data" / "programmes_with_years.txt"
# A run written right after the name, without a comma, that goes on after one
# ("Cluster support programme 2015, 2015 and 2016"): its first year is the name's.
NAME_YEAR = re.compile(r"^((?:19|20)\d{2})\s*,\s*(?=(?:19|20)\d{2})")


@cache
def _names_with_years() -> re.Pattern:
    names = [
        line.strip()
        for line in PROGRAMMES_WITH_YEARS.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    return re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)), re.I)


def _years_of_participation(text: str) -> tuple[int, int] | None:
    """Where the years of participation are in `text` (start, end): not inside a
    programme name that holds a year ("Horizon 2020", from a reviewable list), nor the
    year written right after a name when a comma and more years follow."""
    names = [m.span() for m in _names_with_years().finditer(text)]
    position = 0
    while match := YEAR_RUN.search(text, position):
        start, end = match.span("years")
        inside = next((b for a, b in names if a <= start < b), None)
        if inside is not None:
            position = inside
            continue
        own = NAME_YEAR.match(match["years"])
        if own and start > 0 and text[start - 1] == " ":
            return start + own.end(), end
        return start, end
    return None


def _years(text: str) -> list[int]:
    years = [int(y) for y in re.findall(r"\d{4}", text)]
    if (
        len(years) == 2
        and re.search(r"\d\s*(?:-|–|to)\s*\d", text)
        and 0 < years[1] - years[0] <= 30
    ):
        return list(range(years[0], years[1] + 1))
    return years


def split_programme(text: str) -> tuple[str, list[int], str | None, str | None]:
    """ "Name, 2015 and 2016 (Funder): description" → its four parts."""
    years: list[int] = []
    found = _years_of_participation(text)
    if found:
        start, end = found
        name, rest = text[:start], text[end:]
        years = _years(text[start:end])
    else:
        cut = re.search(r"\s*\([^()]*\)\s*:\s|:\s", text)
        name, rest = (text[: cut.start()], text[cut.start() :]) if cut else (text, "")
    rest = rest.strip()
    funder = None
    if found := re.match(r"^\(([^()]*)\)", rest):
        funder, rest = found[1].strip() or None, rest[found.end() :].strip()
    rest = re.sub(r"^[,:;.)]\s*", "", rest)
    return name.strip().rstrip(",;:(").strip(), years, funder, rest or None


def _programme(level: str, name: str, **values) -> dict:
    empty = {"project": None, "years": [], "funder": None, "description": None, "link": None}
    return {"level": level, "programme": name, **empty, **values}


def parse_european_programmes(f: Field) -> list[dict]:
    """A table of programme names (and links), then "• Programme: project, year" items."""
    header = (
        "European Programmes",
        "Project Name",
        "Link",
        "Name & Description (Regional/National)",
        "Link (Regional/National)",
    )
    rows, loose = _rows(f, *header)
    programmes = [
        _programme("european", r[0] or r[1], project=r[1] or None, link=r[2] or None)
        for r in rows
        if r[0] or r[1]
    ]
    first_bullet = next((i for i, ln in enumerate(loose) if is_bullet(ln.text.strip())), len(loose))
    for line in loose[:first_bullet]:
        text = line.text.strip()
        if is_url(text) and programmes and not programmes[-1]["link"]:
            programmes[-1]["link"] = text
        else:
            programmes.append(_programme("european", text))
    waiting = list(programmes)  # listed in the table, details not yet seen
    details = [ln for ln in f.values if not ln.text.strip() or ln in loose[first_bullet:]]
    for _line, item in bullet_items(details):
        head, sep, detail = item.partition(": ")
        entry = next((p for p in waiting if _similar(p["programme"], head) > 0.9), None)
        if entry is not None and sep:
            waiting.remove(entry)
        else:
            if not sep:
                head, *_rest = split_programme(item)
                detail = item[len(head) :].lstrip(" ,:")
            entry = _programme("european", head)
            programmes.append(entry)
        project, years, funder, description = split_programme(detail)
        entry.update(project=project or None, years=years, funder=funder, description=description)
    return programmes


def parse_programmes(level: str, f: Field) -> list[dict]:
    """ "• Name, 2015 and 2016 (Funder): description" items."""
    if level == "european":
        return parse_european_programmes(f)
    programmes = []
    for _line, item in bullet_items(f.values):
        name, years, funder, description = split_programme(item)
        programmes.append(
            _programme(level, name, years=years, funder=funder, description=description)
        )
    return programmes


def split_location(text: str) -> tuple[str, str | None]:
    """ "Cap Digital (Paris, France)" → ("Cap Digital", "Paris, France"); nesting allowed."""
    if not text.endswith(")"):
        return text, None
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[i], 0)
        if depth == 0:
            name, location = text[:i].strip(), text[i + 1 : -1].strip()
            return (name, location or None) if name else (text, None)
    return text, None


def parse_collaborations(f: Field) -> list[dict]:
    return [
        {"name": name, "location": location}
        for name, location in (split_location(text) for text in items(f))
    ]


# --- the document ----------------------------------------------------------------


def parse_country(f: Field) -> str | None:
    text, line = single(f)
    if not text:
        return None
    code = places.country_code(text)
    if code is None:
        raise InputError(f"unknown country {text!r}", line.number)
    return code


def parse_mission_objectives(f: Field) -> dict:
    mission, objectives = parse_mission(f)
    return {"mission": mission, "objectives": objectives}


# How a field is read: by its path where the page writes it its own way, else by kind.
BY_PATH = {
    "cluster_excellence_label": parse_label,
    "networks": parse_networks,
    "management_team": parse_team,
    "entrepreneurship_facilities": parse_actors,
    "major_players": parse_actors,
    "collaborating_clusters": parse_collaborations,
}
BY_KIND = {
    "date": parse_date,
    "vocab": lambda f: single(f)[0],
    "text": lambda f: single(f)[0],
    "url": lambda f: single(f)[0],
    "lines": items,
    "vocabs": items,
    "country": parse_country,
    "countries": parse_countries,
    "languages": parse_languages,
    "int": parse_count,
    "bool": parse_yes_no,
    "long": lambda f: free_text(f.values),
}
LEVELS = tuple(ProgrammeLevel.values)  # in the order of the page


def build_document(name: str, fields: list[Field]) -> dict:
    """The document's data from the page's fields, each read as its declaration says."""
    by_key = {f.key: f for f in fields}
    doc: dict = {"name": name, "slug": slugify(name)[:200].strip("-")}
    for key, f in by_key.items():
        if key == "mission":  # "Mission/Objectives": the mission, then the objectives
            doc.update(parse_mission_objectives(f))
        elif key in ("services", "services.details") or key.startswith("programmes."):
            continue  # below: they combine several fields
        else:
            kind = declarations.BY_PATH[key].kind
            parse = BY_PATH.get(key) or BY_KIND[kind]
            declarations.set_path(doc, key, parse(f))
    services = []
    if f := by_key.get("services"):
        services = [{"service": s, "details": None} for s in items(f)]
    if f := by_key.get("services.details"):
        parse_service_details(services, f)
    doc["services"] = services
    doc["programmes"] = [
        p
        for level in LEVELS
        if (f := by_key.get(f"programmes.{level}"))
        for p in parse_programmes(level, f)
    ]
    if not doc.get("country"):
        telephones = [m["telephone"] for m in doc.get("management_team", []) if m["telephone"]]
        doc["country"], doc["country_inferred_from"] = places.infer_country(
            regions=doc.get("regions", []),
            telephones=telephones,
            website=doc.get("website"),
            languages=doc.get("languages", []),
            name=name,
        )
    return doc


def parse_page_with_warnings(data: bytes) -> tuple[ProfileDoc, list[str]]:
    """The canonical document of one profile page, and what it lacks without being
    wrong (a page that ends inside a section); raises InputError on bad input."""
    if len(data) > MAX_BYTES:
        raise InputError(
            f"file too large ({len(data):,} bytes; a profile page is at most {MAX_BYTES:,})"
        )
    text = decode(data)
    lines = html_lines(text) if looks_like_html(text) else text_lines(text)
    name, fields, section = split_page(lines)
    warnings = []
    if section != TOP_SECTIONS[-1]:  # every ECCP page has every section, to Promotion
        missing = TOP_SECTIONS[TOP_SECTIONS.index(section) + 1 :] if section else TOP_SECTIONS
        where = repr(section) if section else _("before its first section")
        warnings.append(
            _(
                "the page ends inside the section %(section)s: %(missing)s missing; imported what it holds"
            )
            % {"section": where, "missing": ", ".join(missing)}
        )
    try:
        return ProfileDoc.model_validate(build_document(name, fields)), warnings
    except ValidationError as exc:
        raise InputError(format_validation_error(exc)) from None


def parse_page(data: bytes) -> ProfileDoc:
    """The canonical document of one profile page; raises InputError on bad input."""
    return parse_page_with_warnings(data)[0]


def parse_file_with_warnings(path: Path) -> tuple[ProfileDoc, list[str]]:
    return parse_page_with_warnings(read_file(Path(path)))


def parse_file(path: Path) -> ProfileDoc:
    return parse_page(read_file(Path(path)))
