"""/health/ answers while the process is up; /ready/ says, in JSON, whether the site
can serve, and names each check that fails: the database, the migrations, the search
index, the task worker, the mail backend."""

import socket
import time
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.recorder import MigrationRecorder

from clusterhub.directory import index
from clusterhub.ops.health import HEARTBEAT_KEY, beat

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ready_site(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    index.get_index()
    beat()
    return settings


def ready(client) -> tuple[int, dict]:
    response = client.get("/ready/")
    assert response["Content-Type"] == "application/json"
    return response.status_code, response.json()


def test_health_answers_without_asking_anything(client):
    response = client.get("/health/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_ready_when_everything_is(client, ready_site):
    status, body = ready(client)
    assert status == 200 and body["status"] == "ok" and body["failed"] == {}
    assert set(body["passed"]) == {"database", "migrations", "searchindex", "worker", "mail"}


def test_ready_fails_when_the_database_cannot_be_reached(client, ready_site):
    refused = OperationalError("could not connect to server: Connection refused")
    with mock.patch.object(BaseDatabaseWrapper, "temporary_connection", side_effect=refused):
        status, body = ready(client)
    assert status == 503 and "database" in body["failed"]


def test_ready_fails_when_a_migration_is_not_applied(client, ready_site):
    recorder = MigrationRecorder(connection)
    recorder.record_unapplied("accounts", "0005_language_preference")
    try:
        status, body = ready(client)
    finally:
        recorder.record_applied("accounts", "0005_language_preference")
    assert status == 503 and body["failed"] == {
        "migrations": "1 migration(s) not applied, first accounts.0005_language_preference"
    }


def test_ready_fails_until_the_search_index_is_loaded(client, ready_site):
    index._cache.pop("default", None)
    status, body = ready(client)
    assert status == 503 and "not loaded" in body["failed"]["searchindex"]


def test_ready_fails_when_the_worker_was_not_seen_within_a_minute(client, ready_site):
    beat(time.time() - 95)
    status, body = ready(client)
    assert status == 503 and body["failed"] == {"worker": "the task worker was last seen 95 s ago"}
    cache.delete(HEARTBEAT_KEY)
    assert ready(client)[1]["failed"]["worker"] == "the task worker has not been seen"


def test_ready_fails_when_mail_cannot_be_sent(client, ready_site):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    ready_site.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    ready_site.EMAIL_HOST, ready_site.EMAIL_PORT = "127.0.0.1", port
    status, body = ready(client)
    assert status == 503 and list(body["failed"]) == ["mail"]
