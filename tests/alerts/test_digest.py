"""Saved searches and follows: what is new reaches the user by mail, once; a link in
every mail stops them without signing in; every list has its Atom feed."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from clusterhub.accounts import moderation
from clusterhub.alerts import services
from clusterhub.alerts.models import ProfileFollow, SavedSearch

pytestmark = pytest.mark.django_db


def publish(people):
    moderation.change_status(people.users["owner"], people.slug, "submit")
    moderation.change_status(people.users["moderator"], people.slug, "publish")


def test_an_immediate_search_mails_a_new_matching_profile_once(people):
    user = people.users["stranger"]
    services.save_search(user, "clusters", "country=DK", "Danish clusters", "immediate")
    services.save_search(user, "clusters", "country=FR", "French clusters", "immediate")
    assert services.send_immediate() == 0
    publish(people)
    mail.outbox.clear()
    assert services.send_immediate() == 1
    (message,) = mail.outbox
    assert message.to == ["stranger@example.org"] and "Danish clusters" in message.subject
    assert "Nordic Wind Cluster" in message.body and f"/clusters/{people.slug}/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert services.send_immediate() == 0  # told once


def test_the_weekly_digest_lists_new_profiles_and_followed_changes(people):
    user = people.users["stranger"]
    services.save_search(user, "clusters", "q=wind", "Wind", "weekly")
    start = timezone.now()
    assert services.send_weekly(start) == 0  # the first week starts now
    publish(people)
    services.follow_profile(user, people.slug)
    mail.outbox.clear()
    assert services.send_weekly(start + timedelta(days=6)) == 0  # not a week yet
    assert services.send_weekly(start + timedelta(days=7, minutes=1)) == 1
    (message,) = mail.outbox
    assert "Wind" in message.body and "Nordic Wind Cluster" in message.body
    assert services.send_weekly(start + timedelta(days=15)) == 0  # nothing new since


def test_the_unsubscribe_link_works_without_signing_in(people):
    user = people.users["stranger"]
    services.save_search(user, "clusters", "", "Everything", "weekly")
    token = services.unsubscribe_token(user)
    anonymous = Client()
    assert anonymous.get(f"/alerts/unsubscribe/{token}/").status_code == 200  # asks first
    assert SavedSearch.objects.exists()
    assert anonymous.post(f"/alerts/unsubscribe/{token}/").status_code == 200
    assert not SavedSearch.objects.exists()
    assert anonymous.post(f"/alerts/unsubscribe/{token[:-2]}xx/").status_code == 404


def test_saving_a_search_from_the_page_and_its_feed(client, people):
    publish(people)
    client.force_login(people.users["stranger"])
    listing = client.get("/clusters/?country=DK").content.decode()
    assert "/accounts/alerts/save/?kind=clusters&amp;query=country%3DDK" in listing
    response = client.post("/accounts/alerts/save/", {
        "kind": "clusters", "query": "country=DK&page=3", "name": "Denmark", "frequency": "weekly"})  # fmt: skip
    assert response.status_code == 302
    search = SavedSearch.objects.get()
    assert search.query == "country=DK"  # the page is not part of it
    page = client.get("/accounts/alerts/").content.decode()
    feed_url = re.search(r'href="(/alerts/feed/[^"]+)"', page).group(1)
    feed = Client().get(feed_url)
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert "Nordic Wind Cluster" in feed.content.decode()
    assert "Nordic Wind Cluster" not in Client().get("/clusters/feed/?country=FR").content.decode()
    assert Client().get("/clusters/feed/?members_min=x").status_code == 404


def test_a_bad_saved_query_is_refused_naming_it(people):
    from clusterhub.core.errors import Invalid

    with pytest.raises(Invalid) as refused:
        services.save_search(
            people.users["stranger"], "clusters", "members_min=many", "x", "weekly"
        )
    assert refused.value.field == "query" and not SavedSearch.objects.exists()


def test_a_draft_cannot_be_followed_by_a_stranger(client, people):
    client.force_login(people.users["stranger"])
    assert client.post(f"/clusters/{people.slug}/follow/", {"on": "1"}).status_code == 404
    assert not ProfileFollow.objects.exists()


def test_a_saved_search_of_calls_and_followed_news_are_told(people, call_input, news_input):
    from clusterhub.calls import services as calls
    from clusterhub.news import services as news

    user = people.users["stranger"]
    services.save_search(
        user, "calls", "kind=eu&eligible_countries=PT", "EU calls for PT", "immediate"
    )
    calls.create(
        people.users["moderator"], call_input.model_copy(update={"eligible_countries": ["FR"]})
    )
    assert services.send_immediate() == 0  # not for Portugal
    calls.create(people.users["moderator"], call_input.model_copy(update={"identifier": "PT-1"}))
    assert services.send_immediate() == 1
    assert call_input.title in mail.outbox[-1].body
    feed = Client().get("/calls/feed/?eligible_countries=PT").content.decode()
    assert feed.count("<entry>") == 1
    publish(people)
    services.follow_profile(user, people.slug)
    start = timezone.now()
    news.post(people.users["moderator"], people.slug, news_input)
    found = services.followed_news(user, start, timezone.now() + timedelta(seconds=1))
    assert [f.title for f in found] == [f"Nordic Wind Cluster: {news_input.title}"]
