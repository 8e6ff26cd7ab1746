import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from clusterhub.ingest.services import EXPORT_FORMATS, export, export_to_file


class Command(BaseCommand):
    help = "Export the whole directory as JSON, JSON Lines, CSV or JSON-LD (schema.org)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=EXPORT_FORMATS, default="json")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")
        parser.add_argument(
            "--base-url", default="", help="site address for JSON-LD identifiers, e.g. https://…"
        )

    def handle(self, *args, format, output, base_url, **options):
        if output:
            try:
                count = export_to_file(format, Path(output), base_url=base_url.rstrip("/"))
            except OSError as exc:
                sys.stderr.write(f"clusterhub export: {output}: {exc.strerror}\n")
                sys.exit(2)
            sys.stderr.write(f"{count} profile(s) written to {output}\n")
        else:
            sys.stdout.reconfigure(encoding="utf-8", newline="")
            export(format, sys.stdout, base_url=base_url.rstrip("/"))
