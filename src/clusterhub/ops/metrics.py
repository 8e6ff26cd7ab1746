"""/metrics/ for Prometheus: what every process counted (requests by view and status,
latencies, search and facet timings, mails) and what is read at the scrape — the task
queue's depth and failures, how far this process's search index is behind the writes."""

from django.conf import settings
from django.db import DatabaseError
from prometheus_client import CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily


class AtScrape:
    """Gauges read when Prometheus asks (a collector: nothing to keep up to date)."""

    def collect(self):
        from django_q.models import Failure, OrmQ

        from clusterhub.directory.index import current_state, loaded_index

        try:
            queued, failed = OrmQ.objects.count(), Failure.objects.count()
            seq, _version = current_state("default")
        except DatabaseError:
            return
        yield GaugeMetricFamily(
            "clusterhub_task_queue_depth", "Background jobs waiting for the worker", queued
        )
        yield GaugeMetricFamily(
            "clusterhub_task_failures", "Background jobs that failed (kept for review)", failed
        )
        index = loaded_index()
        behind = seq - index.seq if index is not None else seq
        yield GaugeMetricFamily(
            "clusterhub_index_writes_behind",
            "Writes this process's search index has not shown yet (0: fresh)",
            max(0, behind),
        )


def exposition() -> bytes:
    """Every process's counts (the multiprocess files, settings.METRICS_DIR) and the
    gauges read now."""
    counted = CollectorRegistry()
    multiprocess.MultiProcessCollector(counted)
    now = CollectorRegistry()
    now.register(AtScrape())
    return generate_latest(counted) + generate_latest(now)


def may_scrape(request) -> bool:
    """From an allowed address (CLUSTERHUB_METRICS_ALLOWED), or with the metrics token."""
    token = settings.CLUSTERHUB_METRICS_TOKEN
    if token and request.headers.get("Authorization") == f"Bearer {token}":
        return True
    return request.META.get("REMOTE_ADDR") in settings.CLUSTERHUB_METRICS_ALLOWED
