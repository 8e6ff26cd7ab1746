"""Documents as JSON, JSON Lines, CSV and JSON-LD (schema.org), both ways where it makes sense.

The CSV layout (one row per organisation) is documented in docs/formats.md and
derived from the table below, so reading and writing cannot drift apart.
"""

import csv
import json
import textwrap
from collections.abc import Iterable, Iterator

from clusterhub.profiles.schema import ProfileDoc

from .errors import InputError
from .places import country_name, language_name

# Columns holding a list of single-line values, one per line inside the cell.
LINE_LISTS = (
    "regions",
    "languages",
    "other_labels",
    "sectoral_industries",
    "technology_fields",
    "s3_priority_areas",
    "emerging_industries",
    "international.target_countries",
    "international.activities",
    "transnational.target_countries",
    "transnational.activities",
)
# Columns holding a list of objects (or of multi-paragraph texts) as a JSON array.
JSON_LISTS = (
    "objectives",
    "networks",
    "management_team",
    "entrepreneurship_facilities",
    "major_players",
    "services",
    "collaborating_clusters",
    "programmes",
)
BOOLEANS = ("formalised_strategy", "internationalisation_strategy", "synthetic")
MEMBERS = ("total", "sme", "large_companies", "research_organisations", "other_actors")
# Every other key of the document holds one value: one column each, in document order.
SCALARS = tuple(
    key
    for key in ProfileDoc.model_fields
    if key not in {"members", "international", "transnational", *LINE_LISTS, *JSON_LISTS}
)


def column(key: str) -> str:
    return key.replace(".", "_")


CSV_COLUMNS = (
    *SCALARS,
    *(f"members_{m}" for m in MEMBERS),
    *(column(k) for k in LINE_LISTS),
    *JSON_LISTS,
)


def _get(data: dict, key: str):
    for part in key.split("."):
        data = data.get(part) or {}
    return data or []


def csv_row(doc: dict) -> dict[str, str]:
    """A document (as JSON data) → one CSV row."""
    row = {}
    for key in SCALARS:
        value = doc.get(key)
        if key in BOOLEANS:
            row[key] = "" if value is None else ("true" if value else "false")
        else:
            row[key] = "" if value is None else str(value)
    for m in MEMBERS:
        value = doc.get("members", {}).get(m)
        row[f"members_{m}"] = "" if value is None else str(value)
    for key in LINE_LISTS:
        row[column(key)] = "\n".join(_get(doc, key))
    for key in JSON_LISTS:
        row[key] = json.dumps(doc.get(key) or [], ensure_ascii=False) if doc.get(key) else ""
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
        value = cell.get(key, "")
        if key in BOOLEANS:
            if value.lower() not in ("", "true", "false"):
                raise InputError(f"column {key!r}: expected true or false, found {value!r}", line)
            if value:
                doc[key] = value.lower() == "true"
        elif value:
            doc[key] = value
    members = {}
    for m in MEMBERS:
        if value := cell.get(f"members_{m}", ""):
            if not value.isdigit():
                raise InputError(f"column 'members_{m}': {value!r} is not a number", line)
            members[m] = int(value)
    doc["members"] = members
    for key in LINE_LISTS:
        values = [v.strip() for v in cell.get(column(key), "").splitlines() if v.strip()]
        if "." in key:
            scope, name = key.split(".")
            doc.setdefault(scope, {})[name] = values
        else:
            doc[key] = values
    for key in JSON_LISTS:
        if value := cell.get(key, ""):
            try:
                doc[key] = json.loads(value)
            except json.JSONDecodeError as exc:
                raise InputError(f"column {key!r}: invalid JSON ({exc.msg})", line) from None
    return doc


def write_csv(docs: Iterable[dict], out) -> None:
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for doc in docs:
        writer.writerow(csv_row(doc))


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


def jsonld(doc: dict, base_url: str = "") -> dict:
    """A document as a schema.org Organization."""
    node: dict = {
        "@type": "Organization",
        "@id": f"{base_url}/clusters/{doc['slug']}/",
        "identifier": doc["slug"],
        "name": doc["name"],
    }
    if doc.get("website"):
        node["url"] = doc["website"]
    if doc.get("established"):
        node["foundingDate"] = doc["established"]
    if doc.get("mission"):
        node["description"] = doc["mission"]
    address = {"@type": "PostalAddress"}
    if doc.get("country"):
        address["addressCountry"] = doc["country"]
    if doc.get("regions"):
        address["addressRegion"] = ", ".join(doc["regions"])
    if len(address) > 1:
        node["address"] = address
    if doc.get("languages"):
        node["knowsLanguage"] = [
            {"@type": "Language", "name": language_name(c), "alternateName": c}
            for c in doc["languages"]
        ]
    topics = [
        *doc.get("sectoral_industries", []),
        *doc.get("technology_fields", []),
        *doc.get("emerging_industries", []),
        *doc.get("s3_priority_areas", []),
    ]
    if topics:
        node["knowsAbout"] = topics
    awards = (
        [f"Cluster Excellence {doc['cluster_excellence_label']} Label"]
        if doc.get("cluster_excellence_label")
        else []
    )
    if awards or doc.get("other_labels"):
        node["award"] = awards + doc.get("other_labels", [])
    if doc.get("networks"):
        node["memberOf"] = [
            {
                "@type": "Organization",
                "name": n["name"],
                **({"url": n["website"]} if n["website"] else {}),
            }
            for n in doc["networks"]
        ]
    if doc.get("management_team"):
        # Names and roles only: contact details stay on the profile page.
        node["employee"] = [
            {
                "@type": "Person",
                "givenName": p["first_name"],
                "familyName": p["last_name"],
                "jobTitle": p["position"],
            }
            for p in doc["management_team"]
        ]
    targets = doc["international"]["target_countries"] + doc["transnational"]["target_countries"]
    if targets:
        node["areaServed"] = [
            {"@type": "Country", "name": country_name(c), "identifier": c} for c in targets
        ]
    if doc.get("services"):
        node["makesOffer"] = [
            {
                "@type": "Offer",
                "itemOffered": {
                    "@type": "Service",
                    "name": s["service"],
                    **({"description": s["details"]} if s["details"] else {}),
                },
            }
            for s in doc["services"]
        ]
    return node


def write_jsonld(docs: Iterable[dict], out, base_url: str = "") -> None:
    graph = [jsonld(doc, base_url) for doc in docs]
    json.dump(
        {"@context": "https://schema.org", "@graph": graph}, out, ensure_ascii=False, indent=2
    )
    out.write("\n")
