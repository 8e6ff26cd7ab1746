"""Contacting a cluster: the message reaches its owners, replies come back, nobody else
reads the thread, and no owner's address is handed out."""

import pytest
from django.core import mail

from clusterhub.core.errors import Invalid, NotFound, NotSignedIn, TooMany
from clusterhub.messaging import services
from clusterhub.messaging.models import Conversation

pytestmark = pytest.mark.django_db


def write(people, role="stranger", **fields):
    data = {"subject": "Joint Horizon proposal", "body": "Shall we talk about offshore wind?",
            "sender_name": "Ana Sousa", "sender_organisation": "Blue Sea Cluster", **fields}  # fmt: skip
    return services.contact(people.users[role], people.slug, **data)


def test_the_message_reaches_the_owners_by_mail_with_a_reply_address(published):
    conversation = write(published)
    # One mail each, in each owner's language: an owner does not see the other's address.
    assert sorted(m.to[0] for m in mail.outbox) == ["co_owner@example.org", "owner@example.org"]
    for message in mail.outbox:
        assert message.to[0:1] == message.to and message.reply_to == ["stranger@example.org"]
        assert "Ana Sousa, Blue Sea Cluster" in message.body
        assert "offshore wind" in message.body
        assert f"/accounts/messages/{conversation.pk}/" in message.body


def test_the_owner_replies_from_the_inbox_and_the_sender_is_told_without_the_owners_address(
    client, published
):
    conversation = write(published)
    mail.outbox.clear()
    client.force_login(published.users["owner"])
    inbox = client.get("/accounts/messages/").content.decode()
    assert "Joint Horizon proposal" in inbox and "unread" in inbox
    response = client.post(f"/accounts/messages/{conversation.pk}/", {"body": "Gladly. Tuesday?"})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["stranger@example.org"]
    assert message.reply_to == []
    assert "owner@example.org" not in message.body and "Gladly. Tuesday?" in message.body
    # The sender sees it unread, reads it, and it is read.
    client.force_login(published.users["stranger"])
    assert services.unread_count(published.users["stranger"]) == 1
    page = client.get(f"/accounts/messages/{conversation.pk}/").content.decode()
    assert "Gladly. Tuesday?" in page and "owner@example.org" not in page
    assert services.unread_count(published.users["stranger"]) == 0


@pytest.mark.parametrize("role", ["anonymous", "staff", "moderator"])
def test_whoever_is_not_a_party_is_told_the_thread_does_not_exist(client, published, role):
    conversation = write(published)
    user = published.users[role]
    if user is None:
        response = client.get(f"/accounts/messages/{conversation.pk}/")
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        return
    client.force_login(user)
    assert client.get(f"/accounts/messages/{conversation.pk}/").status_code == 404
    assert client.post(f"/accounts/messages/{conversation.pk}/", {"body": "x"}).status_code == 404
    assert (
        client.post(f"/accounts/messages/{conversation.pk}/report/", {"reason": "x"}).status_code
        == 404
    )
    assert client.get(f"/accounts/messages/{conversation.pk + 1000}/").status_code == 404


def test_a_reported_thread_is_read_by_moderators_and_resolved(client, published):
    conversation = write(published)
    client.force_login(published.users["owner"])
    client.post(f"/accounts/messages/{conversation.pk}/report/", {"reason": "Spam, again."})
    client.force_login(published.users["moderator"])
    reports = client.get("/accounts/messages/reports/").content.decode()
    assert "Spam, again." in reports and "Joint Horizon proposal" in reports
    page = client.get(f"/accounts/messages/{conversation.pk}/").content.decode()
    assert "offshore wind" in page
    # A moderator reads it, and cannot write in it.
    assert client.post(f"/accounts/messages/{conversation.pk}/", {"body": "x"}).status_code == 404
    report = conversation.reports.get()
    client.post(f"/accounts/messages/reports/{report.pk}/resolve/")
    assert "Spam, again." not in client.get("/accounts/messages/reports/").content.decode()
    client.force_login(published.users["stranger"])
    assert client.get("/accounts/messages/reports/").status_code == 403


def test_drafts_cannot_be_contacted_and_owners_do_not_write_to_themselves(people, published):
    with pytest.raises(Invalid):
        write(published, role="owner")
    with pytest.raises(NotSignedIn):
        write(published, role="anonymous")


def test_a_draft_profile_does_not_exist_for_a_stranger(people):
    with pytest.raises(NotFound):
        write(people)


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"body": ""}, "body"), ({"body": "x" * 5001}, "body"), ({"subject": "a\x00b"}, "subject"),
     ({"sender_name": " "}, "sender_name")],
)  # fmt: skip
def test_bad_input_is_refused_naming_the_field_and_writes_nothing(published, fields, field):
    with pytest.raises(Invalid) as refused:
        write(published, **fields)
    assert refused.value.field == field
    assert not Conversation.objects.exists() and not mail.outbox


def test_messages_are_escaped_and_only_http_links_are_links(client, published):
    conversation = write(
        published, body="<script>alert(1)</script> see https://wind.example and javascript:alert(1)"
    )
    client.force_login(published.users["owner"])
    page = client.get(f"/accounts/messages/{conversation.pk}/").content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    assert 'href="https://wind.example"' in page and 'href="javascript' not in page


def test_a_sender_is_rate_limited(published, settings):
    settings.CLUSTERHUB_MESSAGES_RATE = "2/h"
    write(published)
    write(published)
    with pytest.raises(TooMany):
        write(published)
    assert Conversation.objects.count() == 2


def test_the_contact_page_sends_and_opens_the_thread(client, published):
    client.force_login(published.users["stranger"])
    page = client.get(f"/clusters/{published.slug}/")
    assert f"/clusters/{published.slug}/contact/" in page.content.decode()
    response = client.post(f"/clusters/{published.slug}/contact/", {
        "sender_name": "Ana", "subject": "Hello", "body": "Talk?"})  # fmt: skip
    conversation = Conversation.objects.get()
    assert response["Location"] == f"/accounts/messages/{conversation.pk}/"
    too_long = client.post(f"/clusters/{published.slug}/contact/", {
        "sender_name": "Ana", "subject": "Hello", "body": "x" * 6000})  # fmt: skip
    assert too_long.status_code == 200 and "at most 5000 characters" in too_long.content.decode()


def test_a_user_downloads_and_deletes_their_messages(client, published):
    write(published)
    client.force_login(published.users["stranger"])
    data = client.get("/accounts/data/").json()
    assert data["messages_sent"][0]["body"] == "Shall we talk about offshore wind?"
    client.post("/accounts/messages/delete/")
    assert not Conversation.objects.exists()
    assert client.get("/accounts/data/").json()["messages_sent"] == []
