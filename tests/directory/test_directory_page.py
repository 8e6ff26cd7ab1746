"""/clusters/: the same search as the API, as an accessible page that works without JS."""

import re

import pytest

from clusterhub.directory.query import FACETS

pytestmark = pytest.mark.django_db


def test_full_page_without_javascript(client, small_directory):
    response = client.get("/clusters/", {"q": "textil", "country": ["PT", "ES"], "sort": "name"})
    assert response.status_code == 200
    body = response.content.decode()
    assert '<form id="directory-form" method="get" action="/clusters/"' in body
    assert 'value="textil"' in body
    assert re.search(r'name="country" value="PT" checked', body)
    assert "Apply filters" in body  # a submit button for browsers without JS
    # Two say it in their text; a third is in the Textiles industrial ecosystem.
    assert "3 organisations matching “textil”" in body
    assert 'aria-label="Remove filter Country: Portugal"' in body
    assert '<option value="name" selected>' in body


def test_htmx_request_gets_only_the_results(client, small_directory):
    response = client.get("/clusters/", {"q": "textil"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and 'class="directory"' in body
    assert "<mark>" in body


def test_chip_links_remove_one_value(client, small_directory):
    body = client.get("/clusters/", {"country": ["PT", "ES"]}).content.decode()
    assert 'href="?country=ES"' in body  # removing Portugal keeps Spain
    assert 'href="?country=PT"' in body


def test_pagination_links_keep_the_state(client, small_directory):
    body = client.get("/clusters/", {"q": "cluster", "page_size": "5"}).content.decode()
    assert 'href="?q=cluster&amp;page_size=5&amp;page=2" rel="next"' in body
    body = client.get(
        "/clusters/", {"q": "cluster", "page_size": "5", "page": "2"}
    ).content.decode()
    assert 'href="?q=cluster&amp;page_size=5" rel="prev"' in body


def test_show_all_expands_a_facet(client, small_directory):
    body = client.get("/clusters/").content.decode()
    assert 'href="?expand=regions"' in body
    expanded = client.get("/clusters/", {"expand": "regions"}).content.decode()
    region_boxes = re.findall(r'name="regions" value=', expanded)
    assert len(region_boxes) > 10
    assert 'name="expand" value="regions"' in expanded


def test_bad_parameters_are_explained_not_fatal(client, small_directory):
    response = client.get("/clusters/", {"page": "zero", "utm_source": "mail"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "page: Input should be a valid integer" in body
    assert "64 organisations" in body


def test_page_is_accessible(client, small_directory):
    body = client.get("/clusters/", {"q": "textil"}).content.decode()
    assert 'role="search"' in body and '<label for="q">' in body and '<label for="sort">' in body
    assert body.count("<fieldset") == len(FACETS) and body.count("<legend>") == len(FACETS)
    assert 'role="status" aria-live="polite"' in body
    assert '<main id="main"' in body


def test_page_query_count_is_fixed(client, small_directory, django_assert_max_num_queries):
    client.get("/clusters/")
    with django_assert_max_num_queries(6):
        client.get(
            "/clusters/", {"q": "textil", "country": ["PT"], "sectoral_industries": ["apparel"]}
        )
