"""Error pages inside the site's layout, and the list pages' numbered pagination."""

import pytest

from clusterhub.directory.views import page_numbers


def test_404_inside_the_layout(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert '<header class="site-header">' in body
    assert "Page not found" in body and 'href="/clusters/"' in body


def test_500_inside_the_layout_without_a_traceback(client, db, settings):
    client.raise_request_exception = False
    settings.ROOT_URLCONF = "tests.error_urls"
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong" in body and "secret detail" not in body


@pytest.mark.parametrize(
    ("page", "pages", "shown"),
    [
        (1, 1, [1]),
        (1, 5, [1, 2, 3, None, 5]),
        (6, 12, [1, None, 4, 5, 6, 7, 8, None, 12]),
        (12, 12, [1, None, 10, 11, 12]),
        (3, 5, [1, 2, 3, 4, 5]),
    ],
)
def test_page_numbers_keep_the_ends_and_the_neighbours(page, pages, shown):
    assert page_numbers(page, pages) == shown
