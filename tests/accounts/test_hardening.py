"""Security headers on every page, a clean `check --deploy` in production, local API docs."""

import os
import subprocess
import sys

import pytest

from clusterhub.accounts import moderation
from clusterhub.core import errors


@pytest.mark.django_db
def test_security_headers(client):
    response = client.get("/clusters/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_api_docs_come_from_our_static_files(client):
    body = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in body and "cdn." not in body


def test_check_deploy_is_clean_in_production(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DATABASE_URL")}
    env |= {"CLUSTERHUB_HTTPS": "1", "ALLOWED_HOSTS": "clusters.example.org",
            "CLUSTERHUB_DATA_DIR": str(tmp_path)}  # fmt: skip
    run = subprocess.run(
        [sys.executable, "-m", "clusterhub.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "no issues" in run.stdout


def test_without_https_the_deploy_check_warns(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "DATABASE_URL", "CLUSTERHUB_HTTPS")
    }
    env["CLUSTERHUB_DATA_DIR"] = str(tmp_path)
    run = subprocess.run(
        [sys.executable, "-m", "clusterhub.cli", "check", "--deploy"],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert "SECURE_HSTS_SECONDS" in run.stdout + run.stderr


def test_notes_are_bounded(people):
    moderation.change_status(people.users["owner"], people.slug, "submit")
    with pytest.raises(errors.DomainError, match="at most 2,000"):
        moderation.change_status(people.users["moderator"], people.slug, "return", "x" * 2001)
