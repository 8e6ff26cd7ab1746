"""Writes of the new apps that race, from parallel clients (SQLite and PostgreSQL): one
call per identifier, one decision per opportunity or news item, one follow each."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from clusterhub.calls.models import FundingCall
from clusterhub.news import services as news
from clusterhub.opportunities import services
from clusterhub.opportunities.models import Follow

from ..accounts.test_parallel_writes import in_parallel

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def vocabularies(transactional_db):
    call_command("load_vocab", verbosity=0)  # a flushed test database has none


def api(people, role) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {people.keys[role]}")


def test_parallel_posts_of_one_call_make_one_and_conflicts(people, call_input):
    def post(i):
        body = call_input.model_dump(mode="json")
        body["identifier"] = body["identifier"].lower() if i % 2 else body["identifier"]
        return (
            api(people, "moderator")
            .post("/api/calls", body, content_type="application/json")
            .status_code
        )

    assert sorted(in_parallel(8, post)) == [201] + [409] * 7
    assert FundingCall.objects.count() == 1


def test_parallel_publications_of_an_opportunity_decide_once(published, draft_input):
    opportunity = services.create(published.users["owner"], published.slug, draft_input)
    services.change_status(published.users["owner"], opportunity.pk, "submit")
    mail.outbox.clear()

    def publish(i):
        return (
            api(published, "moderator")
            .post(
                f"/api/opportunities/{opportunity.pk}/publish", {}, content_type="application/json"
            )
            .status_code
        )

    assert sorted(in_parallel(6, publish)) == [200] + [409] * 5
    opportunity.refresh_from_db()
    assert opportunity.version == 3  # created, submitted, published: once
    assert len(mail.outbox) == 2  # the owner and the co-owner, told once each


def test_parallel_decisions_on_news_leave_one(published, news_input):
    item = news.post(published.users["owner"], published.slug, news_input)

    def decide(i):
        action = "publish" if i % 2 else "return"
        return (
            api(published, "moderator")
            .post(
                f"/api/news/{item.pk}/{action}",
                {"note": "Say where."},
                content_type="application/json",
            )
            .status_code
        )

    assert sorted(in_parallel(6, decide)) == [200] + [409] * 5
    item.refresh_from_db()
    assert item.version == 2


def test_parallel_follows_by_one_user_make_one(published, draft_input):
    opportunity = services.create(published.users["owner"], published.slug, draft_input)
    services.change_status(published.users["owner"], opportunity.pk, "submit")
    services.change_status(published.users["moderator"], opportunity.pk, "publish")
    user = published.users["stranger"]

    def follow(i):
        client = Client()
        client.force_login(user)
        return client.post(f"/opportunities/{opportunity.pk}/follow/", {"on": "1"}).status_code

    assert in_parallel(6, follow) == [302] * 6
    assert Follow.objects.filter(user=user, opportunity=opportunity).count() == 1
