"""Recall@10 and nDCG@10 of the judged query set (tests/directory/relevance/) on the demo
data, for the search as it is and for the search before issue 11, side by side.

    .venv/bin/python bench/relevance.py [--before c85589b]

Each side runs in a process of its own on a fresh demo database (`clusterhub demo
--profiles 300 --seed 1`, what `make run` loads): this checkout's code, and the code of
`--before` checked out with `git worktree` into bench/out/. The judgements (what is
relevant to each query) are read once, from this checkout's facet index, so both sides
are scored against the same sets.
"""

import argparse
import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from common import data_dir, django_on

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(data: Path) -> None:
    django_on(data)
    from django.core.management import call_command

    call_command("demo", "--profiles", "300", "--seed", "1", "--if-empty", verbosity=0)


def rank(data: Path) -> None:
    """Print, as JSON, each judged query's top 10 slugs and total (run per side)."""
    setup(data)
    from clusterhub.directory.query import DirectoryQuery
    from clusterhub.directory.services import search
    from tests.directory.relevance.judged import queries, query_params

    out = []
    for judged in queries():
        result = search(DirectoryQuery(**query_params(judged)))
        out.append({"ranked": [i.slug for i in result.items], "total": result.total})
    print(json.dumps(out))


def side(src: Path, data: Path) -> list[dict]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run(
        [sys.executable, __file__, "--rank", str(data)],
        env=env, check=True, capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", default="c85589b", help="the commit to compare with")
    parser.add_argument("--rank", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rank:
        rank(Path(args.rank))
        return
    before_src = data_dir("relevance-code")
    subprocess.run(["git", "worktree", "add", "--detach", "-f", str(before_src), args.before],
                   cwd=ROOT, check=True, capture_output=True)  # fmt: skip
    try:
        before = side(before_src / "src", data_dir("relevance-before"))
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(before_src)], cwd=ROOT,
                       check=False)  # fmt: skip
    after_data = data_dir("relevance-after")
    after = side(ROOT / "src", after_data)

    setup(after_data)
    from clusterhub.directory.index import get_index
    from tests.directory.relevance.judged import queries, relevant, scores

    index = get_index()
    by_kind = defaultdict(lambda: defaultdict(list))
    for judged, old, new in zip(queries(), before, after, strict=True):
        wanted = relevant(index, judged)
        for name, found in (("before", old), ("after", new)):
            recall, ndcg = scores(found["ranked"], wanted)
            for kind in (judged["kind"], "all"):
                by_kind[kind][name].append((recall, ndcg, found["total"] == 0))
    print(f"{len(queries())} judged queries, demo data (300 synthetic profiles + the seed)\n")
    print("| queries | n | recall@10 before | after | nDCG@10 before | after | "
          "found nothing before | after |\n|---|---|---|---|---|---|---|---|")  # fmt: skip
    for kind in sorted(by_kind, key=lambda k: (k == "all", k)):
        old, new = by_kind[kind]["before"], by_kind[kind]["after"]

        def mean(values, i):
            return sum(v[i] for v in values) / len(values)

        print(f"| {'**all**' if kind == 'all' else kind} | {len(new)} | {mean(old, 0):.2f} | "
              f"{mean(new, 0):.2f} | {mean(old, 1):.2f} | {mean(new, 1):.2f} | "
              f"{sum(v[2] for v in old)} | {sum(v[2] for v in new)} |")  # fmt: skip


if __name__ == "__main__":
    main()
