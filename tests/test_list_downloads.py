"""Opportunities, funding calls and news downloaded from their lists' pages, in CSV, XLSX,
JSON, JSON Lines and JSON-LD (schema.org), through each app's export service: the items
the list's query selects, every page of them, in the list's order."""

import csv
import io
import json
import zipfile

import pytest
from django.core.management import call_command

LISTS = {  # list → (a query selecting part of it, the file's name, the title's key)
    "opportunities": ({"kind": "offer"}, "opportunities", "title"),
    "calls": ({"kind": "eu"}, "funding-calls", "title"),
    "news": ({"kind": "event"}, "news", "title"),
}


@pytest.fixture
def activity(db):
    call_command("demo", profiles=40, seed=1, verbosity=0)


def listed(client, name: str, query: dict) -> list[str]:
    """The titles the API's list gives for the query, every page, in order."""
    titles, page = [], 1
    while True:
        found = client.get(f"/api/{name}", {**query, "page": page}).json()
        titles += [item["title"] for item in found["items"]]
        if len(titles) >= found["total"] or not found["items"]:
            return titles
        page += 1


def rows_of(body: bytes, fmt: str, key: str) -> list[str]:
    if fmt == "csv":
        return [row[key] for row in csv.DictReader(io.StringIO(body.decode()))]
    if fmt == "json":
        return [item[key] for item in json.loads(body)]
    if fmt == "jsonl":
        return [json.loads(line)[key] for line in body.decode().splitlines()]
    if fmt == "jsonld":  # an Offer, Demand, MonetaryGrant or Event has a name, news a headline
        graph = json.loads(body)["@graph"]
        assert all(n["@id"].startswith("http://testserver/") for n in graph)
        return [n.get("name") or n["headline"] for n in graph]
    with zipfile.ZipFile(io.BytesIO(body)) as book:  # the cells, in row order
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    return sheet


def test_each_list_downloads_its_selection_in_every_format(client, activity):
    for name, (query, filename, key) in LISTS.items():
        expected = listed(client, name, query)
        everything = listed(client, name, {})
        assert 0 < len(expected) < len(everything), name  # the query selects a part
        for fmt in ("csv", "xlsx", "json", "jsonl", "jsonld"):
            response = client.get(f"/{name}/download.{fmt}", query)
            assert response.status_code == 200
            disposition = f'attachment; filename="{filename}.{fmt}"'
            assert response["Content-Disposition"] == disposition
            found = rows_of(b"".join(response.streaming_content), fmt, key)
            if fmt == "xlsx":
                assert all(title in found for title in expected)
                assert not any(t in found for t in set(everything) - set(expected))
            else:
                assert found == expected, (name, fmt)


def test_each_list_page_offers_the_formats_and_refuses_others(client, activity):
    for name, (query, _filename, _key) in LISTS.items():
        page = client.get(f"/{name}/", query).content.decode()
        for fmt in ("csv", "xlsx", "json", "jsonl", "jsonld"):
            assert f'href="/{name}/download.{fmt}?kind={query["kind"]}"' in page
        assert client.get(f"/{name}/download.pdf").status_code == 404


def test_json_ld_says_what_each_record_is(client, activity):
    def graph(name, query):
        response = client.get(f"/{name}/download.jsonld", query)
        return json.loads(b"".join(response.streaming_content))["@graph"]

    offers = graph("opportunities", {"kind": "offer"})
    assert {n["@type"] for n in offers} == {"Offer"}
    assert all(n["offeredBy"]["@id"].startswith("http://testserver/clusters/") for n in offers)
    requests = graph("opportunities", {"kind": "request"})
    assert {n["@type"] for n in requests} == {"Demand"} and all(
        "seeks" in n["@reverse"] for n in requests
    )
    grants = graph("calls", {"kind": "eu"})
    assert {n["@type"] for n in grants} == {"MonetaryGrant"}
    assert all(any(p["name"] == "closes_on" for p in n["additionalProperty"]) for n in grants)
    assert {n["@type"] for n in graph("news", {"kind": "event"})} == {"Event"}
    assert {n["@type"] for n in graph("news", {"kind": "news"})} == {"NewsArticle"}


def test_each_spreadsheet_is_written_for_its_reader(client, activity):
    def sheet(url: str, query: dict) -> str:
        body = b"".join(client.get(url, query).streaming_content)
        with zipfile.ZipFile(io.BytesIO(body)) as book:
            return "".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xml"))

    offers = sheet("/es/opportunities/download.xlsx", {"kind": "offer"})
    assert ">Tipo<" in offers and ">Oferta<" in offers and ">offer<" not in offers
    assert (">kind<" not in offers and ">Publicada<" in offers) or ">Publicado<" in offers
    calls = sheet("/de/calls/download.xlsx", {"kind": "eu"})
    assert "EU-Programm" in calls and ">eu<" not in calls
    english = sheet("/news/download.xlsx", {"kind": "event"})
    assert ">News or event<" in english and ">Event<" in english
    assert b'"kind": "event"' in b"".join(
        client.get("/es/news/download.json", {"kind": "event"}).streaming_content
    )  # JSON stays open data
