"""The home page, the statistics and the map at 100,000 profiles (or more).

    .venv/bin/python bench/home_and_map.py --data DIR [--selections 30] [--edits 200]

`DIR` is a data dir that `bench/import_profiles.py` left. On a copy of its database, in
one process through Django's whole request stack:

- each page and endpoint (`/`, `/statistics/`, `/map/` in both views, `/api/statistics`,
  `/api/map`) for the whole directory and for random selections (a facet value, a
  word, both): the first request of a selection (counted, charts and map drawn) and the
  same again (kept for the index);
- edits, one profile moved to another country at a time, as the editor saves it: how
  long until the home page and the map count it, and what the first requests after an
  edit cost (everything counted again for the new index);
- the process's memory after the pages, and after each half of the edits.
"""

import argparse
import random
import shutil
import sys
import time
from pathlib import Path

from common import copy_of, django_on, moderator, percentiles, row, settled_mb

WORDS = ["textile", "automotive", "innovation cluster", "biotech", "Malta", "energy"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--selections", type=int, default=30)
    parser.add_argument("--edits", type=int, default=200)
    args = parser.parse_args()
    copy = copy_of(Path(args.data), "statistics")
    django_on(copy)
    from django.test import Client

    from clusterhub.accounts.editing import update_profile
    from clusterhub.directory.index import get_index, wait_for_rebuild
    from clusterhub.profiles.document import to_document
    from clusterhub.profiles.models import ClusterOrganisation
    from clusterhub.statistics import geography

    editor = moderator()
    started = time.perf_counter()
    index = get_index()
    geography.warm()
    print(f"data: {index.listed} published profiles; index and map shapes ready in "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip

    rng = random.Random(1)
    selections = [""]
    for n in range(args.selections - 1):
        key = rng.choice(["country", "sectoral_industries", "regions", "emerging_industries"])
        column = index.facets[key]
        value = column.values[rng.randrange(len(column.values))]
        pairs = [f"{key}={value}"]
        if n % 3 == 0:
            pairs.append(f"q={rng.choice(WORDS)}")
        selections.append("&".join(pairs))
    client = Client(SERVER_NAME="localhost")
    pages = ["/statistics/", "/map/", "/map/?view=world", "/api/statistics", "/api/map"]

    def timed(url: str) -> float:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (url, response.status_code)
        return elapsed

    memory = [f"{settled_mb():.0f} MB after the index"]
    cold: dict[str, list[float]] = {"/": [timed("/")]}
    warm: dict[str, list[float]] = {"/": [timed("/") for _ in range(20)]}
    for page in pages:
        cold[page], warm[page] = [], []
        for selection in selections:
            join = "&" if "?" in page else "?"
            url = f"{page}{join}{selection}" if selection else page
            cold[page].append(timed(url))
            warm[page].append(timed(url))
    memory.append(f"{settled_mb():.0f} MB after the pages")
    print(f"\n| ms, {len(selections)} selections | first p50 | p95 | max | kept p50 | p95 | max |")
    print("|---|---|---|---|---|---|---|")
    for page in ["/", *pages]:
        first, kept = (
            percentiles(cold[page] * (2 if len(cold[page]) == 1 else 1)),
            percentiles(warm[page]),
        )
        print(f"| `{page}` | {first['p50']:.1f} | {first['p95']:.1f} | {first['max']:.1f} | "
              f"{kept['p50']:.1f} | {kept['p95']:.1f} | {kept['max']:.1f} |")  # fmt: skip

    countries = [v for v in index.facets["country"].values if v in ("MT", "LU", "CY", "EE")]
    pks = list(ClusterOrganisation.objects.filter(status="published").values_list("pk", flat=True))
    edits, shown, after = [], [], {"/": [], "/statistics/": [], "/map/": [], "/api/map": []}
    for i, pk in enumerate(rng.sample(pks, args.edits)):
        org = ClusterOrganisation.objects.get(pk=pk)
        doc = to_document(org)
        target = next(c for c in countries if c != doc.country)
        doc = doc.model_copy(update={"country": target})
        wait_for_rebuild()  # no count of an older index still running
        _count(client, target)  # past SYNC_COUNT_MAX the first answer may be the previous one
        wait_for_rebuild()
        before = _count(client, target)
        started = time.perf_counter()
        update_profile(editor, org.slug, doc, org.version)
        edits.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        while _count(client, target) != before + 1:
            time.sleep(0.01)
        shown.append((time.perf_counter() - started) * 1000)
        for page in after:
            after[page].append(timed(page))
        if i + 1 in (args.edits // 2, args.edits):
            memory.append(f"{settled_mb():.0f} MB after {i + 1} edits")
    print(f"\n| {args.edits} edits, ms | p50 | p95 | max |\n|---|---|---|---|")
    print(row("an edit saved (update_profile)", percentiles(edits)))
    print(row("until `/api/map` counts it", percentiles(shown)))
    for page, samples in after.items():
        print(row(f"`{page}` after the edit", percentiles(samples)))
    print("\nresident memory:", ", ".join(memory))
    shutil.rmtree(copy)
    sys.exit(0)


def _count(client, country: str) -> int:
    """The map's count of a country (0 when none), through the API."""
    features = client.get("/api/map", {"level": "country"}).json()["features"]
    return next((f["properties"]["count"] for f in features if f["id"] == country), 0)


if __name__ == "__main__":
    main()
