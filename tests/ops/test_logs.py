"""LOG_FORMAT=json: one JSON object a line, each request with its id, user id, view,
status and time; an error's traceback in the log and never in the page."""

import json
import logging

import pytest

from clusterhub.core.logs import JsonFormatter, logging_config

pytestmark = pytest.mark.django_db


def lines(caplog, name: str) -> list[dict]:
    formatter = JsonFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records if r.name == name]


def test_each_request_is_one_json_line_with_its_id_and_no_email(client, caplog, people):
    caplog.set_level(logging.INFO, logger="clusterhub.requests")
    response = client.get("/clusters/", HTTP_X_REQUEST_ID="edge-42")
    assert response["X-Request-ID"] == "edge-42"
    (line,) = lines(caplog, "clusterhub.requests")
    assert line["request_id"] == "edge-42" and line["view"] == "directory:list"
    assert line["status"] == 200 and line["user_id"] is None and line["duration_ms"] >= 0
    assert line["level"] == "INFO" and line["time"].endswith("+00:00")
    caplog.clear()
    owner = people.users["owner"]
    client.force_login(owner)
    answer = client.get("/accounts/", HTTP_X_REQUEST_ID="not an id; DROP TABLE")
    assert len(answer["X-Request-ID"]) == 32  # an id that is not one is replaced
    (line,) = lines(caplog, "clusterhub.requests")
    assert line["user_id"] == owner.pk and owner.email not in json.dumps(line)


def test_an_error_s_traceback_goes_to_the_log_and_never_to_the_page(client, caplog, settings):
    settings.ROOT_URLCONF = "tests.error_urls"
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    client.raise_request_exception = False
    caplog.set_level(logging.INFO, logger="clusterhub.requests")
    response = client.get("/boom/")
    assert response.status_code == 500
    assert b"secret detail" not in response.content and b"Traceback" not in response.content
    (error,) = lines(caplog, "django.request")
    assert "RuntimeError: secret detail" in error["traceback"]
    (line,) = lines(caplog, "clusterhub.requests")
    assert line["status"] == 500


def test_the_json_format_is_chosen_by_the_environment():
    plain = logging_config("text", "WARNING")
    assert "formatter" not in plain["handlers"]["console"]
    json_lines = logging_config("json", "WARNING")
    assert json_lines["handlers"]["console"]["formatter"] == "json"
    assert json_lines["loggers"]["clusterhub.requests"]["level"] == "INFO"
