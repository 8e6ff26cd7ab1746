from datetime import UTC, datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clusterhub.core.errors import InputError
from clusterhub.ops.backup import take_backup


class Command(BaseCommand):
    help = (
        "A consistent copy of the database and the data directory's files, taken while "
        "the site serves (docs/operations.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-o", "--output", type=Path,
            help="the file to write (default: clusterhub-backup-<UTC time>.tar here)",
        )  # fmt: skip

    def handle(self, *args, output: Path | None = None, **options):
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        path = output or Path(f"clusterhub-backup-{stamp}.tar")
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent}: no such directory")
        try:
            manifest = take_backup(path)
        except InputError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"{path}: {manifest.engine} database and {len(manifest.files)} file(s); "
            f"the secret key is kept in {manifest.secret_key}"
        )
