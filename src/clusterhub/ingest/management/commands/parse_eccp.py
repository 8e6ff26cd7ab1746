import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from clusterhub.core.errors import InputError
from clusterhub.ingest.eccp import parse_file


class Command(BaseCommand):
    help = "Print the canonical document of an ECCP profile page (text or HTML) as JSON."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="a saved ECCP profile page (.txt or .html)")

    def handle(self, *args, file, **options):
        try:
            doc = parse_file(Path(file))
        except InputError as exc:
            sys.stderr.write(f"clusterhub parse-eccp: {exc.located(file)}\n")
            sys.exit(2)
        self.stdout.write(json.dumps(doc.model_dump(mode="json"), ensure_ascii=False, indent=2))
