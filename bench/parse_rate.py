"""Parse rate of ECCP profile pages (target: at least 200 pages/s).

    .venv/bin/python bench/parse_rate.py [--seconds 10]

Parses the seed page and the test pages (text and HTML) round-robin for a fixed time.
"""

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterhub.settings")
import django

django.setup()

from clusterhub.ingest.demo import SEED_PAGE  # noqa: E402
from clusterhub.ingest.eccp import parse_page  # noqa: E402

PAGES = [SEED_PAGE, *sorted((Path(__file__).parents[1] / "tests/ingest/pages").glob("*"))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    pages = [p.read_bytes() for p in PAGES]
    for data in pages:  # warm caches (country and region indexes) outside the timing
        parse_page(data)
    count, size = 0, 0
    start = time.perf_counter()
    while time.perf_counter() - start < args.seconds:
        for data in pages:
            parse_page(data)
            count += 1
            size += len(data)
    elapsed = time.perf_counter() - start
    print(f"pages: {len(pages)} distinct ({', '.join(p.name for p in PAGES)})")
    print(f"parsed {count} pages ({size / 1e6:.1f} MB) in {elapsed:.1f} s")
    print(f"rate: {count / elapsed:.0f} pages/s (target >= 200)")
    sys.exit(0 if count / elapsed >= 200 else 1)


if __name__ == "__main__":
    main()
