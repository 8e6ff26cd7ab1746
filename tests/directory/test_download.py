"""The directory's selection downloaded from the page in every format, through the
export service: the rows the search selects, every page of them, and no contacts."""

import csv
import io
import json
import zipfile

import pytest


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl", "jsonld", "xlsx"])
def test_every_format_holds_the_selection(client, small_directory, fmt):
    response = client.get(f"/clusters/download.{fmt}", {"q": "textil", "country": ["PT", "ES"]})
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="cluster-organisations.{fmt}"'
    body = b"".join(response.streaming_content)
    if fmt == "xlsx":
        with zipfile.ZipFile(io.BytesIO(body)) as book:
            text = "".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xml"))
    else:
        text = body.decode()
    page = client.get("/api/clusters", {"q": "textil", "country": ["PT", "ES"], "page_size": 100})
    names = {item["name"] for item in page.json()["items"]}  # what the page lists
    assert {"Cluster Têxtil do Norte", "Clúster de la Moda de Galicia"} <= names
    if fmt == "csv":
        assert {row["name"] for row in csv.DictReader(io.StringIO(text))} == names
    elif fmt == "json":
        assert {doc["name"] for doc in json.loads(text)} == names
    elif fmt == "jsonl":
        assert {json.loads(line)["name"] for line in text.splitlines()} == names
    elif fmt == "jsonld":
        assert {node["name"] for node in json.loads(text)["@graph"]} == names
    else:
        assert all(name in text for name in names) and "Blue Sea Network" not in text


def test_no_telephone_or_email_leaves_in_bulk(client, small_directory):
    body = b"".join(client.get("/clusters/download.csv").streaming_content).decode()
    assert "Cluster Manager" in body  # the seed's team is there…
    assert "@clag.es" not in body and "+34" not in body  # …without its contacts


def test_an_unknown_format_is_a_404(client, small_directory):
    assert client.get("/clusters/download.pdf").status_code == 404


def test_the_page_offers_each_format(client, small_directory):
    body = client.get("/clusters/", {"country": "PT"}).content.decode()
    for fmt in ("csv", "xlsx", "json", "jsonl", "jsonld"):
        assert f'href="/clusters/download.{fmt}?country=PT"' in body


def test_the_spreadsheet_is_written_for_its_reader_and_the_csv_stays_open_data(
    client, small_directory
):
    def cells(url: str) -> str:
        body = b"".join(client.get(url, {"country": "PT"}).streaming_content)
        with zipfile.ZipFile(io.BytesIO(body)) as book:
            return "".join(b.decode() for n in book.namelist() if n.endswith(".xml")
                           for b in [book.read(n)])  # fmt: skip

    spanish = cells("/es/clusters/download.xlsx")
    assert "Industrias sectoriales" in spanish and "Fabricación textil" in spanish
    assert "Textile Manufacturing" not in spanish and "sectoral_industries" not in spanish
    english = cells("/clusters/download.xlsx")
    assert "Sectoral Industries" in english and "Textile Manufacturing" in english
    rows = b"".join(client.get("/es/clusters/download.csv").streaming_content).decode()
    assert rows.startswith("name,") and "Textile Manufacturing" in rows  # imports back
