"""`clusterhub demo` shows every kind of thing: calls, opportunities, news, a conversation."""

import pytest
from django.core.management import call_command

from clusterhub.calls.models import FundingCall
from clusterhub.messaging.services import inbox
from clusterhub.news.models import NewsItem
from clusterhub.opportunities.models import Opportunity

pytestmark = pytest.mark.django_db


def test_the_demo_has_calls_opportunities_news_and_a_conversation(client, django_user_model):
    call_command("demo", profiles=20, seed=2)
    states = {c.state() for c in FundingCall.objects.all()}
    assert states == {"open", "upcoming", "closed"}
    published = Opportunity.objects.filter(status="published")
    assert published.count() >= 10 and published.filter(funding_call__isnull=False).exists()
    assert NewsItem.objects.filter(status="published").count() >= 10
    owner = django_user_model.objects.get(email="owner@demo.invalid")
    assert [c.subject for c in inbox(owner)] == ["Co-production partners in Galicia"]
    assert owner.check_password("clusterhub-demo")
    client.force_login(owner)
    assert b"Co-production partners in Galicia" in client.get("/accounts/messages/").content
