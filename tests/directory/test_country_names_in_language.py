"""Country names on pages in the reader's language (CLDR through Babel): the results,
the facets, the chips and the menus; the documents and the API keep the English ones."""

import re

from babel import Locale
from django.utils import translation

from clusterhub.core.places import country_label
from clusterhub.vocab.translations import value_label


def test_country_label_follows_the_page_language():
    with translation.override("es"):
        assert country_label("DE") == "Alemania"
        assert value_label("DE", "Germany") == "Alemania"
        assert value_label("Renewable Energy", "Renewable Energy") == "Renewable Energy"
    with translation.override("en"):
        assert country_label("DE") == "Germany"


def test_the_directory_names_countries_in_spanish(client, small_directory):
    page = client.get("/es/clusters/", {"country": "PT"}).content.decode()
    spanish = Locale.parse("es").territories
    shown = re.findall(r'name="country" value="([A-Z]{2})"[^>]*>\s*([^<(]+?)\s*<', page)
    assert len(shown) >= 5 and all(label == spanish[code] for code, label in shown), shown
    assert re.search(r'class="chip"[^>]*>[^<]*: Portugal', page)
    belgium = client.get("/es/clusters/", {"country": "BE"}).content.decode()
    assert "Bélgica" in belgium and ">Belgium" not in belgium
    api = client.get("/api/clusters", {"country": "ES"}, HTTP_ACCEPT_LANGUAGE="es").json()
    labels = {v["value"]: v["label"] for v in api["facets"]["country"]["values"]}
    assert labels["ES"] == "Spain"  # the API keeps the English names
