"""Documents as JSON, JSON Lines, CSV and JSON-LD (schema.org), both ways where it makes sense.

The CSV layout (one row per organisation) is documented in docs/formats.md and
derived from the table below, so reading and writing cannot drift apart.
"""

import csv
import json
import textwrap
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from clusterhub.core import records
from clusterhub.core.errors import InputError
from clusterhub.core.places import country_label, country_name, language_label, language_name
from clusterhub.profiles.fields import BY_PATH, FIELDS, LIST_KINDS, get_value, set_path, walk
from clusterhub.vocab.translations import term_label


def _layout():
    """The CSV columns, from the declarations: one column per scalar (a group's scalars
    as `members_total`…), lists of one-line values one per line inside their cell, lists
    of records or of paragraphs as JSON arrays."""
    scalars, line_lists, json_lists = [], [], []
    for top in FIELDS:
        for f in top.children if top.kind == "group" else (top,):
            if f.kind == "records" or f.kind == "texts":
                json_lists.append(f.path)
            elif f.kind in LIST_KINDS or f.path == "country_inferred_from":
                line_lists.append(f.path)
            else:
                scalars.append(f.path)
    return tuple(scalars), tuple(line_lists), tuple(json_lists)


SCALARS, LINE_LISTS, JSON_LISTS = _layout()
BOOLEANS = tuple(key for key in SCALARS if BY_PATH[key].kind == "bool")
COUNTS = tuple(key for key in SCALARS if BY_PATH[key].kind == "int")


def column(key: str) -> str:
    return key.replace(".", "_")


CSV_COLUMNS = (*(column(k) for k in SCALARS), *(column(k) for k in LINE_LISTS), *JSON_LISTS)


def _get(data: dict, key: str):
    for part in key.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def csv_row(doc: dict) -> dict[str, str]:
    """A document (as JSON data) → one CSV row."""
    row = {}
    for key in SCALARS:
        value = _get(doc, key)
        if key in BOOLEANS:
            row[column(key)] = "" if value is None else ("true" if value else "false")
        else:
            row[column(key)] = "" if value is None else str(value)
    for key in LINE_LISTS:
        row[column(key)] = "\n".join(_get(doc, key) or [])
    for key in JSON_LISTS:
        value = _get(doc, key)
        row[key] = json.dumps(value, ensure_ascii=False) if value else ""
    return row


def csv_document(row: dict[str, str], line: int) -> dict:
    """One CSV row → document data for validation; bad cells name their column."""
    unknown = sorted(set(row) - set(CSV_COLUMNS) - {None})
    if unknown:
        raise InputError(f"unknown column {unknown[0]!r}", line)
    if None in row:
        raise InputError("more cells than columns", line)
    cell = {k: (v or "").strip() for k, v in row.items()}
    doc: dict = {}
    for key in SCALARS:
        value = cell.get(column(key), "")
        if key in BOOLEANS:
            if value.lower() not in ("", "true", "false"):
                raise InputError(
                    f"column {column(key)!r}: expected true or false, found {value!r}", line
                )
            if value:
                set_path(doc, key, value.lower() == "true")
        elif key in COUNTS:
            if value and not value.isdigit():
                raise InputError(f"column {column(key)!r}: {value!r} is not a number", line)
            if value:
                set_path(doc, key, int(value))
        elif value:
            set_path(doc, key, value)
    for key in LINE_LISTS:
        values = [v.strip() for v in cell.get(column(key), "").splitlines() if v.strip()]
        set_path(doc, key, values)
    for key in JSON_LISTS:
        if value := cell.get(key, ""):
            try:
                set_path(doc, key, json.loads(value))
            except json.JSONDecodeError as exc:
                raise InputError(f"column {key!r}: invalid JSON ({exc.msg})", line) from None
    return doc


def write_csv(docs: Iterable[dict], out) -> None:
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for doc in docs:
        writer.writerow(csv_row(doc))


def _for_people(key: str, value):
    """A value as the reader reads it: countries, languages, vocabulary terms in their
    language, yes or no."""
    kind = BY_PATH[key].kind
    shown = {
        "country": country_label, "countries": country_label, "languages": language_label,
        "vocab": term_label, "vocabs": term_label,
    }.get(kind)  # fmt: skip
    if kind == "bool":
        return "" if value is None else (_("Yes") if value else _("No"))
    if value is None:
        return ""
    shown = shown or str
    return "\n".join(map(shown, value)) if isinstance(value, list) else shown(value)


