"""/metrics/ in Prometheus's format: requests counted by view and status, search and
facet timings, the task queue, the index's freshness, mail; a 404 for other addresses."""

import re

import pytest
from django.core import mail
from prometheus_client.parser import text_string_to_metric_families

from clusterhub.core.mail import deliver

pytestmark = pytest.mark.django_db


def samples(client, **extra) -> dict[tuple, float]:
    response = client.get("/metrics/", **extra)
    assert response.status_code == 200
    found = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for s in family.samples:
            labels = tuple(sorted((k, v) for k, v in s.labels.items() if k != "pid"))
            found[(s.name, labels)] = found.get((s.name, labels), 0) + s.value
    return found


def value(found: dict, name: str, **labels) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


def test_a_request_is_counted_by_view_and_status(client, seed_org):
    before = samples(client)
    assert client.get("/clusters/", {"q": "audiovisual"}).status_code == 200
    assert client.get("/clusters/no-such-cluster/").status_code == 404
    after = samples(client)
    name = "django_http_responses_total_by_status_view_method_total"
    listed = {"method": "GET", "status": "200", "view": "directory:list"}
    assert value(after, name, **listed) == value(before, name, **listed) + 1
    missing = {"method": "GET", "status": "404", "view": "profiles:detail"}
    assert value(after, name, **missing) == value(before, name, **missing) + 1
    searched = "clusterhub_search_seconds_count"
    assert value(after, searched) >= value(before, searched) + 1
    assert value(after, "clusterhub_facets_seconds_count") >= 1
    assert value(after, "clusterhub_index_writes_behind") == 0
    assert ("clusterhub_task_queue_depth", ()) in after
    assert ("clusterhub_task_failures", ()) in after


def test_mail_is_counted_sent_or_failed(client, settings):
    before = samples(client)
    deliver("Hello", "Body", ["someone@example.org"])
    assert len(mail.outbox) == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    with pytest.raises(OSError):
        deliver("Hello", "Body", ["someone@example.org"])
    after = samples(client)
    for outcome in ("sent", "failed"):
        total = "clusterhub_mails_total"
        assert value(after, total, outcome=outcome) == value(before, total, outcome=outcome) + 1


def test_only_allowed_addresses_or_the_token_may_scrape(client, settings):
    assert client.get("/metrics/", REMOTE_ADDR="203.0.113.9").status_code == 404
    settings.CLUSTERHUB_METRICS_TOKEN = "scrape-secret"
    answer = client.get(
        "/metrics/", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer scrape-secret"
    )
    assert answer.status_code == 200
    assert re.search(rb"^# TYPE clusterhub_search_seconds histogram", answer.content, re.M)
