import sys
from pathlib import Path
from urllib.parse import parse_qsl

from django.core.management.base import BaseCommand
from pydantic import ValidationError

from clusterhub.directory.query import DirectoryQuery
from clusterhub.directory.services import matching_ids
from clusterhub.ingest.services import EXPORT_FORMATS, export, export_to_file
from clusterhub.profiles.schema import format_validation_error


class Command(BaseCommand):
    help = "Export the whole directory as JSON, JSON Lines, CSV or JSON-LD (schema.org)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=EXPORT_FORMATS, default="json")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")
        parser.add_argument(
            "--base-url", default="", help="site address for JSON-LD identifiers, e.g. https://…"
        )
        parser.add_argument(
            "--include-contacts",
            action="store_true",
            help="administrators: the documents as stored, telephones and emails included "
            "(a full copy; never publish it)",
        )
        parser.add_argument(
            "--query",
            help="only what this directory search selects, as a query string: "
            "'q=textile&country=PT&country=ES'",
        )

    def handle(self, *args, format, output, base_url, query, include_contacts, **options):
        ids = None
        if query is not None:
            try:
                selection = DirectoryQuery.from_pairs(parse_qsl(query, keep_blank_values=True))
            except ValidationError as exc:
                sys.stderr.write(f"clusterhub export: --query: {format_validation_error(exc)}\n")
                sys.exit(2)
            ids = matching_ids(selection)
        if output:
            try:
                count = export_to_file(
                    format, Path(output), ids, base_url.rstrip("/"), include_contacts
                )
            except OSError as exc:
                sys.stderr.write(f"clusterhub export: {output}: {exc.strerror}\n")
                sys.exit(2)
            sys.stderr.write(f"{count} profile(s) written to {output}\n")
        else:
            sys.stdout.reconfigure(encoding="utf-8", newline="")
            export(format, sys.stdout, ids, base_url.rstrip("/"), include_contacts)
