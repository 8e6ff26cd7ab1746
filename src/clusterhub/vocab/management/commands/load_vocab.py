from django.core.management.base import BaseCommand
from django.db import transaction

from clusterhub.vocab.services import load_vocabularies


class Command(BaseCommand):
    help = "Load the controlled vocabularies shipped with Clusterhub (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            created = load_vocabularies()
        self.stdout.write(f"{created} term(s) created.")
