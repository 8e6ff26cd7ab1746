"""What the site counts for Prometheus, beside django-prometheus's requests by view,
status and latency (ops/views.metrics serves them all).

Every process of the site — gunicorn's workers and the task worker — writes its counts
to files in the data directory (prometheus_client's multiprocess mode, settings.py), so
one scrape sees them all.
"""

from prometheus_client import Counter, Histogram

_SECONDS = (0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0)

SEARCH_SECONDS = Histogram(
    "clusterhub_search_seconds",
    "Directory searches, from the query to the answer",
    buckets=_SECONDS,
)
FACETS_SECONDS = Histogram(
    "clusterhub_facets_seconds", "Directory searches: counting their facets", buckets=_SECONDS
)
MAILS = Counter("clusterhub_mails", "Mails handed to the mail server, by outcome", ["outcome"])
