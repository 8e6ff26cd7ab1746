"""What is sent to someone is written in their language: the one they last read the site
in, whoever's request sends it."""

import pytest
from django.core import mail
from django.utils import translation

from clusterhub.accounts.languages import language_of, remember_language
from clusterhub.accounts.models import LanguagePreference
from clusterhub.messaging import services


@pytest.fixture
def spanish_owner(published):
    remember_language(published.users["owner"], "es")
    remember_language(published.users["co_owner"], "de")
    return published


def test_a_signed_in_reader_s_language_is_remembered_once_per_change(client, published):
    user = published.users["stranger"]
    client.force_login(user)
    client.get("/fr/clusters/")
    assert language_of(user) == "fr"
    updated = LanguagePreference.objects.get(user=user).updated_at
    client.get("/fr/clusters/")
    assert LanguagePreference.objects.get(user=user).updated_at == updated  # not written again
    client.get("/pl/clusters/")
    assert language_of(user) == "pl" and language_of(user.email.upper()) == "pl"
    assert language_of("nobody@example.org") == "en"


def test_a_message_reaches_each_owner_in_their_language(spanish_owner):
    with translation.override("en"):  # the sender reads English
        services.contact(
            spanish_owner.users["stranger"], spanish_owner.slug, subject="Wind", body="Talk?",
            sender_name="Ana", sender_organisation="Blue Sea",
        )  # fmt: skip
    by_address = {m.to[0]: m for m in mail.outbox}
    spanish, german = by_address["owner@example.org"], by_address["co_owner@example.org"]
    assert spanish.subject.startswith("Mensaje para") and "Message for" not in spanish.subject
    assert german.subject.startswith("Nachricht an")
    # Links carry no language: the reader's browser chooses the page's.
    assert "/accounts/messages/" in spanish.body and "/es/" not in spanish.body
