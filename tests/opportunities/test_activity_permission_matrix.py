"""Who may do what with conversations, opportunities, calls, news and saved searches:
every role against every new page and API endpoint that names one.

Whoever may not see a thing (a draft opportunity, news waiting for review, a withdrawn
call, someone else's conversation or saved search) is told it does not exist: a 404,
never a 403 that would confirm it is there. Someone who sees it and may not do this
gets a 403; anonymous users are sent to sign in on pages that need it, and get a 401
from API writes."""

from dataclasses import dataclass

import pytest

from clusterhub.alerts.services import save_search
from clusterhub.calls import services as calls
from clusterhub.messaging.services import contact
from clusterhub.news import services as news
from clusterhub.opportunities import services as opportunities

from ..accounts.conftest import ROLES

pytestmark = pytest.mark.django_db
EDITORS = {"owner", "co_owner", "moderator"}
SIGNED_IN = set(ROLES) - {"anonymous"}
MODERATOR = {"moderator"}
PARTIES = {"stranger", "owner", "co_owner"}  # the stranger wrote to the owners


@dataclass
class Things:
    draft: int  # an opportunity
    submitted: int  # an opportunity waiting for review
    news: int  # waiting for review
    call: int
    withdrawn: int  # a call
    conversation: int
    search: int  # the stranger's


@pytest.fixture
def things(published, draft_input, news_input, call_input):
    users = published.users
    draft = opportunities.create(users["owner"], published.slug, draft_input)
    submitted = opportunities.create(users["owner"], published.slug, draft_input)
    opportunities.change_status(users["owner"], submitted.pk, "submit")
    item = news.post(users["owner"], published.slug, news_input)
    call = calls.create(users["moderator"], call_input)
    withdrawn = calls.create(
        users["moderator"], call_input.model_copy(update={"identifier": "W-1"})
    )
    calls.set_status(users["moderator"], withdrawn.pk, "withdrawn")
    conversation = contact(
        users["stranger"], published.slug, subject="Hello", body="Shall we meet?", sender_name="S"
    )
    search = save_search(users["stranger"], "clusters", "country=PT", "PT", "weekly")
    return Things(
        draft.pk, submitted.pk, item.pk, call.pk, withdrawn.pk, conversation.pk, search.pk
    )


# (method, path, roles it succeeds for, roles that may see the thing, whether the page
# needs a signed-in user)
WEB = [
    ("get", "/opportunities/{draft}/", EDITORS, EDITORS, False),
    ("get", "/opportunities/{draft}/edit/", EDITORS, EDITORS, True),
    ("post", "/opportunities/{draft}/submit/", EDITORS, EDITORS, True),
    ("post", "/opportunities/{draft}/follow/", EDITORS, EDITORS, True),
    ("get", "/opportunities/{draft}/interest/", EDITORS, EDITORS, True),
    ("post", "/opportunities/{submitted}/publish/", MODERATOR, EDITORS, True),
    ("get", "/opportunities/review/", MODERATOR, SIGNED_IN, True),
    ("get", "/clusters/{slug}/opportunities/new/", EDITORS, SIGNED_IN, True),
    ("get", "/news/{news}/", EDITORS, EDITORS, False),
    ("get", "/news/{news}/edit/", EDITORS, EDITORS, True),
    ("post", "/news/{news}/publish/", MODERATOR, EDITORS, True),
    ("post", "/news/{news}/delete/", EDITORS, EDITORS, True),
    ("get", "/news/review/", MODERATOR, SIGNED_IN, True),
    ("get", "/clusters/{slug}/news/new/", EDITORS, SIGNED_IN, True),
    ("get", "/calls/{withdrawn}/", MODERATOR, MODERATOR, False),
    ("get", "/calls/{withdrawn}/edit/", MODERATOR, MODERATOR, True),
    ("get", "/calls/{call}/edit/", MODERATOR, SIGNED_IN, True),
    ("post", "/calls/{call}/status/", MODERATOR, SIGNED_IN, True),
    ("get", "/calls/new/", MODERATOR, SIGNED_IN, True),
    ("get", "/calls/posters/", MODERATOR, SIGNED_IN, True),
    ("get", "/accounts/messages/{conversation}/", PARTIES, PARTIES, True),
    ("post", "/accounts/messages/{conversation}/unread/", PARTIES, PARTIES, True),
    ("post", "/accounts/messages/{conversation}/report/", PARTIES, PARTIES, True),
    ("get", "/accounts/messages/reports/", MODERATOR, SIGNED_IN, True),
    ("post", "/accounts/alerts/{search}/", {"stranger"}, {"stranger"}, True),
]
DATA = {
    "status": "withdrawn",
    "note": "Say more.",
    "on": "1",
    "reason": "Spam.",
    "frequency": "immediate",
}


def expected(role, allowed, seers, signed_in_only) -> set[int]:
    if role in allowed:
        return {200, 302}
    if role == "anonymous":
        return {302} if signed_in_only else {404}
    return {404} if role not in seers else {403}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "allowed", "seers", "signed_in_only"), WEB)
def test_pages(client, published, things, role, method, path, allowed, seers, signed_in_only):
    if published.users[role]:
        client.force_login(published.users[role])
    url = path.format(slug=published.slug, **vars(things))
    response = getattr(client, method)(url, DATA)
    assert response.status_code in expected(role, allowed, seers, signed_in_only), url
    if role == "anonymous" and signed_in_only:
        assert "/accounts/login/" in response.url
    elif role in allowed and response.status_code == 302:
        assert "/accounts/login/" not in response.url


# (method, path, body, roles it succeeds for, roles that may see the thing)
API = [
    ("get", "/api/opportunities/{draft}", None, EDITORS, EDITORS),
    ("put", "/api/opportunities/{draft}", "opportunity", EDITORS, EDITORS),
    ("post", "/api/opportunities/{submitted}/publish", {}, MODERATOR, EDITORS),
    ("get", "/api/news/{news}", None, EDITORS, EDITORS),
    ("post", "/api/news/{news}/publish", {}, MODERATOR, EDITORS),
    ("delete", "/api/news/{news}", None, EDITORS, EDITORS),
    ("get", "/api/calls/{withdrawn}", None, MODERATOR, MODERATOR),
    ("put", "/api/calls/{call}", "call", MODERATOR, SIGNED_IN),
    ("post", "/api/calls/{call}/status", {"status": "withdrawn"}, MODERATOR, SIGNED_IN),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "body", "allowed", "seers"), API)
def test_api(
    client, published, things, draft_input, call_input, role, method, path, body, allowed, seers
):
    url = path.format(**vars(things))
    bodies = {
        "opportunity": draft_input.model_dump(mode="json"),
        "call": call_input.model_dump(mode="json"),
    }
    body = bodies.get(body, body) if isinstance(body, str) else body
    kwargs = (
        {"content_type": "application/json", "HTTP_IF_MATCH": '"1"'} if body is not None else {}
    )
    args = (url, body) if body is not None else (url,)
    response = getattr(client, method)(*args, **kwargs, **published.auth(role))
    if role in allowed:
        assert response.status_code in (200, 201, 204), (url, response.content)
    elif role == "anonymous":
        assert response.status_code == (404 if method == "get" else 401), url
    else:
        assert response.status_code == (404 if role not in seers else 403), (url, response.content)
