from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clusterhub.core.errors import InputError
from clusterhub.ops.backup import restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup: checked first (checksum, integrity, schema version), refused over "
        "a database holding data unless --force, then migrated forward."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="a file `clusterhub backup` wrote")
        parser.add_argument(
            "--force", action="store_true", help="replace a database that holds data"
        )

    def handle(self, *args, file: Path, force: bool = False, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            manifest = restore_backup(file, force=force)
        except InputError as exc:
            raise CommandError(f"{file}: {exc}") from None
        self.stdout.write(
            f"{file}: restored the copy of {manifest.created_at} and migrated it forward; "
            f"the secret key was kept in {manifest.secret_key}"
        )
