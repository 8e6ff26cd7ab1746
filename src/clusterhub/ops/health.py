"""/health/ and /ready/ (docs/operations.md), on django-health-check: its database and
mail checks, and ours for what only Clusterhub knows — migrations applied, the search
index loaded, the task worker seen."""

import dataclasses
import datetime
import threading

from django.db import DatabaseError, close_old_connections, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable

from .models import Heartbeat

WORKER = "worker"
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
        try:
            seen = Heartbeat.objects.filter(name=WORKER).values_list("seen_at", flat=True).first()
        except DatabaseError as exc:
            raise ServiceUnavailable("the worker's heartbeat cannot be read") from exc
        if seen is None:
            raise ServiceUnavailable("the task worker has never been seen")
        age = timezone.now() - seen
        if age > WORKER_SEEN_WITHIN:
            raise ServiceUnavailable(
                f"the task worker was last seen {int(age.total_seconds())} s ago"
            )


READY_CHECKS = (
    "health_check.checks.Database",
    "clusterhub.ops.health.Migrations",
    "clusterhub.ops.health.SearchIndex",
    "clusterhub.ops.health.Worker",
    "health_check.checks.Mail",
)


def beat(name: str = WORKER) -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"seen_at": timezone.now()})


def keep_beating(stop: threading.Event, name: str = WORKER) -> threading.Thread:
    """A thread writing `name`'s heartbeat every BEAT_SECONDS until `stop` is set."""

    def run():
        while not stop.is_set():
            try:
                beat(name)
            except DatabaseError:
                pass  # the database away: /ready/ says so through its own check
            finally:
                close_old_connections()
            stop.wait(BEAT_SECONDS)

    thread = threading.Thread(target=run, name=f"{name} heartbeat", daemon=True)
    thread.start()
    return thread
