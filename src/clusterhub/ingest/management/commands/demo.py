import json
import sys

from django.core.management.base import BaseCommand
from django.db import transaction

from clusterhub.ingest.demo import demo_documents
from clusterhub.ingest.demo_activity import load_demo_activity
from clusterhub.ingest.services import CHUNK, chunks
from clusterhub.network.resolution import resolve_all
from clusterhub.profiles.choices import Status
from clusterhub.profiles.models import ClusterOrganisation
from clusterhub.profiles.writing import save_profiles


class Command(BaseCommand):
    help = (
        "Load the seed profile (CLAG) plus N deterministic synthetic profiles, "
        "each marked synthetic; with funding calls, opportunities, news, a conversation "
        "and demo accounts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--profiles", type=int, default=300, help="synthetic profiles (300)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when profiles already exist"
        )
        parser.add_argument(
            "--jsonl", metavar="FILE", help="write the documents to FILE instead of the database"
        )

    def handle(self, *args, profiles, seed, if_empty, jsonl, **options):
        if profiles < 0:
            sys.stderr.write("clusterhub demo: --profiles must be 0 or more\n")
            sys.exit(2)
        docs = demo_documents(profiles, seed)
        if jsonl:
            with open(jsonl, "w", encoding="utf-8") as out:
                for doc in docs:
                    out.write(json.dumps(doc.model_dump(mode="json"), ensure_ascii=False) + "\n")
            self.stdout.write(f"{profiles + 1} profiles written to {jsonl}")
            return
        if if_empty and ClusterOrganisation.objects.exists():
            self.stdout.write("Profiles already loaded; demo data left as it is.")
            return
        with transaction.atomic():
            for chunk in chunks(docs, CHUNK):
                # Published, as the directory data they stand for; resolved once all are in.
                save_profiles(chunk, action="import", new_status=Status.PUBLISHED, resolve=False,
                              note="demo data")  # fmt: skip
            activity = load_demo_activity(seed)
        self.stdout.write(f"Loaded the seed profile and {profiles} synthetic profiles.")
        self.stdout.write(activity.summary())
        self.stdout.write(resolve_all().summary())
