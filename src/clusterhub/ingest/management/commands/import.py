import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from clusterhub.calls.services import import_calls
from clusterhub.core.db import bulk_page_cache
from clusterhub.core.errors import InputError
from clusterhub.ingest.services import expand_paths, import_file
from clusterhub.network.resolution import resolve_all


class Command(BaseCommand):
    help = (
        "Import profiles from ECCP pages (.txt/.html), JSON, JSON Lines or CSV. "
        "Re-importing updates profiles by slug; each file is all or nothing. "
        "With --kind calls: funding calls from JSON, JSON Lines or CSV, updated by identifier."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="files or directories")
        parser.add_argument("--quiet", action="store_true", help="no progress bar or summary")
        parser.add_argument(
            "--kind", choices=["clusters", "calls"], default="clusters", help="what the files hold"
        )
        parser.add_argument(
            "--status",
            choices=["published", "draft"],
            default="published",
            help="the status new profiles get (published: imported directory data is public)",
        )
        parser.add_argument(
            "--no-resolve",
            action="store_true",
            help="leave collaborations unresolved (run `clusterhub resolve-collaborations` later)",
        )

    def handle(self, *args, paths, quiet, no_resolve, status, kind, **options):
        if kind == "calls":
            self._calls(paths, quiet)
            return
        files = expand_paths(paths)
        if not files:
            sys.stderr.write("clusterhub import: no importable files in the given paths\n")
            sys.exit(2)
        failed = 0
        bulk_page_cache()
        for path in files:
            try:
                result = import_file(path, progress=not quiet, status=status)
            except InputError as exc:
                failed += 1
                sys.stderr.write(
                    f"clusterhub import: {exc.located(str(path))} (file not imported)\n"
                )
                continue
            for warning in result.warnings:
                sys.stderr.write(f"clusterhub import: {path}: warning: {warning}\n")
            if not quiet:
                self.stdout.write(
                    f"{path}: {result.created} created ({status}), {result.updated} updated"
                )
        if failed < len(files) and not no_resolve:
            # Once for all files: a profile of one file may be named in another.
            report = resolve_all()
            if not quiet:
                self.stdout.write(report.summary())
        if failed:
            sys.stderr.write(f"clusterhub import: {failed} of {len(files)} file(s) failed\n")
            sys.exit(2)

    def _calls(self, paths, quiet):
        failed = 0
        for path in map(Path, paths):
            try:
                created, updated = import_calls(path)
            except (InputError, OSError) as exc:
                failed += 1
                where = (
                    exc.located(str(path))
                    if isinstance(exc, InputError)
                    else f"{path}: {exc.strerror}"
                )
                sys.stderr.write(f"clusterhub import: {where} (file not imported)\n")
                continue
            if not quiet:
                self.stdout.write(f"{path}: {created} call(s) created, {updated} updated")
        if failed:
            sys.stderr.write(f"clusterhub import: {failed} of {len(paths)} file(s) failed\n")
            sys.exit(2)
