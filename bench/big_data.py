"""Profiles for the large benchmarks, generated once into a JSON Lines file and reused.

    .venv/bin/python bench/big_data.py --profiles 1000000 --out bench/out/profiles-1m.jsonl

The demo generator holds every profile it makes in memory (to draw their
collaborations), about 24 GB at a million: past `--chunk` profiles it is run once per
chunk, each with a seed of its own, and the slugs and names of every chunk after the
first get the chunk's number so that no profile of one chunk updates one of another.
`--jobs` chunks are made at once (each about 6 GB at 250,000), then written out in their
order: with 2 jobs on this 2-core machine a million took 5 minutes (22 one at a time, on a
machine running the test suite as well).
"""

import argparse
import json
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BIN = Path(sys.executable).parent


def make_chunk(number: int, size: int, tmp: Path) -> Path:
    folder = tmp / str(number)
    folder.mkdir()
    part = folder / "part.jsonl"
    subprocess.run([BIN / "clusterhub", "demo", "--profiles", str(size), "--seed",
                    str(number + 1), "--jsonl", str(part)],
                   check=True, env={"CLUSTERHUB_DATA_DIR": str(folder), "PATH": ""})  # fmt: skip
    return part


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=250_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    sizes = [
        min(args.chunk, args.profiles - start) for start in range(0, args.profiles, args.chunk)
    ]
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(args.jobs) as pool:
        parts = [pool.submit(make_chunk, n, size, Path(tmp)) for n, size in enumerate(sizes)]
        write_out(parts, sizes, Path(args.out))


def write_out(parts: list, sizes: list[int], out_path: Path) -> None:
    """The chunks in their order, as each is made."""
    written = 0
    with out_path.open("w", encoding="utf-8") as out:
        for number, made in enumerate(parts):
            part = made.result()
            with part.open(encoding="utf-8") as lines:
                for line in lines:
                    doc = json.loads(line)
                    if number and not doc.get("synthetic"):
                        continue  # the real seed profile, once
                    if number:
                        doc["slug"] = f"{doc['slug']}-{number + 1}"
                        doc["name"] = f"{doc['name']} {number + 1}"
                    out.write(json.dumps(doc, ensure_ascii=False) + "\n")
            part.unlink()
            written += sizes[number]
            print(f"{written} profiles", flush=True)


if __name__ == "__main__":
    main()
