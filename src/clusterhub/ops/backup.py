"""Backups taken while the site serves, and their restore (docs/operations.md).

A backup is one tar file: `manifest.json` (what it holds, the schema version, a checksum
of the database), the database — SQLite's online backup API writes a consistent copy
page by page while writers carry on; on PostgreSQL `pg_dump` reads one snapshot — and
the files the data directory holds besides the database. The secret key is not in it:
the manifest says where it is kept.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader

from clusterhub.core.errors import InputError

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.pgdump"
# Left out of the copy: made again by the site (the cache, collected static files) or
# secret (the key, whose place the manifest names).
NOT_COPIED = ("cache", "static", "metrics", "secret_key")
# A database holding any of these rows is not empty: restoring over it needs --force.
HELD_DATA = ("auth_user", "profiles_clusterorganisation")


@dataclass
class Manifest:
    format: int
    created_at: str
    engine: str  # "sqlite" or "postgresql"
    database: str  # the member holding it
    sha256: str
    migrations: dict[str, list[str]]  # app → migrations applied when it was taken
    files: list[str] = field(default_factory=list)
    secret_key: str = ""

    @classmethod
    def read(cls, data: bytes) -> "Manifest":
        try:
            found = json.loads(data)
            return cls(**found)
        except (ValueError, TypeError) as exc:
            raise InputError(f"{MANIFEST}: not a Clusterhub backup manifest ({exc})") from None


def _engine(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise InputError(f"backups know SQLite and PostgreSQL, not {vendor}")
    return vendor


def _applied(alias: str = "default") -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationLoader(connections[alias]).applied_migrations):
        applied.setdefault(app, []).append(name)
    return applied


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _secret_key_place() -> str:
    if os.environ.get("SECRET_KEY"):
        return "the SECRET_KEY environment variable (not in this copy)"
    return f"{settings.DATA_DIR / 'secret_key'} (not in this copy: keep it apart)"


def _data_files() -> list[Path]:
    """The data directory's files besides the database and what is not copied."""
    database = Path(str(connections["default"].settings_dict["NAME"]))
    skipped = {database.name, f"{database.name}-wal", f"{database.name}-shm", *NOT_COPIED}
    root = settings.DATA_DIR
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and relative.parts[0] not in skipped:
            found.append(path)
    return found


def _sqlite_copy(target: Path) -> None:
    """SQLite's online backup API, in one step: a read transaction on the WAL database,
    so the copy is of one moment while writers go on (copied in several steps, a write
    by another connection would make it start over, and steady writes never end it)."""
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()


def _postgres_copy(target: Path) -> None:
    """pg_dump reads one snapshot (a repeatable-read transaction): writes go on."""
    params = connections["default"].get_connection_params()
    _pg_run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), DB], params)


DB = "{database}"  # where the database's name goes in a PostgreSQL client's command


def _pg_run(command: list[str], params: dict) -> None:
    """A PostgreSQL client run against the site's database (its connection settings as
    libpq's environment, never on the command line where `ps` shows a password)."""
    env = {**os.environ}
    for option, variable in (("host", "PGHOST"), ("port", "PGPORT"), ("user", "PGUSER"),
                             ("password", "PGPASSWORD")):  # fmt: skip
        if params.get(option):
            env[variable] = str(params[option])
    name = params.get("dbname") or params.get("database")
    command = [name if part == DB else part for part in command]
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise InputError(f"{command[0]} not found: install PostgreSQL's client") from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["failed"])[-1]
        raise InputError(f"{command[0]}: {last}")


