import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand

from clusterhub.core.background import ensure_schedules
from clusterhub.ops.health import keep_beating


class Command(BaseCommand):
    help = "Run the background worker: mail, digests, expiry (django-q2's cluster)."

    def handle(self, *args, **options):
        names = ensure_schedules()
        self.stderr.write("periodic jobs: " + ", ".join(names))
        stop = threading.Event()
        keep_beating(stop)  # /ready/ checks the worker was seen within a minute
        try:
            call_command("qcluster")
        finally:
            stop.set()
