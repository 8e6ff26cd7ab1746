"""The profile page's summary, section index, schema.org JSON-LD, meta description and
other formats."""

import csv
import io
import json
import re

from tests.documents import save_document


def test_summary_index_and_actions(client, seed_org):
    body = client.get("/clusters/cluster-do-audiovisual-galego/").content.decode()
    header = body[
        body.index('<header class="profile-header') : body.index(
            "</header>", body.index('<header class="profile-header')
        )
    ]
    assert "Spain · Galicia" in header and "Bronze Label" in header
    assert "40 members" in header and "Established 2003" in header
    assert "Video Production and Distribution" in header
    assert 'href="/clusters/cluster-do-audiovisual-galego/contact/"' in header
    assert 'href="/clusters/cluster-do-audiovisual-galego/partners/"' in header
    index = body[body.index('class="section-index"') :]
    assert '<a href="#s-general">General Information</a>' in index
    assert '<a href="#s-services">Services</a>' in index
    assert 'href="/clusters/cluster-do-audiovisual-galego.csv"' in body


def test_jsonld_and_meta_description_without_contacts(client, seed_org):
    body = client.get("/clusters/cluster-do-audiovisual-galego/").content.decode()
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    node = json.loads(script.group(1))
    assert node["@context"] == "https://schema.org" and node["@type"] == "Organization"
    assert node["name"] == "CLUSTER DO AUDIOVISUAL GALEGO"
    assert node["address"]["addressCountry"] == "ES"
    assert "clag.es" not in json.dumps(node)  # names and roles, no emails
    description = re.search(r'<meta name="description" content="([^"]*)">', body).group(1)
    assert description.startswith("Create and develop in an integral way audiovisual")
    assert len(description) <= 160


def test_a_name_cannot_close_the_jsonld_script(client, seed_org, seed_doc):
    save_document(seed_doc.model_copy(update={"name": "Evil </script><script>alert(1)"}))
    body = client.get("/clusters/cluster-do-audiovisual-galego/").content.decode()
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    assert json.loads(script.group(1))["name"] == "Evil </script><script>alert(1)"


def test_the_profile_as_one_csv_row(client, seed_org):
    response = client.get("/clusters/cluster-do-audiovisual-galego.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1 and rows[0]["name"] == "CLUSTER DO AUDIOVISUAL GALEGO"


def test_long_tables_fold_after_five_rows(client, seed_org, seed_doc):
    save_document(seed_doc.model_copy(update={"services": seed_doc.services * 3}))
    body = client.get("/clusters/cluster-do-audiovisual-galego/").content.decode()
    shown = len(seed_doc.services) * 3 - 5
    assert f"<summary>Show {shown} more</summary>" in body
