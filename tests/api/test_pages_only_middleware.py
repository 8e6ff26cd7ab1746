"""The API's JSON answers pass by the middleware only pages need (sessions, the
signed-in user, messages, the content-security policy, htmx); its
documentation page, a page, does not."""

import pytest
from django.middleware.csrf import CsrfViewMiddleware

from clusterhub.accounts.languages import language_of
from clusterhub.core.middleware import pages_only

pytestmark = pytest.mark.django_db


def test_an_api_answer_sets_no_cookie_and_no_page_headers(client, published):
    client.force_login(published.users["stranger"])
    response = client.get("/api/clusters", {"q": "cluster"})
    assert response.status_code == 200 and response.json()["total"] >= 1
    assert not response.cookies  # the session was neither read nor saved
    assert "Content-Security-Policy" not in response
    # What every answer needs is still there.
    assert response["X-Content-Type-Options"] == "nosniff" and response["X-Frame-Options"] == "DENY"
    assert "Accept-Language" in response["Vary"]


def test_the_api_documentation_page_keeps_the_page_headers(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_pages_keep_their_session_and_user(client, published):
    user = published.users["stranger"]
    client.force_login(user)
    client.get("/api/clusters", HTTP_ACCEPT_LANGUAGE="fr")
    assert language_of(user) == "en"  # the API has no user: nothing remembered
    client.get("/fr/clusters/")
    assert language_of(user) == "fr"


def test_an_unknown_api_address_is_a_404_without_a_user(client):
    assert client.get("/api/no-such-thing").status_code == 404


def test_middleware_with_hooks_django_calls_itself_is_refused():
    with pytest.raises(TypeError, match="CsrfViewMiddleware"):
        pages_only(CsrfViewMiddleware)
