from django.core.management import call_command
from django.core.management.base import BaseCommand

from clusterhub.core.background import ensure_schedules


class Command(BaseCommand):
    help = "Run the background worker: mail, digests, expiry (django-q2's cluster)."

    def handle(self, *args, **options):
        names = ensure_schedules()
        self.stderr.write("periodic jobs: " + ", ".join(names))
        call_command("qcluster")
