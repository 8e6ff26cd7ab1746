"""Facet values and field names in the reader's language; a value found by its label in
any interface language; the API and the documents keep the ECCP English labels."""

import re

from clusterhub.directory.query import DirectoryQuery
from clusterhub.directory.services import search


def _names(result) -> set[str]:
    return {item.name for item in result.items}


def test_a_sector_is_found_by_its_name_in_any_language(small_directory):
    textile = {"Cluster Têxtil do Norte"}
    for typed in ("Fabricación textil", "Textilherstellung", "produkcja tekstyliów"):
        assert textile <= _names(search(DirectoryQuery(q=typed, page_size=100))), typed
    automotive = _names(search(DirectoryQuery(sectoral_industries=["automotive"], page_size=100)))
    assert automotive
    for typed in ("automoción", "Automobilindustrie", "motoryzacja", "automovel"):
        assert automotive <= _names(search(DirectoryQuery(q=typed, page_size=100))), typed


def test_the_directory_shows_facets_and_values_in_spanish(client, small_directory):
    page = client.get("/es/clusters/", {"sectoral_industries": "apparel"}).content.decode()
    assert re.search(r"<h3[^>]*>\s*Industria sectorial", page) or "Industria sectorial" in page
    assert "Confección" in page and ">Apparel<" not in page
    assert re.search(r'class="chip"[^>]*>[^<]*Confección', page)
    api = client.get("/api/clusters", {"sectoral_industries": "apparel"}).json()
    labels = {v["value"]: v["label"] for v in api["facets"]["sectoral_industries"]["values"]}
    assert labels["apparel"] == "Apparel"


def test_a_profile_shows_its_field_names_and_terms_in_german(client, small_directory):
    page = client.get("/de/clusters/cluster-textil-do-norte/").content.decode()
    page = re.sub(r"<script.*?</script>", "", page, flags=re.S)  # JSON-LD keeps English
    assert "Textilherstellung" in page and "Bekleidung" in page
    assert "Sectoral Industries" not in page and "Textile Manufacturing" not in page
