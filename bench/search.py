"""Directory search at 100,000 profiles: the service, HTTP through `clusterhub serve`, and
Datasette on the same data, side by side.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/search.py [--profiles 100000] [--data DIR] [--datasette-queries 40]

Builds the profiles with the demo generator and imports them (or reuses `--data`, a
data dir a previous run or `bench/import_profiles.py` left), then runs a fixed mix of
200 queries — 50 text only, 50 facets only, 50 text + two facets, 50 at page 50 —
every one with all 13 facet counts. Reports p50/p95/max of the service call (each
query's first run in the process) and over HTTP (a first pass on cold workers, then
again), requests per second through `clusterhub serve` with its default workers, and the
same queries against Datasette serving a denormalised copy (one row per organisation,
FTS on the text, array facets), given a minute per query to finish its facets.
"""

import argparse
import http.client
import json
import os
import random
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from common import BIN, clusterhub, data_dir, percentiles, row

LIST_FACETS = ("regions", "sectoral_industries", "technology_fields", "s3_priority_areas",
               "emerging_industries", "target_countries", "services", "cooperation_activities",
               "programmes", "languages")  # fmt: skip
SCALAR_FACETS = ("country", "cluster_excellence_label", "members_band")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, path: str, seconds: float = 600) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"server on port {port} did not answer {path}")


def query_mix(index, seed: int = 1) -> list[dict]:
    """200 queries: words real users type, values the facets really have."""
    rng = random.Random(seed)
    facets = index.facets
    words = []
    for key in ("sectoral_industries", "regions", "programmes"):
        words += [label.split()[0] for label in facets[key].labels if len(label.split()[0]) > 3]
    words += ["innovation", "textile", "automotive", "digital", "export", "maritime", "food",
              "health", "energy", "galego", "audiovisual", "tourism", "inno", "sustain"]  # fmt: skip

    def two_facets() -> dict:
        keys = rng.sample(["country", "sectoral_industries", "cluster_excellence_label",
                           "target_countries", "services", "languages", "members_band"], 2)  # fmt: skip
        return {k: rng.sample(facets[k].values, min(2, len(facets[k].values))) for k in keys}

    mix = []
    for _ in range(50):
        mix.append({"q": rng.choice(words)})
    for _ in range(50):
        mix.append(
            two_facets()
            if rng.random() < 0.5
            else {"country": [rng.choice(facets["country"].values)]}
        )
    for _ in range(50):
        mix.append({"q": rng.choice(words), **two_facets()})
    for _ in range(50):
        sort = rng.choice(["name", "members", "established", "updated"])
        extra = {"country": [rng.choice(facets["country"].values)]} if rng.random() < 0.3 else {}
        mix.append({"sort": sort, "page": 50, **extra})
    return mix


def query_string(params: dict) -> str:
    pairs = []
    for key, value in params.items():
        pairs += [(key, v) for v in value] if isinstance(value, list) else [(key, value)]
    return urllib.parse.urlencode(pairs)


def time_service(mix) -> dict:
    from clusterhub.directory.query import DirectoryQuery
    from clusterhub.directory.services import search

    samples = []
    for params in mix:
        start = time.perf_counter()
        search(DirectoryQuery(**params))
        samples.append((time.perf_counter() - start) * 1000)
    return percentiles(samples)


