import sys
from pathlib import Path
from urllib.parse import parse_qsl

from django.core.management.base import BaseCommand
from pydantic import ValidationError

from clusterhub.core.validation import format_validation_error
from clusterhub.directory.query import DirectoryQuery
from clusterhub.directory.services import matching_ids
from clusterhub.ingest.services import (
    EXPORT_FORMATS,
    KINDS,
    RECORD_EXPORTS,
    export,
    export_to_file,
)


class Command(BaseCommand):
    help = (
        "Export the whole directory as JSON, JSON Lines, CSV or JSON-LD (schema.org); "
        "or, with --kind, the published opportunities, funding calls or news."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kind", choices=KINDS, default="clusters", help="what to export")
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

    def handle(self, *args, kind, format, output, base_url, query, include_contacts, **options):
        base_url = base_url.rstrip("/")
        if kind != "clusters":
            self._records(kind, format, output, base_url, query, include_contacts)
            return
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
                    Path(output), lambda out: export(format, out, ids, base_url, include_contacts)
                )
            except OSError as exc:
                sys.stderr.write(f"clusterhub export: {output}: {exc.strerror}\n")
                sys.exit(2)
            sys.stderr.write(f"{count} profile(s) written to {output}\n")
        else:
            sys.stdout.reconfigure(encoding="utf-8", newline="")
            export(format, sys.stdout, ids, base_url, include_contacts)

    def _records(self, kind, format, output, base_url, query, include_contacts):
        for flag, given in (("--query", query), ("--include-contacts", include_contacts)):
            if given:
                sys.stderr.write(f"clusterhub export: {flag} is for --kind clusters only\n")
                sys.exit(2)
        if format == "jsonld":
            sys.stderr.write("clusterhub export: --format jsonld is for --kind clusters only\n")
            sys.exit(2)
        write = RECORD_EXPORTS[kind]
        if output:
            try:
                count = export_to_file(Path(output), lambda out: write(format, out, base_url))
            except OSError as exc:
                sys.stderr.write(f"clusterhub export: {output}: {exc.strerror}\n")
                sys.exit(2)
            sys.stderr.write(f"{count} {kind} written to {output}\n")
        else:
            sys.stdout.reconfigure(encoding="utf-8", newline="")
            write(format, sys.stdout, base_url)
