"""Partnership opportunities: moderated like profiles, expiring, followed, answered."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from clusterhub.core import errors
from clusterhub.ingest.demo import demo_documents
from clusterhub.matching.query import PartnerQuery
from clusterhub.matching.services import recommend
from clusterhub.messaging.models import Conversation
from clusterhub.opportunities import services
from clusterhub.opportunities.models import Opportunity

from ..accounts.conftest import ROLES
from ..documents import save_documents

pytestmark = pytest.mark.django_db
Status = Opportunity.Status
EDITORS = {"owner", "co_owner", "moderator"}


def post(people, draft_input, role="owner"):
    return services.create(people.users[role], people.slug, draft_input)


def test_an_owner_posts_a_moderator_publishes_and_the_owner_is_told(published, draft_input):
    opportunity = post(published, draft_input)
    assert opportunity.status == Status.DRAFT
    assert opportunity.target_countries == ["PT", "ES"]
    assert [t.label for t in opportunity.terms.all()] == [
        "Electric Power Generation and Transmission"
    ]
    services.change_status(published.users["owner"], opportunity.pk, "submit")
    services.change_status(published.users["moderator"], opportunity.pk, "publish")
    opportunity.refresh_from_db()
    assert opportunity.is_public and opportunity.published_at
    assert {m.to[0] for m in mail.outbox} == {"owner@example.org", "co_owner@example.org"}


def test_a_returned_opportunity_carries_the_reason(published, draft_input):
    opportunity = post(published, draft_input)
    services.change_status(published.users["owner"], opportunity.pk, "submit")
    with pytest.raises(errors.Invalid):
        services.change_status(published.users["moderator"], opportunity.pk, "return")
    services.change_status(
        published.users["moderator"], opportunity.pk, "return", "Add a deadline."
    )
    opportunity.refresh_from_db()
    assert opportunity.status == Status.RETURNED and opportunity.review_note == "Add a deadline."


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("action", "allowed"),
    [("submit", EDITORS), ("publish", {"moderator"}), ("archive", EDITORS)],
)
def test_who_may_change_a_draft(published, draft_input, role, action, allowed):
    opportunity = post(published, draft_input)
    if action == "publish":
        services.change_status(published.users["owner"], opportunity.pk, "submit")
    user = published.users[role]
    if role in allowed:
        services.change_status(user, opportunity.pk, action)
        return
    refusal = (
        errors.NotSignedIn if user is None else errors.Forbidden if role in EDITORS
        else errors.NotFound
    )  # fmt: skip
    with pytest.raises(refusal):
        services.change_status(user, opportunity.pk, action)


@pytest.mark.parametrize("role", ROLES)
def test_pages_of_a_draft_are_404_for_whoever_may_not_see_it(client, published, draft_input, role):
    opportunity = post(published, draft_input)
    user = published.users[role]
    if user:
        client.force_login(user)
    expected = 200 if role in EDITORS else 404
    assert client.get(f"/opportunities/{opportunity.pk}/").status_code == expected
    if user:  # signed in: the write pages answer the same
        assert client.get(f"/opportunities/{opportunity.pk}/edit/").status_code == expected
        answer = client.post(f"/opportunities/{opportunity.pk}/follow/", {"on": "1"})
        assert answer.status_code == (302 if role in EDITORS else 404)
        answer = client.post(f"/opportunities/{opportunity.pk}/publish/")
        assert answer.status_code == (
            302 if role == "moderator" else 403 if role in EDITORS else 404
        )
    assert (
        "Partners for a floating wind pilot" not in client.get("/opportunities/").content.decode()
    )


def test_strangers_may_not_post_for_an_organisation(published, draft_input):
    with pytest.raises(errors.Forbidden):
        post(published, draft_input, role="stranger")
    assert not Opportunity.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [({"sectoral_industries": ["Space Wine"]}, "sectoral_industries[0]"),
     ({"target_countries": ["Atlantis"]}, "target_countries[0]"),
     ({"expires_on": "2001-01-01"}, "expires_on")],
)  # fmt: skip
def test_bad_input_names_the_field_and_writes_nothing(published, draft_input, change, field):
    bad = draft_input.model_copy(update=change)
    if "expires_on" in change:
        bad = draft_input.model_copy(
            update={"expires_on": timezone.localdate() - timedelta(days=1)}
        )
    with pytest.raises(errors.Invalid) as refused:
        post(published, bad)
    assert refused.value.field == field
    assert not Opportunity.objects.exists()


def publish(people, opportunity):
    services.change_status(people.users["owner"], opportunity.pk, "submit")
    services.change_status(people.users["moderator"], opportunity.pk, "publish")
    opportunity.refresh_from_db()
    return opportunity


def test_it_expires_at_its_date_and_the_owner_renews_it(published, draft_input):
    opportunity = publish(published, post(published, draft_input))
    services.follow(published.users["stranger"], opportunity.pk)
    published.users["co_owner"].is_active = False  # a closed account is mailed nothing
    published.users["co_owner"].save()
    mail.outbox.clear()
    assert services.expire_due(opportunity.expires_on) == 0
    assert services.expire_due(opportunity.expires_on + timedelta(days=1)) == 1
    opportunity.refresh_from_db()
    assert opportunity.status == Status.EXPIRED
    assert {m.to[0] for m in mail.outbox} == {"stranger@example.org", "owner@example.org"}
    services.change_status(published.users["owner"], opportunity.pk, "renew")
    opportunity.refresh_from_db()
    assert opportunity.is_public and opportunity.expires_on == timezone.localdate() + timedelta(
        days=90
    )


def test_followers_are_told_of_an_edit_that_is_published(published, draft_input):
    opportunity = publish(published, post(published, draft_input))
    services.follow(published.users["stranger"], opportunity.pk)
    edited = draft_input.model_copy(update={"title": "Partners for two floating wind pilots"})
    opportunity = services.update(
        published.users["owner"], opportunity.pk, edited, opportunity.version
    )
    assert opportunity.status == Status.SUBMITTED  # back to review, hidden meanwhile
    with pytest.raises(errors.Conflict):
        services.update(published.users["owner"], opportunity.pk, edited, 1)
    mail.outbox.clear()
    services.change_status(published.users["moderator"], opportunity.pk, "publish")
    told = [m for m in mail.outbox if m.to == ["stranger@example.org"]]
    assert told and "two floating wind pilots" in told[0].body


def test_expressing_interest_opens_a_conversation_with_the_owners(client, published, draft_input):
    opportunity = publish(published, post(published, draft_input))
    mail.outbox.clear()
    client.force_login(published.users["stranger"])
    response = client.post(f"/opportunities/{opportunity.pk}/interest/",
                           {"sender_name": "Ana", "body": "We have a port."})  # fmt: skip
    conversation = Conversation.objects.get()
    assert response["Location"] == f"/accounts/messages/{conversation.pk}/"
    assert conversation.topic == opportunity.title
    assert conversation.subject == f"Interest in: {opportunity.title}"
    assert sorted(m.to[0] for m in mail.outbox) == ["co_owner@example.org", "owner@example.org"]


def test_the_list_searches_words_and_counts_facets(client, published, draft_input):
    publish(published, post(published, draft_input))
    offer = draft_input.model_copy(update={
        "kind": "offer", "title": "Testing bench for blades", "sectoral_industries": [],
        "target_countries": ["DE"], "call": ""})  # fmt: skip
    publish(published, post(published, offer))
    body = client.get("/opportunities/").content.decode()
    assert "2 opportunities" in body
    page = client.get("/opportunities/?q=blade").content.decode()
    assert "Testing bench for blades" in page and "floating wind" not in page
    page = client.get("/opportunities/?target_countries=PT").content.decode()
    assert "1 opportunity" in page and "Partners for a floating wind pilot" in page
    # Disjunctive: the selected facet still counts its other values.
    assert 'Germany <span class="count">(1)</span>' in page
    # The words of labels find too: the sector and a country's name.
    assert "1 opportunity" in client.get("/opportunities/?q=electric").content.decode()
    assert "1 opportunity" in client.get("/opportunities/?q=portugal").content.decode()
    fragment = client.get("/opportunities/?kind=offer", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and "Testing bench for blades" in fragment


def test_the_profile_page_lists_its_open_opportunities(client, published, draft_input):
    opportunity = post(published, draft_input)
    assert opportunity.title not in client.get(f"/clusters/{published.slug}/").content.decode()
    publish(published, opportunity)
    assert opportunity.title in client.get(f"/clusters/{published.slug}/").content.decode()


def test_the_owner_posts_through_the_pages(client, published):
    client.force_login(published.users["owner"])
    response = client.post(f"/clusters/{published.slug}/opportunities/new/", {
        "kind": "request", "title": "We seek a test site", "summary": "For drones.",
        "sectoral_industries": ["Aerospace Vehicles and Defense"], "target_countries": ["FR"]})  # fmt: skip
    opportunity = Opportunity.objects.get()
    assert response["Location"] == f"/opportunities/{opportunity.pk}/"
    client.post(f"/opportunities/{opportunity.pk}/submit/")
    assert Opportunity.objects.get().status == Status.SUBMITTED
    client.force_login(published.users["moderator"])
    assert "We seek a test site" in client.get("/opportunities/review/").content.decode()


def test_the_partner_finder_offers_contact_and_opportunities_that_fit(
    client, published, draft_input, seed_org
):
    opportunity = post(published, draft_input)  # it targets Spain, CLAG's country
    page = client.get(f"/clusters/{seed_org.slug}/partners/").content.decode()
    assert draft_input.title not in page
    services.change_status(published.users["owner"], opportunity.pk, "submit")
    services.change_status(published.users["moderator"], opportunity.pk, "publish")
    page = client.get(f"/clusters/{seed_org.slug}/partners/").content.decode()
    assert draft_input.title in page and "it looks for partners in your country" in page
    save_documents(list(demo_documents(12, seed=3)), resolve=False)
    page = client.get(f"/clusters/{seed_org.slug}/partners/").content.decode()
    proposed = recommend(seed_org.slug, PartnerQuery()).partners
    assert proposed and all(f"/clusters/{p.slug}/contact/" in page for p in proposed)
    own = client.get(f"/clusters/{published.slug}/partners/").content.decode()
    assert draft_input.title not in own  # not its own
