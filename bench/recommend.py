"""The partner finder: how well it finds known collaborations, and how fast it answers.

    .venv/bin/python bench/recommend.py evaluate [--profiles 2000] [--seed 1] [--data DIR]
    .venv/bin/python bench/recommend.py speed [--profiles 100000] [--jsonl FILE] [--data DIR]

`evaluate` loads the demo data (the seed and N synthetic profiles, collaborations
resolved by `clusterhub demo`), then for every cluster with resolved collaborations
hides them (they are not excluded from the ranking, as existing collaborations are on
the page) and ranks every other cluster. It reports recall@10 (the share of a
cluster's hidden partners in its top 10, averaged over clusters) and MRR (the mean of
1 / rank of the first hidden partner), beside two baselines: a random order, and "same
sector only" (most shared sectoral industries first, ties in random order), each
averaged over 5 random orders of the ties. It also
reports the recommender with one kind of reason left out, to show which reasons carry
the result. See docs/matching.md for what these numbers can and cannot show.

`speed` builds N profiles (or reads `--jsonl`), imports them without resolving (or
takes `--data` and clears its resolutions), times `clusterhub resolve-collaborations`
over all of them, then times recommendations for
200 random profiles: in the process (the service call) and over HTTP through
`clusterhub serve` (GET /api/clusters/{slug}/partners).
"""

import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from common import BIN, clusterhub, data_dir, percentiles, row

K = 10
TIE_DRAWS = 5


def setup_django(data: Path) -> None:
    os.environ["CLUSTERHUB_DATA_DIR"] = str(data)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterhub.settings")
    import django

    django.setup()


def held_out(index) -> dict[int, set[int]]:
    """Per cluster ordinal, the ordinals of the clusters its resolved entries name."""
    import numpy as np

    from clusterhub.network.services import edges

    pairs = np.array(edges(), dtype=np.int64).reshape(-1, 2)
    a, b = index.ordinals(pairs[:, 0]), index.ordinals(pairs[:, 1])
    result: dict[int, set[int]] = {}
    for x, y in zip(a.tolist(), b.tolist(), strict=True):
        if x != y:
            result.setdefault(x, set()).add(y)
    return result


def metrics(rankings: dict[int, list[int]], truth: dict[int, set[int]]) -> dict[str, float]:
    recall, reciprocal = [], []
    for target, ranked in rankings.items():
        hidden = truth[target]
        recall.append(len(hidden & set(ranked[:K])) / len(hidden))
        first = next((i for i, o in enumerate(ranked, 1) if o in hidden), None)
        reciprocal.append(1 / first if first else 0.0)
    return {
        "recall": sum(recall) / len(recall),
        "mrr": sum(reciprocal) / len(reciprocal),
    }


def evaluate(args) -> None:
    data = Path(args.data) if args.data else data_dir("recommend-eval")
    if not args.data:
        clusterhub(data, "migrate", "-v0")
        clusterhub(data, "demo", "--profiles", str(args.profiles), "--seed", str(args.seed))
    setup_django(data)
    import numpy as np

    from clusterhub.matching.index import get_matching_index
    from clusterhub.matching.services import WEIGHTS, Scorer

    mi = get_matching_index()
    index = mi.directory
    truth = held_out(index)
    rng = np.random.default_rng(args.seed)
    weights = WEIGHTS["balanced"]
    variants = {"recommender (balanced)": weights}
    variants |= {f"  without {kind.replace('_', ' ')}": {**weights, kind: 0.0} for kind in weights}
    baselines = ("baseline: random", "baseline: same sector only")
    # rankings[method][draw][target]: baselines are full of ties, so they are ranked
    # under several random orders of the ties and their figures averaged.
    draws = dict.fromkeys(variants, 1) | dict.fromkeys(baselines, TIE_DRAWS)
    rankings = {name: [{} for _ in range(n)] for name, n in draws.items()}
    started = time.perf_counter()
    for target in truth:
        components = Scorer(mi, target).components()
        same = components["same_sector"].values.copy()
        same[target] = -np.inf
        for draw in range(TIE_DRAWS):
            tie = rng.random(index.size)  # random order among equal scores
            tie[target] = -1
            if draw == 0:
                for name, w in variants.items():
                    score = sum(components[k].values * v for k, v in w.items())
                    score[target] = -np.inf
                    rankings[name][0][target] = np.lexsort((-tie, -score))[: 5 * K].tolist()
            rankings[baselines[0]][draw][target] = np.argsort(-tie)[: 5 * K].tolist()
            rankings[baselines[1]][draw][target] = np.lexsort((-tie, -same))[: 5 * K].tolist()
    elapsed = time.perf_counter() - started
    hidden = sum(len(v) for v in truth.values())
    print(f"Data: {data} ({index.size} published profiles)")
    print(f"Clusters with resolved collaborations: {len(truth)}, hidden partners: {hidden}")
    print(f"Ranked in {elapsed:.1f} s ({elapsed / len(truth) * 1000:.1f} ms a cluster)\n")
    print(f"| method | recall@{K} | MRR |")
    print("|---|---|---|")
    for name, draws_of in rankings.items():
        runs = [metrics(ranked, truth) for ranked in draws_of]
        recall = sum(m["recall"] for m in runs) / len(runs)
        mrr = sum(m["mrr"] for m in runs) / len(runs)
        print(f"| {name} | {recall:.3f} | {mrr:.3f} |")
    print(f"\nExpected recall@{K} of a random order: {K / (index.size - 1):.4f}")


