from django.core.management.base import BaseCommand
from django.db import transaction

from clusterhub.directory.indexing import index_saved_profiles
from clusterhub.ingest.services import chunks
from clusterhub.profiles.document import to_documents
from clusterhub.profiles.models import ClusterOrganisation


class Command(BaseCommand):
    help = "Rebuild the full-text search documents of every profile (after an upgrade)."

    def handle(self, *args, **options):
        count = 0
        with transaction.atomic():
            by_slug = ClusterOrganisation.objects.in_bulk(field_name="slug")
            for docs in chunks(to_documents(), 1000):
                orgs = [by_slug[doc.slug] for doc in docs]
                index_saved_profiles(None, orgs, docs, using="default")
                count += len(docs)
        self.stdout.write(f"{count} profile(s) reindexed.")
