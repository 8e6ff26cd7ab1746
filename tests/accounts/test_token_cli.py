"""`clusterhub token`: create prints a key that works; bad input is one line, exit 2."""

import pytest
from django.core.management import call_command

from clusterhub.accounts.models import ApiToken


def test_create_list_revoke(people, capsys):
    call_command("token", "create", "--user", "OWNER@example.org", "--name", "laptop")
    key = capsys.readouterr().out.strip()
    assert key.startswith("chub_") and ApiToken.user_for(key) == people.users["owner"]
    call_command("token", "list", "--user", "owner@example.org")
    listing = capsys.readouterr().out
    assert f"{key[:12]}…" in listing and "laptop" in listing and "active" in listing
    call_command("token", "revoke", key[:12])
    assert ApiToken.user_for(key) is None


def test_unknown_user_is_one_line_exit_2(db, capsys):
    with pytest.raises(SystemExit) as exit_:
        call_command("token", "create", "--user", "nobody@example.org")
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nobody@example.org" in err


def test_a_key_with_an_unknown_or_revoked_token_is_401(client, people, draft_doc):
    response = client.post(
        "/api/clusters",
        draft_doc.model_dump(mode="json"),
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer chub_not-a-key",
    )
    assert response.status_code == 401
