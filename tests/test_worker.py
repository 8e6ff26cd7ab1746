"""The background worker, for real: a job whose worker is killed mid-run runs again,
and a job that fails is retried rather than lost (django-q2's database queue)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from clusterhub.core.background import later

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db(transaction=True)


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db["USER"] or "postgres"
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _worker(tmp_path) -> subprocess.Popen:
    env = {
        **os.environ, "DATABASE_URL": _database_url(), "PYTHONPATH": str(ROOT),
        "CLUSTERHUB_DATA_DIR": str(tmp_path), "CLUSTERHUB_TASK_TIMEOUT": "4",
        "CLUSTERHUB_TASK_RETRY": "5", "SECRET_KEY": settings.SECRET_KEY,
    }  # fmt: skip
    return subprocess.Popen(
        [sys.executable, "-m", "clusterhub.cli", "worker"], env=env, cwd=tmp_path,
        stdout=subprocess.DEVNULL, stderr=(tmp_path / "worker.log").open("w"),
        start_new_session=True,
    )  # fmt: skip


def _wait_for(path: Path, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists():
            return True
        time.sleep(0.1)
    return False


def _stop(worker: subprocess.Popen) -> None:
    """Kill the worker's whole process group at once: it has no chance to clean up."""
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()


@pytest.fixture
def queued(monkeypatch):
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", False)  # into the queue, for the real worker


def test_a_job_whose_worker_is_killed_runs_again(tmp_path, queued):
    marker = tmp_path / "job"
    later("tests.worker_jobs.long_first_time", str(marker))
    worker = _worker(tmp_path)
    try:
        assert _wait_for(marker, 60), (tmp_path / "worker.log").read_text()
        _stop(worker)  # mid-job
        assert not Path(str(marker) + ".done").exists()
        worker = _worker(tmp_path)
        assert _wait_for(Path(str(marker) + ".done"), 60), (tmp_path / "worker.log").read_text()
        assert marker.read_text() == "2"
    finally:
        _stop(worker)


def _after_the_worker(tmp_path, job: str, marker: Path) -> str:
    """Queue `job` for `marker`, run the worker until the job writes `marker`.done: its
    text."""
    later(job, str(marker))
    worker = _worker(tmp_path)
    try:
        done = Path(str(marker) + ".done")
        assert _wait_for(done, 60), (tmp_path / "worker.log").read_text()
        return done.read_text()
    finally:
        _stop(worker)


def test_a_failed_job_is_retried_not_lost(tmp_path, queued):
    marker = tmp_path / "mail"
    _after_the_worker(tmp_path, "tests.worker_jobs.fails_first_time", marker)
    assert marker.read_text() == "2"


def test_the_worker_writes_the_heartbeat_ready_reads(tmp_path, queued):
    from django.core.cache.backends.filebased import FileBasedCache

    from clusterhub.ops.health import HEARTBEAT_KEY

    its_cache = FileBasedCache(str(tmp_path / "cache"), {})  # the worker's data dir's
    worker = _worker(tmp_path)
    try:
        deadline = time.monotonic() + 60
        while its_cache.get(HEARTBEAT_KEY) is None:
            assert time.monotonic() < deadline, (tmp_path / "worker.log").read_text()
            time.sleep(0.2)
        assert abs(time.time() - its_cache.get(HEARTBEAT_KEY)) < 30
    finally:
        _stop(worker)


def test_a_job_may_ask_the_sat_solver_in_a_child_process(tmp_path, queued):
    job = "tests.worker_jobs.asks_the_sat_solver"
    assert _after_the_worker(tmp_path, job, tmp_path / "sat") == "found"