def import_profiles(data: Path, args) -> None:
    jsonl = Path(args.jsonl) if args.jsonl else data / "profiles.jsonl"
    clusterhub(data, "migrate", "-v0")
    if not args.jsonl:
        clusterhub(data, "demo", "--profiles", str(args.profiles), "--seed", "1",
                   "--jsonl", str(jsonl), stdout=subprocess.DEVNULL)  # fmt: skip
    started = time.perf_counter()
    clusterhub(data, "import", "--quiet", "--no-resolve", str(jsonl))
    print(
        f"Imported {jsonl} in {time.perf_counter() - started:.1f} s (collaborations left unresolved)"
    )


def speed(args) -> None:
    data = Path(args.data) if args.data else data_dir("recommend-speed")
    if not args.data:
        import_profiles(data, args)
    with sqlite3.connect(data / "clusterhub.sqlite3") as db:  # every entry to resolve again
        db.execute(
            "UPDATE profiles_collaboratingcluster SET match_status = '', profile_id = NULL, "
            "candidate_id = NULL, match_confidence = NULL"
        )
    started = time.perf_counter()
    done = clusterhub(data, "resolve-collaborations", "--quiet", time_rss=True,
                      capture_output=True, text=True)  # fmt: skip
    resolution = time.perf_counter() - started
    rss = int(done.stderr.strip().splitlines()[-1]) / 1024
    print(f"resolve-collaborations: {resolution:.1f} s, peak RSS {rss:.0f} MB")
    setup_django(data)
    from clusterhub.matching.index import get_matching_index
    from clusterhub.matching.query import PartnerQuery
    from clusterhub.matching.services import recommend
    from clusterhub.profiles.models import CollaboratingCluster, MatchStatus

    counts = {s: CollaboratingCluster.objects.filter(match_status=s).count() for s in MatchStatus}
    print("Entries by status: " + ", ".join(f"{s.label.lower()} {n}" for s, n in counts.items()))
    started = time.perf_counter()
    mi = get_matching_index()
    print(f"Matching index built in {time.perf_counter() - started:.1f} s "
          f"({mi.size} profiles, {len(mi.text.vocabulary)} words)")  # fmt: skip
    rng = random.Random(1)
    slugs = rng.sample(mi.directory.slugs, 200)
    intents = [PartnerQuery(), PartnerQuery(intent="same_sector_abroad"),
               PartnerQuery(intent="complementary"), PartnerQuery(country=["DE", "FR"])]  # fmt: skip
    service = []
    for i, slug in enumerate(slugs):
        started = time.perf_counter()
        recommend(slug, intents[i % len(intents)])
        service.append((time.perf_counter() - started) * 1000)
    port = 8000 + rng.randrange(1000, 9000)
    # The API's per-address limit off: the benchmark is one address asking as fast as it can.
    env = {**os.environ, "CLUSTERHUB_DATA_DIR": str(data), "CLUSTERHUB_API_RATE_PER_ADDRESS": ""}
    server = subprocess.Popen([BIN / "clusterhub", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}/api/clusters/"
        for _ in range(600):
            try:
                urllib.request.urlopen(base + slugs[0] + "/partners", timeout=600).read()
                break
            except OSError:
                time.sleep(0.5)
        http = []
        for i, slug in enumerate(slugs):
            query = ["", "?intent=same_sector_abroad", "?intent=complementary",
                     "?country=DE&country=FR"][i % 4]  # fmt: skip
            started = time.perf_counter()
            body = urllib.request.urlopen(base + slug + "/partners" + query, timeout=60).read()
            http.append((time.perf_counter() - started) * 1000)
            assert json.loads(body)["slug"] == slug
    finally:
        server.terminate()
        server.wait()
    print(f"\nRecommendations, 200 profiles among {mi.size}, 4 intents/filters in turn (ms):\n")
    print("| measure | p50 | p95 | max |")
    print("|---|---|---|---|")
    print(row("service call", percentiles(service)))
    print(row("HTTP, GET /api/clusters/{slug}/partners", percentiles(http)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    e = commands.add_parser("evaluate")
    e.add_argument("--profiles", type=int, default=2000)
    e.add_argument("--seed", type=int, default=1)
    e.add_argument("--data", help="a data dir with demo data already loaded")
    s = commands.add_parser("speed")
    s.add_argument("--profiles", type=int, default=100_000)
    s.add_argument("--jsonl", help="documents to import instead of generating them")
    s.add_argument("--data", help="a data dir already imported")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    evaluate(args) if args.command == "evaluate" else speed(args)


if __name__ == "__main__":
    main()