def time_http(port: int, paths: list[str]) -> tuple[dict, list[float]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    samples = []
    for path in paths:
        start = time.perf_counter()
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status == 200, (path, response.status)
    return percentiles(samples), samples


def throughput(port: int, paths: list[str], seconds: float = 15, clients: int = 8) -> float:
    done = [0] * clients
    stop = time.time() + seconds

    def client(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        i = n
        while time.time() < stop:
            conn.request("GET", paths[i % len(paths)])
            conn.getresponse().read()
            done[n] += 1
            i += clients

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / seconds


def build_datasette_db(data: Path, path: Path) -> None:
    """One row per organisation: scalars, JSON arrays for list facets, FTS on the text."""
    import sqlite_utils

    from clusterhub.directory.index import get_index

    index = get_index()
    source = sqlite3.connect(data / "clusterhub.sqlite3")
    bodies = dict(source.execute("SELECT organisation_id, body FROM directory_searchdocument"))
    rows = []
    for o in range(index.size):
        org_id = int(index.ids[o])
        record = {
            "id": org_id,
            "slug": index.slugs[o],
            "name": index.names[o],
            "text": bodies.get(org_id, ""),
        }
        for key in SCALAR_FACETS:
            values = index.facets[key].labels_of(o)
            record[key] = values[0] if values else None
        for key in LIST_FACETS:
            record[key] = json.dumps([index.facets[key].values[v] for v in index.facets[key].entries[
                index.facets[key].indptr[o] : index.facets[key].indptr[o + 1]]])  # fmt: skip
        record["members"] = None if index.members[o] != index.members[o] else int(index.members[o])
        rows.append(record)
    db = sqlite_utils.Database(path, recreate=True)
    db["profiles"].insert_all(rows, pk="id", batch_size=5000)
    db["profiles"].enable_fts(["name", "text"], create_triggers=False)
    db["profiles"].create_index(["name"])


def datasette_path(params: dict, index) -> str:
    """The closest Datasette table query: it has no OR within an array facet nor page
    numbers, so an array facet filters on its first value and page 50 is not asked."""
    pairs = [("_size", "20")]
    if params.get("q"):
        pairs.append(("_search", params["q"]))
    for key in SCALAR_FACETS:
        pairs.append(("_facet", key))
        if params.get(key):
            labels = [index.facets[key].labels[index.facets[key].lookup[v]] for v in params[key]]
            pairs.append((f"{key}__in", ",".join(labels)))
    for key in LIST_FACETS:
        pairs.append(("_facet_array", key))
        if params.get(key):
            pairs.append((f"{key}__arraycontains", params[key][0]))
    return "/bench/profiles.json?" + urllib.parse.urlencode(pairs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--data", help="a data dir that already holds the profiles")
    parser.add_argument("--datasette-queries", type=int, default=40,
                        help="how many of the mix (page-50 ones excepted) Datasette runs")  # fmt: skip
    args = parser.parse_args()
    if args.data:
        data = Path(args.data).resolve()
        clusterhub(data, "migrate", "-v0")
    else:
        data = data_dir("search")
        clusterhub(data, "migrate", "-v0")
        jsonl = data / "profiles.jsonl"
        clusterhub(
            data, "demo", "--profiles", str(args.profiles), "--seed", "1", "--jsonl", str(jsonl)
        )
        clusterhub(data, "import", "--quiet", str(jsonl))
    os.environ["CLUSTERHUB_DATA_DIR"] = str(data)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterhub.settings")
    import django

    django.setup()
    from clusterhub.directory.index import get_index

    start = time.perf_counter()
    index = get_index()
    print(
        f"data dir: {data}\nprofiles: {index.size}; facet index built in {time.perf_counter() - start:.1f} s"
    )
    mix = query_mix(index)
    paths = ["/api/clusters?" + query_string(p) for p in mix]
    kinds = (
        ["text only"] * 50 + ["facets only"] * 50 + ["text + two facets"] * 50 + ["page 50"] * 50
    )

    service = time_service(mix)

    port = free_port()
    env = {**os.environ, "CLUSTERHUB_DATA_DIR": str(data)}
    server = subprocess.Popen([BIN / "clusterhub", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        wait_for(port, "/api/clusters?page_size=1")
        # The first pass finds every worker cold: no match set kept, SQLite's page
        # cache empty. Reported too, then measured again warm.
        cold_stats, _ = time_http(port, paths)
        http_stats, http_samples = time_http(port, paths)
        rps = throughput(port, paths)
    finally:
        server.terminate()
        server.wait()

    print("\n| 200 queries, all facet counts (ms) | p50 | p95 | max |\n|---|---|---|---|")
    print(row("service call (in process, each query's first run)", service))
    print(row("HTTP GET /api/clusters, first pass (cold workers)", cold_stats))
    print(row("HTTP GET /api/clusters", http_stats))
    for kind in dict.fromkeys(kinds):
        print(
            row(
                f"HTTP, {kind}",
                percentiles([s for s, k in zip(http_samples, kinds, strict=True) if k == kind]),
            )
        )
    print(
        f"\nthroughput through `clusterhub serve` (default workers, 8 clients): {rps:.0f} requests/s"
    )

    chosen = [i for i, k in enumerate(kinds) if k != "page 50"][
        :: max(1, 150 // args.datasette_queries)
    ]
    chosen = chosen[: args.datasette_queries]
    db = data / "bench.db"
    start = time.perf_counter()
    build_datasette_db(data, db)
    print(
        f"\nDatasette copy built in {time.perf_counter() - start:.0f} s ({db.stat().st_size / 1e6:.0f} MB)"
    )
    port = free_port()
    datasette = subprocess.Popen(
        [BIN / "datasette", "serve", str(db), "--port", str(port), "--setting", "facet_time_limit_ms", "60000",
         "--setting", "sql_time_limit_ms", "60000", "--setting", "num_sql_threads", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for(port, "/bench/profiles.json?_size=1")
        ds_stats, ds_samples = time_http(port, [datasette_path(mix[i], index) for i in chosen])
    finally:
        datasette.terminate()
        datasette.wait()
    ours = [http_samples[i] for i in chosen]
    print(
        f"\n| the same {len(chosen)} queries over HTTP (ms) | p50 | p95 | max |\n|---|---|---|---|"
    )
    print(row("Clusterhub", percentiles(ours)))
    print(row("Datasette", ds_stats))
    ratio = sum(ds_samples) / sum(ours)
    print(f"\nDatasette / Clusterhub, total time of these queries: {ratio:.0f}×")
    ok = max(http_stats["p95"], cold_stats["p95"]) <= 30 and rps >= 300 and ratio >= 20
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
