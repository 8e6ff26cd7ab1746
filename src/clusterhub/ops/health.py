"""/health/ and /ready/ (docs/operations.md), on django-health-check: its database and
mail checks, and ours for what only Clusterhub knows — migrations applied, the search
index loaded, the task worker seen."""

import contextlib
import dataclasses
import datetime
import threading
import time

from django.core.cache import cache
from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable

# The worker's heartbeat, in the site's cache (a file cache on one machine, Redis across
# several), where every web process reads it. Not in the database: a thread writing
# SQLite in the worker's parent while it forks its job processes left them locked out
# ("database is locked" in test_worker.py, two runs in three).
HEARTBEAT_KEY = "clusterhub:heartbeat:worker"
# The worker writes its heartbeat this often; /ready/ wants one within a minute.
BEAT_SECONDS = 15
WORKER_SEEN_WITHIN = datetime.timedelta(minutes=1)


@dataclasses.dataclass
class Migrations(HealthCheck):
    """Every migration this version knows is applied (`clusterhub migrate` was run)."""

    def run(self):
        try:
            executor = MigrationExecutor(connections["default"])
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError as exc:
            raise ServiceUnavailable("migrations cannot be read") from exc
        if plan:
            first = plan[0][0]
            raise ServiceUnavailable(
                f"{len(plan)} migration(s) not applied, first {first.app_label}.{first.name}"
            )


@dataclasses.dataclass
class SearchIndex(HealthCheck):
    """This process holds the directory's search index (`serve` loads it before its
    workers start)."""

    def run(self):
        from clusterhub.directory.index import loaded_index

        if loaded_index() is None:
            raise ServiceUnavailable("the search index is not loaded in this process")


@dataclasses.dataclass
class Worker(HealthCheck):
    """The task worker (mail, digests, expiry, scheduling) was seen within a minute."""

    def run(self):
        seen = cache.get(HEARTBEAT_KEY)
        if seen is None:
            raise ServiceUnavailable("the task worker has not been seen")
        age = time.time() - seen
        if age > WORKER_SEEN_WITHIN.total_seconds():
            raise ServiceUnavailable(f"the task worker was last seen {int(age)} s ago")


READY_CHECKS = (
    "health_check.checks.Database",
    "clusterhub.ops.health.Migrations",
    "clusterhub.ops.health.SearchIndex",
    "clusterhub.ops.health.Worker",
    "health_check.checks.Mail",
)


def beat(when: float | None = None) -> None:
    cache.set(HEARTBEAT_KEY, time.time() if when is None else when, timeout=24 * 3600)


def keep_beating(stop: threading.Event) -> threading.Thread:
    """A thread writing the worker's heartbeat every BEAT_SECONDS until `stop` is set."""

    def run():
        while not stop.is_set():
            # The cache away (a file system, Redis): /ready/ says the worker was not seen.
            with contextlib.suppress(Exception):
                beat()
            stop.wait(BEAT_SECONDS)

    thread = threading.Thread(target=run, name="worker heartbeat", daemon=True)
    thread.start()
    return thread
