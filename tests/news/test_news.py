"""News and events of clusters: posted by owners, published by moderators."""

import pytest
from django.core import mail

from clusterhub.core import errors
from clusterhub.news import services
from clusterhub.news.models import NewsItem

from ..accounts.conftest import ROLES

pytestmark = pytest.mark.django_db
Status = NewsItem.Status
EDITORS = {"owner", "co_owner", "moderator"}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_post_news_of_a_profile(published, news_input, role):
    user = published.users[role]
    if role in EDITORS:
        item = services.post(user, published.slug, news_input)
        assert item.status == (Status.PUBLISHED if role == "moderator" else Status.SUBMITTED)
    else:
        with pytest.raises((errors.Forbidden, errors.NotSignedIn)):
            services.post(user, published.slug, news_input)


def test_news_of_a_draft_profile_waits_for_the_profile(people, news_input):
    with pytest.raises(errors.Invalid):
        services.post(people.users["owner"], people.slug, news_input)


def test_a_moderator_publishes_and_it_shows_everywhere(client, published, news_input):
    item = services.post(published.users["owner"], published.slug, news_input)
    assert client.get(item.get_absolute_url()).status_code == 404
    for where in (
        "/news/",
        f"/clusters/{published.slug}/",
        f"/clusters/{published.slug}/news/feed/",
    ):
        assert news_input.title not in client.get(where).content.decode()
    services.decide(published.users["moderator"], item.pk, "publish")
    assert {m.to[0] for m in mail.outbox} == {"owner@example.org", "co_owner@example.org"}
    assert client.get(item.get_absolute_url()).status_code == 200
    for where in (
        "/news/",
        "/news/?kind=event",
        f"/clusters/{published.slug}/",
        f"/clusters/{published.slug}/news/feed/",
    ):
        assert news_input.title in client.get(where).content.decode(), where
    assert news_input.title not in client.get("/news/?kind=news").content.decode()


def test_an_owners_edit_of_published_news_goes_back_to_review(published, news_input):
    item = services.post(published.users["owner"], published.slug, news_input)
    item = services.decide(published.users["moderator"], item.pk, "publish")
    changed = news_input.model_copy(update={"title": "Wind days moved to June"})
    item = services.update(published.users["owner"], item.pk, changed, item.version)
    assert item.status == Status.SUBMITTED
    with pytest.raises(errors.Conflict):
        services.update(published.users["owner"], item.pk, changed, item.version - 1)


def test_returning_needs_a_reason_and_only_moderators_decide(published, news_input):
    item = services.post(published.users["owner"], published.slug, news_input)
    with pytest.raises(errors.Forbidden):
        services.decide(published.users["owner"], item.pk, "publish")
    with pytest.raises(errors.Invalid):
        services.decide(published.users["moderator"], item.pk, "return")
    item = services.decide(published.users["moderator"], item.pk, "return", "Say where.")
    assert item.status == Status.RETURNED and item.review_note == "Say where."


@pytest.mark.parametrize("link", ["javascript:alert(1)", "ftp://x.example/", "wind.example"])
def test_links_must_be_web_addresses(link, news_input):
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="link"):
        services.NewsIn.model_validate(news_input.model_dump() | {"link": link})


def test_owners_post_through_the_pages_and_text_is_escaped(client, published):
    client.force_login(published.users["owner"])
    response = client.post(f"/clusters/{published.slug}/news/new/", {
        "kind": "news", "title": "<script>x</script>New members", "text": "We grew.", "date": "2026-12-01",
    })  # fmt: skip
    item = NewsItem.objects.get()
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    page = client.get(item.get_absolute_url()).content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;New members" in page and "<script>x" not in page
    client.post(f"/news/{item.pk}/delete/")
    assert not NewsItem.objects.exists()


def test_the_news_list_has_an_atom_feed_of_its_selection(client, published, news_input):
    services.post(published.users["moderator"], published.slug, news_input)
    services.post(
        published.users["moderator"],
        published.slug,
        news_input.model_copy(update={"kind": "news", "title": "New members"}),
    )
    events = client.get("/news/feed/?kind=event").content.decode()
    assert events.count("<entry>") == 1 and news_input.title in events
    assert client.get("/news/feed/").content.decode().count("<entry>") == 2
    assert client.get("/news/feed/?page=0").status_code == 404
