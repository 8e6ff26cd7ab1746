"""`clusterhub backup` while the site serves and takes writes through the API, then
`clusterhub restore` into a fresh data directory (or database): every write the API
acknowledged before the backup began is there, whole. Also: a copy taken before a
migration is migrated forward; a damaged copy, a copy from a newer version and a restore
over data are refused with one line. Run as a newcomer runs them: the console script,
`clusterhub serve`, real processes — on SQLite, and on PostgreSQL when
CLUSTERHUB_TEST_DATABASE_URL is set."""

import json
import os
import socket
import subprocess
import sys
import tarfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

CLUSTERHUB = str(Path(sys.executable).with_name("clusterhub"))
POSTGRES = os.environ.get("CLUSTERHUB_TEST_DATABASE_URL")
ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not POSTGRES, reason="set CLUSTERHUB_TEST_DATABASE_URL (.ci/run does)"))]  # fmt: skip


class Site:
    """One data directory (and, on PostgreSQL, one database of its own)."""

    def __init__(self, root: Path, engine: str, name: str):
        self.dir = root / name
        self.env = {**os.environ, "CLUSTERHUB_DATA_DIR": str(self.dir), "SECRET_KEY": "k" * 50,
                    "DJANGO_SETTINGS_MODULE": "clusterhub.settings"}  # fmt: skip
        self.env.pop("DATABASE_URL", None)
        self.env["CLUSTERHUB_API_RATE_PER_TOKEN"] = ""  # the writer writes as fast as it can
        self.env.pop("CLUSTERHUB_TEST_DATABASE_URL", None)
        if engine == "postgresql":
            database = f"clusterhub_backup_{name}"
            _postgres(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            _postgres(f'CREATE DATABASE "{database}"')
            self.env["DATABASE_URL"] = POSTGRES.rsplit("/", 1)[0] + "/" + database

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run([CLUSTERHUB, *args], env=self.env, capture_output=True, text=True,
                              timeout=300, check=False)  # fmt: skip
        if check and done.returncode != 0:
            raise AssertionError(f"clusterhub {' '.join(args)}: {done.stderr[-2000:]}")
        return done

    def slugs(self) -> list[str]:
        code = ("from clusterhub.profiles.models import ClusterOrganisation as C;"
                "print('\\n'.join(C.objects.values_list('slug', flat=True)))")  # fmt: skip
        return self.run("shell", "-v", "0", "-c", code).stdout.split()


def _postgres(sql: str) -> None:
    import psycopg

    with psycopg.connect(POSTGRES, autocommit=True) as connection:
        connection.execute(sql)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serving(site: Site):
    port = _free_port()
    server = subprocess.Popen(
        [CLUSTERHUB, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
        env=site.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/api/clusters?page_size=1", timeout=2)
            return server, base
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    server.kill()
    raise AssertionError("the server did not start")


def _create(base: str, key: str, name: str) -> bool:
    body = json.dumps({"name": name, "country": "PT", "mission": f"{name}: a whole profile"})
    request = urllib.request.Request(
        base + "/api/clusters", body.encode(), method="POST",
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status == 201
    except urllib.error.HTTPError:
        return False


@pytest.mark.parametrize("engine", ENGINES)
def test_a_backup_taken_during_writes_restores_every_acknowledged_write(tmp_path, engine):
    source = Site(tmp_path, engine, "source")
    source.run("migrate", "--noinput")
    code = ("from django.contrib.auth import get_user_model as U;"
            "U().objects.create_user('writer@example.org','writer@example.org','pw-long-enough')")  # fmt: skip
    source.run("shell", "-v", "0", "-c", code)
    key = source.run("token", "create", "--user", "writer@example.org").stdout.strip()
    (source.dir / "uploads").mkdir()
    (source.dir / "uploads" / "logo.txt").write_text("a file of the data directory")
    server, base = _serving(source)
    acknowledged: list[tuple[float, str]] = []  # (when the API answered, slug)
    stop = threading.Event()

    def write():
        n = 0
        while not stop.is_set():
            n += 1
            if _create(base, key, f"Backup Test Cluster {n}"):
                acknowledged.append((time.monotonic(), f"backup-test-cluster-{n}"))

    writer = threading.Thread(target=write)
    try:
        writer.start()
        while len(acknowledged) < 10:
            time.sleep(0.05)
        began = time.monotonic()
        copy = tmp_path / "copy.tar"
        printed = source.run("backup", "-o", str(copy)).stdout
        ended = time.monotonic()
        while len([a for a in acknowledged if a[0] > ended]) < 5:  # writes go on after
            time.sleep(0.05)
    finally:
        stop.set()
        writer.join(60)
        server.terminate()
        server.wait(30)
    assert "secret key is kept in the SECRET_KEY environment variable" in printed
    with tarfile.open(copy) as archive:
        names = archive.getnames()
        assert "files/uploads/logo.txt" in names and "files/secret_key" not in names

    target = Site(tmp_path, engine, "target")
    restored = target.run("restore", str(copy))
    assert "migrated it forward" in restored.stdout
    slugs = set(target.slugs())
    before = {slug for when, slug in acknowledged if when < began}
    assert len(before) >= 10 and before <= slugs  # every write acknowledged before it
    made = {slug for _when, slug in acknowledged}
    assert {s for s in slugs if s.startswith("backup-test")} <= made  # nothing half-made
    check = ("from clusterhub.profiles.models import ClusterOrganisation as C;"
             "print(all(c.mission.endswith('a whole profile') for c in C.objects.all()))")  # fmt: skip
    assert target.run("shell", "-v", "0", "-c", check).stdout.strip() == "True"
    assert (target.dir / "uploads" / "logo.txt").read_text() == "a file of the data directory"

    # Over data, without --force: refused in one line, the data left as it was.
    again = target.run("restore", str(copy), check=False)
    assert again.returncode != 0 and "holds data already" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1 and set(target.slugs()) == slugs


@pytest.mark.parametrize("engine", ENGINES)
def test_a_copy_from_before_a_migration_is_migrated_forward(tmp_path, engine):
    old = Site(tmp_path, engine, "old")
    old.run("migrate", "--noinput")
    old.run("migrate", "accounts", "0004", "--noinput")  # as before LanguagePreference
    code = ("from django.contrib.auth import get_user_model as U;"
            "U().objects.create_user('kept@example.org','kept@example.org','pw-long-enough')")  # fmt: skip
    old.run("shell", "-v", "0", "-c", code)
    copy = tmp_path / "old.tar"
    old.run("backup", "-o", str(copy))
    with tarfile.open(copy) as archive:
        manifest = json.loads(archive.extractfile("manifest.json").read())
    assert "0005_language_preference" not in manifest["migrations"]["accounts"]

    new = Site(tmp_path, engine, "new")
    new.run("restore", str(copy))
    applied = new.run("showmigrations", "accounts").stdout
    assert "[X] 0005_language_preference" in applied
    users = "from django.contrib.auth import get_user_model as U; print(U().objects.count())"
    assert new.run("shell", "-v", "0", "-c", users).stdout.strip() == "1"


def test_a_damaged_or_newer_copy_is_refused_before_anything_changes(tmp_path):
    site = Site(tmp_path, "sqlite", "site")
    site.run("migrate", "--noinput")
    copy = tmp_path / "copy.tar"
    site.run("backup", "-o", str(copy))
    fresh = Site(tmp_path, "sqlite", "fresh")

    damaged = tmp_path / "damaged.tar"
    with tarfile.open(copy) as archive, tarfile.open(damaged, "w") as out:
        for member in archive.getmembers():
            data = archive.extractfile(member).read()
            if member.name == "database.sqlite3":
                data = data[:4096] + b"\0" * 64 + data[4160:]
            member.size = len(data)
            out.addfile(member, __import__("io").BytesIO(data))
    refused = fresh.run("restore", str(damaged), check=False)
    assert refused.returncode != 0 and "damaged" in refused.stderr
    assert not (fresh.dir / "clusterhub.sqlite3").exists() or fresh.slugs() == []

    newer = tmp_path / "newer.tar"
    with tarfile.open(copy) as archive, tarfile.open(newer, "w") as out:
        for member in archive.getmembers():
            data = archive.extractfile(member).read()
            if member.name == "manifest.json":
                found = json.loads(data)
                found["migrations"]["profiles"].append("9999_from_the_future")
                data = json.dumps(found).encode()
            member.size = len(data)
            out.addfile(member, __import__("io").BytesIO(data))
    refused = fresh.run("restore", str(newer), check=False)
    assert refused.returncode != 0 and "newer Clusterhub" in refused.stderr
    assert "profiles.9999_from_the_future" in refused.stderr
    not_a_copy = tmp_path / "notes.txt"
    not_a_copy.write_text("hello")
    refused = fresh.run("restore", str(not_a_copy), check=False)
    assert refused.returncode != 0 and "not a backup" in refused.stderr
