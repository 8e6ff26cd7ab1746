import contextlib
import gc
import multiprocessing
import os
from wsgiref.util import setup_testing_defaults

from django.core.management import call_command
from django.core.management.base import BaseCommand
from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from django.db import DatabaseError, connections

        from clusterhub.directory.index import get_index
        from clusterhub.matching.index import get_matching_index
        from clusterhub.statistics import geography
        from clusterhub.wsgi import application

        # Build the directory's facet index and the partner finder's index once, before
        # the workers are forked: they share them (copy-on-write) instead of each building
        # its own on first request.
        with contextlib.suppress(DatabaseError):  # not migrated yet: workers build it later
            get_index()
            get_matching_index()
            # One search through the whole stack too: imports, schemas and the index's
            # lazily computed parts would otherwise cost each worker's first request
            # tens of milliseconds.
            environ = {"PATH_INFO": "/api/clusters", "QUERY_STRING": "q=a&page_size=1"}
            setup_testing_defaults(environ)
            environ["HTTP_HOST"] = _allowed_host()
            application(environ, lambda status, headers: None)
        geography.warm()  # the map's shapes, projected once for every worker
        connections.close_all()
        # What the workers inherit is never collected: a collection writes to every
        # object it looks at, and each page written stops being shared.
        gc.freeze()
        return application


def forget_dead_processes() -> None:
    """The metrics files of processes gone (an earlier run's workers): their gauges would
    be summed with the living ones'. The task worker's, alive beside, are kept."""
    from django.conf import settings

    for path in settings.METRICS_DIR.glob("*.db"):
        pid = path.stem.rsplit("_", 1)[-1]
        if pid.isdigit() and not os.path.exists(f"/proc/{pid}"):
            path.unlink(missing_ok=True)


def _allowed_host() -> str:
    from django.conf import settings

    named = [h for h in settings.ALLOWED_HOSTS if h != "*" and not h.startswith(".")]
    return named[0] if named else "localhost"


def default_workers() -> int:
    """One worker a core, not gunicorn's 2 × cores + 1 for workers waiting on a database:
    a search is CPU in the worker's own index, and every worker applies every write to
    its index. On 2 cores at 100,000 profiles, 5 workers served 242 requests/s at 7.9 ms
    of CPU each, 2 workers 301 at 6.2 ms (docs/performance.md)."""
    return int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))


def default_threads() -> int:
    return int(os.environ.get("WEB_THREADS", 2))


class Command(BaseCommand):
    help = "Serve Clusterhub with gunicorn; static files are served by whitenoise."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers", type=int, default=None, help="default: WEB_CONCURRENCY or one a core"
        )

    def handle(self, *args, host, port, workers, **options):
        call_command("collectstatic", interactive=False, verbosity=0)
        forget_dead_processes()
        workers = workers or default_workers()
        self.stdout.write(f"Clusterhub on http://{host}:{port}/ ({workers} workers)")
        _Gunicorn(
            {
                "bind": f"{host}:{port}",
                "workers": workers,
                # Threads, which keep a client's connection alive between requests (the
                # sync workers close every one); two a worker, the index's numpy work
                # holding the GIL most of the time.
                "worker_class": "gthread",
                "threads": default_threads(),
                "keepalive": 5,
                "accesslog": "-" if os.environ.get("ACCESS_LOG") else None,
                "timeout": 60,
                "preload_app": True,
            }
        ).run()