def write_xlsx(docs: Iterable[dict], path) -> None:
    """The CSV's cells as one spreadsheet for people: headed by the fields' names, its
    countries, languages, terms and yes-or-no in the reader's language (the CSV is the
    open data's layout, which imports back)."""
    keys = (*SCALARS, *LINE_LISTS)
    headings = [*(BY_PATH[k].label for k in keys), *(BY_PATH[k].label for k in JSON_LISTS)]
    rows = (
        [*(_for_people(k, _get(doc, k)) for k in keys), *(row[k] for k in JSON_LISTS)]
        for doc, row in ((doc, csv_row(doc)) for doc in docs)
    )
    records.write_sheet(rows, headings, path, _("Cluster organisations")[:31])


def read_csv(stream) -> Iterator[tuple[int, dict]]:
    """(line, document data) for each row of a CSV text stream opened with newline=""."""
    reader = csv.DictReader(stream)
    if reader.fieldnames is None:
        return
    if "name" not in reader.fieldnames:
        raise InputError("CSV header has no 'name' column", 1)
    line = reader.line_num + 1
    for row in reader:
        yield line, csv_document(row, line)
        line = reader.line_num + 1


def write_json(docs: Iterable[dict], out) -> None:
    """A JSON array, laid out exactly as json.dumps(indent=2), written as it goes."""
    out.write("[")
    count = 0
    for doc in docs:
        body = json.dumps(doc, ensure_ascii=False, indent=2)
        out.write(("," if count else "") + "\n" + textwrap.indent(body, "  "))
        count += 1
    out.write("\n]\n" if count else "]\n")


def write_jsonl(docs: Iterable[dict], out) -> None:
    for doc in docs:
        out.write(json.dumps(doc, ensure_ascii=False) + "\n")


def _person(p: dict) -> dict:
    # Names and roles only: contact details stay on the profile page.
    return {"@type": "Person", "givenName": p["first_name"], "familyName": p["last_name"],
            "jobTitle": p["position"]}  # fmt: skip


def _offer(s: dict) -> dict:
    service = {"@type": "Service", "name": s["service"]}
    if s["details"]:
        service["description"] = s["details"]
    return {"@type": "Offer", "itemOffered": service}


def _member_of(n: dict) -> dict:
    return {
        "@type": "Organization",
        "name": n["name"],
        **({"url": n["website"]} if n["website"] else {}),
    }


# A schema.org property → how the values of the fields declared with it become its value.
JSONLD_VALUES = {
    "knowsLanguage": lambda codes: [
        {"@type": "Language", "name": language_name(c), "alternateName": c} for c in codes
    ],
    "areaServed": lambda codes: [
        {"@type": "Country", "name": country_name(c), "identifier": c} for c in codes
    ],
    "address.addressRegion": ", ".join,
    "memberOf": lambda items: [_member_of(n) for n in items],
    "employee": lambda items: [_person(p) for p in items],
    "makesOffer": lambda items: [_offer(s) for s in items],
}
# Properties several fields add to (sectors and fields, labels, target countries).
JSONLD_LISTS = {"knowsAbout", "award", "areaServed"}


SYNTHETIC_NOTE = "Synthetic demo profile: generated data, not a real organisation."


def jsonld(doc: dict, base_url: str = "") -> dict:
    """A document as a schema.org Organization: each field declared with a `jsonld`
    property becomes that property (or adds to it)."""
    node: dict = {
        "@type": "Organization",
        "@id": f"{base_url}/clusters/{doc['slug']}/",
        "identifier": doc["slug"],
    }
    for declared in walk():
        prop = declared.spec.jsonld
        if not prop:
            continue
        # A field of each item (the service of services) stands for the whole list.
        path = declared.path.split(".")[0] if declared.in_items else declared.path
        value = get_value(doc, path)
        if value in (None, "", []):
            continue
        if isinstance(value, str) and declared.spec.jsonld_format != "{}":
            value = declared.spec.jsonld_format.format(value)
        value = JSONLD_VALUES.get(prop, lambda v: v)(value)
        if prop in JSONLD_LISTS:
            value = value if isinstance(value, list) else [value]
            node.setdefault(prop, []).extend(value)
        elif prop.startswith("address."):
            node.setdefault("address", {"@type": "PostalAddress"})[prop.split(".")[1]] = value
        else:
            node[prop] = value
    if doc.get("synthetic"):  # demo data must not pass for a real organisation anywhere
        node["additionalProperty"] = {"@type": "PropertyValue", "name": "synthetic", "value": True}
        node["disambiguatingDescription"] = SYNTHETIC_NOTE
    return node


def write_jsonld(docs: Iterable[dict], out, base_url: str = "") -> None:
    graph = [jsonld(doc, base_url) for doc in docs]
    json.dump(
        {"@context": "https://schema.org", "@graph": graph}, out, ensure_ascii=False, indent=2
    )
    out.write("\n")
