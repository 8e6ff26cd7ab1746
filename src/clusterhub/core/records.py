"""Flat records (calls, opportunities, news) as JSON, JSON Lines and CSV, both ways.

Profiles have their own layout (ingest.formats) derived from their field declarations;
these records are flat, so one rule serves them all: a list is one value per line
inside its CSV cell, as a profile's one-line lists are.
"""

import csv
import io
import json
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter
from django.utils.translation import gettext_lazy as _

from .errors import InputError

FORMATS = ("json", "jsonl", "csv")
# What a page's "Download" menu offers: format → (file suffix, media type).
DOWNLOADS = {
    "csv": ("csv", "text/csv; charset=utf-8"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "json": ("json", "application/json"),
    "jsonl": ("jsonl", "application/jsonl"),
    "jsonld": ("jsonld", "application/ld+json"),
}


# The columns every list's records end with, as a spreadsheet for people heads them.
OUTPUT_HEADINGS = {
    "id": _("Number"), "organisation": _("Cluster organisation"), "status": _("Status"),
    "state": _("State"), "version": _("Version"), "url": _("Address"),
    "published_at": _("Published on"),
}  # fmt: skip


@dataclass(frozen=True)
class Sheet:
    """A spreadsheet for people (XLSX) of a list's records: each column headed by its name
    in the reader's language (`headings`, else `OUTPUT_HEADINGS`, else its key) and its
    values as they read them (`shown`: a column's function of one value, applied to each
    value of a list). CSV, JSON and JSON-LD stay open data, in keys and English labels."""

    headings: Mapping[str, str] = field(default_factory=dict)
    shown: Mapping[str, Callable] = field(default_factory=dict)

    def heading(self, key: str) -> str:
        return str(self.headings.get(key) or OUTPUT_HEADINGS.get(key) or key)

    def cell(self, key: str, value) -> str:
        show = self.shown.get(key)
        if show is None or value in (None, ""):
            return _cell(value)
        return (
            "\n".join(str(show(v)) for v in value) if isinstance(value, list) else str(show(value))
        )


def choice_label(choices) -> Callable[[str], str]:
    """A model's choice (`Opportunity.Kind`) by its label, in the reader's language."""
    labels = dict(choices.choices)
    return lambda value: str(labels.get(value, value))


def write(
    rows: Iterable[dict], fmt: str, out, columns: tuple[str, ...],
    jsonld: Callable[[dict], dict] | None = None, sheet: Sheet | None = None,
) -> int:  # fmt: skip
    """Write `rows` (JSON-ready dicts) to the text stream `out` (for "xlsx", the path of
    the file to write); returns the count. "jsonld": each row as the schema.org node
    `jsonld(row)` makes of it, in one graph; "xlsx": written for people by `sheet`."""
    count = 0
    if fmt == "jsonld":
        if jsonld is None:
            raise InputError("these records have no JSON-LD form")
        out.write('{"@context": "https://schema.org", "@graph": [')
        for row in rows:
            out.write(("," if count else "") + "\n" + json.dumps(jsonld(row), ensure_ascii=False))
            count += 1
        out.write("\n]}\n")
    elif fmt == "xlsx":
        sheet = sheet or Sheet()
        cells = ([sheet.cell(k, row.get(k)) for k in columns] for row in rows)
        count = write_sheet(cells, [sheet.heading(k) for k in columns], out)
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(row.get(k)) for k in columns})
            count += 1
    elif fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    else:
        out.write("[")
        for row in rows:
            out.write(("," if count else "") + "\n" + json.dumps(row, ensure_ascii=False))
            count += 1
        out.write("\n]\n")
    return count


def write_sheet(rows: Iterable[list], columns, path, title: str | None = None) -> int:
    """`rows` (lists of cells, in the order of `columns`) as one spreadsheet at `path`
    (XlsxWriter, a row at a time in constant memory), the header row frozen; the count."""
    count = 0
    with xlsxwriter.Workbook(str(path), {"constant_memory": True}) as book:
        sheet = book.add_worksheet(title)
        sheet.write_row(0, 0, columns, book.add_format({"bold": True}))
        sheet.freeze_panes(1, 0)
        for count, row in enumerate(rows, 1):
            sheet.write_row(count, 0, row)
    return count


def spooled(fmt: str, write: Callable):
    """The file `write(out)` makes in `fmt`, open and read from its start, for a page's
    download: spooled to disk, so a large selection costs no memory. `out` is a text
    stream, or for "xlsx" a path (XlsxWriter writes to a path: the temporary file's)."""
    # The file outlives this call (the response closes it), hence no `with`.
    if fmt == "xlsx":
        stream = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115
    else:
        stream = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        if fmt == "xlsx":
            write(stream.name)
        else:
            text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
            write(text)
            text.flush()
            text.detach()
    except BaseException:
        stream.close()
        raise
    stream.seek(0)
    return stream


def node(kind: str, row: dict, **properties) -> dict:
    """A schema.org node of type `kind` for a record: its page as @id and url, and the
    properties given, those without a value left out."""
    found = {"@type": kind, "@id": row["url"], "url": row["url"]}
    found |= {k: v for k, v in properties.items() if v not in (None, "", [], {})}
    return found


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return str(value)


def read(path: Path, list_columns: tuple[str, ...]) -> Iterator[tuple[int | None, dict]]:
    """(line or record number, record) for each record of a .json, .jsonl or .csv file;
    CSV cells of `list_columns` split into one value per line, empty cells left out."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as stream:
                reader = csv.DictReader(stream)
                for row in reader:
                    if None in row:
                        raise InputError("more cells than columns", reader.line_num)
                    record = {}
                    for key, value in row.items():
                        value = (value or "").strip()
                        if key in list_columns:
                            record[key] = [v.strip() for v in value.splitlines() if v.strip()]
                        elif value:
                            record[key] = value
                    yield reader.line_num, record
        elif suffix == ".jsonl":
            with path.open(encoding="utf-8") as stream:
                for number, line in enumerate(stream, 1):
                    if line.strip():
                        yield number, _object(json.loads(line), number)
        elif suffix == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, list):
                raise InputError("expected a JSON array of records")
            for number, item in enumerate(data, 1):
                yield number, _object(item, number)
        else:
            raise InputError(f"unknown file type {suffix or path.name!r} (.json, .jsonl or .csv)")
    except json.JSONDecodeError as exc:
        raise InputError(f"not JSON: {exc.msg}", exc.lineno) from None
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text") from None


def _object(item, number: int) -> dict:
    if not isinstance(item, dict):
        raise InputError("a record must be a JSON object", number)
    return item
