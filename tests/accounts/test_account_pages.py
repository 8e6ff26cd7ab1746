"""Sign up with email confirmation, sign in (throttled), passwords, API keys."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from clusterhub.accounts.models import ApiToken

pytestmark = pytest.mark.django_db
PASSWORD = "Wind-turbine-4021"


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group().removeprefix("http://testserver")


def sign_up(client, email="ida@wind.example"):
    return client.post(
        "/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    )


def test_sign_up_confirm_and_land_on_the_account_page(client):
    response = sign_up(client, "Ida@Wind.example")
    assert response.status_code == 200 and "ida@wind.example" in response.content.decode()
    user = User.objects.get(email="ida@wind.example")
    assert not user.is_active  # until confirmed
    assert log_in(client).status_code == 200  # the form again: not signed in
    (message,) = mail.outbox
    assert message.to == ["ida@wind.example"]
    response = client.get(link_in(message), follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/"
    assert "Signed in as" in response.content.decode()
    assert User.objects.get(pk=user.pk).is_active
    # The link works once.
    client.logout()
    assert Client().get(link_in(message)).status_code == 400


def test_sign_up_does_not_reveal_a_known_email_and_refuses_weak_passwords(client):
    first = sign_up(client)
    mail.outbox.clear()
    again = sign_up(client, "IDA@wind.example")
    # The page says the same to everyone; the account's owner is told by mail.
    assert again.status_code == first.status_code == 200
    assert again.content.decode().replace("IDA@wind", "ida@wind") == first.content.decode()
    (message,) = mail.outbox
    assert message.to == ["ida@wind.example"] and "already has an account" in message.body
    weak = client.post(
        "/accounts/signup/", {"email": "x@y.example", "password1": "123", "password2": "123"}
    )
    assert "too short" in weak.content.decode()
    assert User.objects.count() == 1


def test_a_forged_link_is_refused(client):
    sign_up(client)
    assert client.get("/accounts/verify/MQ/forged-token/").status_code == 400
    assert client.get("/accounts/verify/%%%/x/").status_code == 400
    assert not User.objects.get().is_active


@pytest.fixture
def member(db):
    return User.objects.create_user("ida@wind.example", "ida@wind.example", PASSWORD)


def log_in(client, password=PASSWORD, email="IDA@wind.example"):
    return client.post("/accounts/login/", {"username": email, "password": password})


def test_log_in_by_email_any_case_and_log_out(client, member):
    assert log_in(client).url == "/accounts/"
    assert client.get("/accounts/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/accounts/").url.startswith("/accounts/login/")


def test_repeated_failures_lock_the_account_out(client, member):
    for _ in range(4):
        assert log_in(client, "wrong").status_code == 200
    assert log_in(client, "wrong").status_code == 429  # the fifth failure locks
    locked = log_in(client)  # even the right password, now
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()


def test_password_reset_by_email(client, member):
    client.post("/accounts/password/reset/", {"email": "ida@wind.example"})
    (message,) = mail.outbox
    form_url = client.get(link_in(message), follow=True).redirect_chain[-1][0]
    new = "Blade-pitch-7788"
    done = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert done.url == "/accounts/password/reset/done/"
    assert log_in(Client(), new).status_code == 302


def test_password_change_needs_the_old_one(client, member):
    client.force_login(member)
    wrong = client.post(
        "/accounts/password/",
        {"old_password": "nope", "new_password1": "Xy-9876-abcd", "new_password2": "Xy-9876-abcd"},
    )
    assert wrong.status_code == 200 and "incorrectly" in wrong.content.decode()
    right = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Xy-9876-abcd",
            "new_password2": "Xy-9876-abcd",
        },
    )
    assert right.url == "/accounts/password/done/"


def test_api_keys_are_shown_once_and_can_be_revoked(client, member):
    client.force_login(member)
    page = client.post("/accounts/", {"name": "CRM sync"}).content.decode()
    key = re.search(r"<code>(chub_[^<]+)</code>", page).group(1)
    assert ApiToken.user_for(key) == member
    assert key not in client.get("/accounts/").content.decode()
    token = ApiToken.objects.get(user=member)
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert ApiToken.user_for(key) is None
    # Somebody else's key cannot be revoked from here.
    other = User.objects.create_user("other@example.org", "other@example.org", PASSWORD)
    theirs, their_key = ApiToken.issue(other, "theirs")
    client.post(f"/accounts/tokens/{theirs.pk}/revoke/")
    assert ApiToken.user_for(their_key) == other


def test_forms_need_the_csrf_token(member):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/accounts/signup/", {"email": "a@b.example"}).status_code == 403
    assert strict.post("/accounts/login/", {"username": "x", "password": "y"}).status_code == 403
