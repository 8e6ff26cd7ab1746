"""Helpers shared by the benchmarks: a throwaway data dir and percentile tables."""

import ctypes
import gc
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BIN = Path(sys.executable).parent


def data_dir(name: str) -> Path:
    """A fresh data dir under bench/out/ (kept between runs only when asked)."""
    root = Path(os.environ.get("BENCH_OUT", Path(__file__).parent / "out"))
    root.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f"{name}-", dir=root))


def clusterhub(
    data: Path, *args: str, time_rss: bool = False, **kwargs
) -> subprocess.CompletedProcess:
    """Run `clusterhub` on `data`; with `time_rss`, stderr ends with its peak RSS in KB."""
    env = {**os.environ, "CLUSTERHUB_DATA_DIR": str(data)}
    env.pop("DATABASE_URL", None)
    command = [BIN / "clusterhub", *args]
    if time_rss:
        command = ["/usr/bin/time", "-f", "%M", *command]
    return subprocess.run(command, env=env, check=True, **kwargs)


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    q = statistics.quantiles(ordered, n=100, method="inclusive")
    return {"p50": q[49], "p95": q[94], "max": ordered[-1]}


def row(label: str, stats: dict[str, float]) -> str:
    return f"| {label} | {stats['p50']:.2f} | {stats['p95']:.2f} | {stats['max']:.2f} |"


def copy_of(source: Path, suffix: str) -> Path:
    """A copy of a data dir's database beside it, to write in without changing the
    original. SQLite's backup, not a file copy: the source's last writes may still be in
    its WAL."""
    copy = source.parent / f"{source.name}-{suffix}"
    shutil.rmtree(copy, ignore_errors=True)
    copy.mkdir()
    src, dst = (sqlite3.connect(d / "clusterhub.sqlite3") for d in (source, copy))
    src.backup(dst)
    src.close()
    dst.close()
    (copy / "static").mkdir()
    return copy


def resident_mb() -> float:
    """The process's own memory now (not its peak): its anonymous resident pages. The
    database is read through a memory map (settings: `mmap_size`), whose pages count in
    VmRSS as the profiles read grow, but are the file's, shared and dropped at will."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("RssAnon:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def django_on(data: Path) -> None:
    """Django set up on a data dir (SQLite), migrated."""
    os.environ["CLUSTERHUB_DATA_DIR"] = str(data)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterhub.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def moderator():
    """A moderator's account, for edits as the editor saves them."""
    from django.contrib.auth.models import Group, User

    from clusterhub.accounts.apps import MODERATORS

    user = User.objects.create_user("bench@example.org", "bench@example.org", "x")
    user.groups.add(Group.objects.get(name=MODERATORS))
    return User.objects.get(pk=user.pk)


def settled_mb() -> float:
    """The process's memory once the indexes rebuilt behind requests are done, the
    garbage collected and the freed memory the allocator keeps (each thread that
    rebuilt an index has an arena of its own) handed back: what the process holds."""
    from clusterhub.directory.index import get_index, wait_for_rebuild

    get_index()
    wait_for_rebuild()
    gc.collect()
    ctypes.CDLL(None).malloc_trim(0)
    return resident_mb()
