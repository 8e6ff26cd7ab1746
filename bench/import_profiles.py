"""Import of 100,000 JSONL profiles into SQLite (target: at most 2 minutes), then the
profile page render time with that many profiles in the database (target: p95 <= 20 ms).

    .venv/bin/python bench/import_profiles.py [--profiles 100000] [--pages 2000]

Generates the profiles with the demo generator (`clusterhub demo --jsonl`), imports
them into a fresh SQLite database with `clusterhub import --no-resolve`, resolves their
collaborations (`clusterhub resolve-collaborations`, timed apart: `clusterhub import`
does both), and renders random profile pages in one process through Django's full
request stack (middleware, view, template).
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

from common import clusterhub, data_dir, percentiles, row


def render_pages(data, pages: int) -> dict:
    os.environ["CLUSTERHUB_DATA_DIR"] = str(data)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterhub.settings")
    import django

    django.setup()
    from django.test import Client

    from clusterhub.profiles.models import ClusterOrganisation

    slugs = list(ClusterOrganisation.objects.values_list("slug", flat=True))
    rng = random.Random(1)
    client = Client(SERVER_NAME="localhost")
    for slug in rng.sample(slugs, 50):  # warm-up
        client.get(f"/clusters/{slug}/")
    samples = []
    for slug in rng.choices(slugs, k=pages):
        start = time.perf_counter()
        response = client.get(f"/clusters/{slug}/")
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, slug
    return percentiles(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--jsonl", help="import this file instead of generating profiles")
    args = parser.parse_args()
    data = data_dir("import")
    (data / "static").mkdir()
    clusterhub(data, "migrate", "-v0")
    if args.jsonl:
        jsonl = Path(args.jsonl)
    else:
        jsonl = data / "profiles.jsonl"
        start = time.perf_counter()
        clusterhub(
            data, "demo", "--profiles", str(args.profiles), "--seed", "1", "--jsonl", str(jsonl)
        )
        print(f"generate {args.profiles + 1} profiles to JSONL "
              f"({jsonl.stat().st_size / 1e6:.0f} MB): {time.perf_counter() - start:.1f} s")  # fmt: skip
    total = sum(1 for line in jsonl.open("rb") if line.strip())
    start = time.perf_counter()
    timed = clusterhub(data, "import", "--quiet", "--no-resolve", str(jsonl), time_rss=True,
                       capture_output=True, text=True)  # fmt: skip
    imported = time.perf_counter() - start
    peak_mb = int(timed.stderr.split()[-1]) / 1024
    db_mb = (data / "clusterhub.sqlite3").stat().st_size / 1e6
    print(f"data dir: {data}")
    print(f"import {total} profiles into SQLite: {imported:.1f} s ({total / imported:.0f} profiles/s), "
          f"peak RSS {peak_mb:.0f} MB, database {db_mb:.0f} MB (target <= 120 s)")  # fmt: skip
    # `clusterhub import` then resolves the collaborations (bench/recommend.py speed
    # times that alone): pages show them, so they are resolved before pages are rendered.
    start = time.perf_counter()
    clusterhub(data, "resolve-collaborations", "--quiet")
    print(f"resolve the collaborations: {time.perf_counter() - start:.1f} s")
    stats = render_pages(data, args.pages)
    print("| profile page render (ms) | p50 | p95 | max |\n|---|---|---|---|")
    print(row(f"{args.pages} random pages, {total} profiles", stats))
    sys.exit(0 if imported <= 120 and stats["p95"] <= 20 else 1)


if __name__ == "__main__":
    main()
