"""Helpers shared by the benchmarks: a throwaway data dir and percentile tables."""

import os
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