def take_backup(path: Path) -> Manifest:
    """A consistent copy of the site at `path` (a tar file), taken while it serves."""
    path = Path(path)
    engine = _engine()
    with tempfile.TemporaryDirectory(dir=path.parent) as work:
        member = SQLITE_MEMBER if engine == "sqlite" else POSTGRES_MEMBER
        database = Path(work) / member
        # The schema version is read before the copy: a migration run meanwhile would
        # only make the copy newer than it says, which restore's migrate makes good.
        migrations = _applied()
        (_sqlite_copy if engine == "sqlite" else _postgres_copy)(database)
        files = _data_files()
        manifest = Manifest(
            FORMAT, datetime.now(UTC).isoformat(timespec="seconds"), engine, member,
            _sha256(database), migrations,
            [str(p.relative_to(settings.DATA_DIR)) for p in files], _secret_key_place(),
        )  # fmt: skip
        partial = Path(work) / "backup.tar"
        with tarfile.open(partial, "w") as archive:
            data = json.dumps(asdict(manifest), indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            archive.add(database, member)
            for f in files:
                archive.add(f, f"files/{f.relative_to(settings.DATA_DIR)}")
        os.replace(partial, path)  # a failed backup leaves no half file
    return manifest


# --- restore ---------------------------------------------------------------------


def _known_migrations() -> set[tuple[str, str]]:
    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def _holds_data(alias: str = "default") -> bool:
    with connections[alias].cursor() as cursor:
        tables = set(connections[alias].introspection.table_names(cursor))
        for table in HELD_DATA:
            if table in tables:
                cursor.execute(f"SELECT 1 FROM {table} LIMIT 1")
                if cursor.fetchone():
                    return True
    return False


def read_manifest(archive: tarfile.TarFile) -> Manifest:
    try:
        member = archive.extractfile(MANIFEST)
    except KeyError:
        raise InputError(f"no {MANIFEST}: not a Clusterhub backup") from None
    return Manifest.read(member.read())


def check(path: Path, work: Path) -> Manifest:
    """The backup at `path` unpacked into `work` and checked before anything is
    replaced: its manifest, the database's checksum and integrity, and a schema this
    version of Clusterhub knows (a copy from a newer one is refused)."""
    try:
        archive = tarfile.open(path)  # noqa: SIM115 - closed by the with below
    except (OSError, tarfile.TarError) as exc:
        raise InputError(f"not a backup ({exc})") from None
    with archive:
        manifest = read_manifest(archive)
        if manifest.format != FORMAT:
            raise InputError(f"{MANIFEST}: format {manifest.format}, this version reads {FORMAT}")
        for member in archive.getmembers():
            name = Path(member.name)
            if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
                raise InputError(f"{member.name}: not a path a backup holds")
        archive.extractall(work, filter="data")
    database = work / manifest.database
    if not database.is_file() or _sha256(database) != manifest.sha256:
        raise InputError(f"{manifest.database}: damaged (its checksum differs from the manifest's)")
    if manifest.engine == "sqlite":
        with sqlite3.connect(database) as copy:
            verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
        copy.close()
        if verdict != "ok":
            raise InputError(f"{manifest.database}: integrity check failed ({verdict})")
    unknown = sorted(
        f"{app}.{name}"
        for app, names in manifest.migrations.items()
        for name in names
        if (app, name) not in _known_migrations()
    )
    if unknown:
        raise InputError(
            f"the copy was taken by a newer Clusterhub (migration {unknown[0]} is unknown "
            "here): upgrade before restoring it"
        )
    return manifest


def restore_backup(path: Path, force: bool = False) -> Manifest:
    """The backup at `path` in place of the site's database and data files, then
    migrated forward. Refused when the database holds data, unless `force`."""
    path = Path(path)
    engine = _engine()
    with tempfile.TemporaryDirectory() as work:
        manifest = check(path, Path(work))
        if manifest.engine != engine:
            raise InputError(
                f"the copy is of a {manifest.engine} database and this site uses {engine}: "
                "restore it into a site on " + manifest.engine
            )
        if not force and _holds_data():
            raise InputError(
                "the database holds data already: restore into a new data directory or "
                "database, or pass --force to replace it"
            )
        if engine == "sqlite":
            _sqlite_replace(Path(work) / manifest.database)
        else:
            _postgres_replace(Path(work) / manifest.database)
        for name in manifest.files:
            target = settings.DATA_DIR / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(work) / "files" / name, target)
    call_command("migrate", interactive=False, verbosity=0)
    return manifest


def _sqlite_replace(copy: Path) -> None:
    """The copy written over the site's database through SQLite's backup API: the file
    stays the same file (other connections see the new content), and a failure leaves
    the database as it was (one transaction)."""
    connection.ensure_connection()
    source = sqlite3.connect(copy)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    connections.close_all()


def _postgres_replace(dump: Path) -> None:
    params = connections["default"].get_connection_params()
    connections.close_all()
    _pg_run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
             "--exit-on-error", "--dbname", DB, str(dump)], params)  # fmt: skip
