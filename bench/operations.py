"""What issue 17's operations cost each request, measured in one process: the same API
search (`/api/clusters?q=…&page_size=20`) through the whole middleware stack, then
without the request log and the Prometheus middleware, without the Prometheus middleware
alone, then without the API's limits
(counted in the file cache, the default), on the demo data.

    .venv/bin/python bench/operations.py [--requests 2000]

Prints the p50/p95 of each and the difference; docs/performance.md keeps the results.
"""

import argparse
import sys
import time
from pathlib import Path

from common import clusterhub, data_dir, django_on, percentiles, row

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OPS_MIDDLEWARE = (
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "clusterhub.core.logs.RequestLog",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
)
QUERIES = ["audiovisual", "textile", "automotive", "energy", "digital", "wood", "health"]


def timed(client, requests: int) -> list[float]:
    samples = []
    for i in range(requests):
        q = QUERIES[i % len(QUERIES)]
        started = time.perf_counter()
        response = client.get(
            "/api/clusters", {"q": q, "page_size": 20}, REMOTE_ADDR=f"10.0.{i % 250}.1"
        )
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    data = data_dir("operations")
    django_on(data)
    clusterhub(data, "demo", "--profiles", "300", "--seed", "1", capture_output=True)
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings

    client = Client(HTTP_HOST="localhost")
    timed(client, 200)  # warm: the index, the lexicon, the cache's directory
    full = timed(client, args.requests)
    without_ops = [m for m in settings.MIDDLEWARE if m not in OPS_MIDDLEWARE]
    with override_settings(MIDDLEWARE=without_ops):
        no_ops = timed(Client(HTTP_HOST="localhost"), args.requests)
    without_prometheus = [m for m in settings.MIDDLEWARE if "prometheus" not in m]
    with override_settings(MIDDLEWARE=without_prometheus):
        no_prometheus = timed(Client(HTTP_HOST="localhost"), args.requests)
    with override_settings(CLUSTERHUB_API_RATE_PER_ADDRESS="", CLUSTERHUB_API_RATE_PER_TOKEN=""):
        no_limits = timed(Client(HTTP_HOST="localhost"), args.requests)
    print(f"{args.requests} API searches each, 300 demo profiles, SQLite, in one process (ms):\n")
    print("| | p50 | p95 | max |\n|---|---|---|---|")
    for label, samples in (("everything (as served)", full),
                           ("without request log and Prometheus middleware", no_ops),
                           ("without the Prometheus middleware", no_prometheus),
                           ("without the API limits (file cache)", no_limits)):  # fmt: skip
        print(row(label, percentiles(samples)))
    median = lambda s: percentiles(s)["p50"]  # noqa: E731
    print(
        f"\nrequest log + metrics: {median(full) - median(no_ops):+.2f} ms at p50 "
        f"(Prometheus's middleware {median(full) - median(no_prometheus):+.2f}); "
        f"API limits: {median(full) - median(no_limits):+.2f} ms at p50"
    )


if __name__ == "__main__":
    main()
