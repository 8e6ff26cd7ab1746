"""Profiles for the large benchmarks, generated once into a JSON Lines file and reused.

    .venv/bin/python bench/big_data.py --profiles 1000000 --out bench/out/profiles-1m.jsonl

The demo generator holds every profile it makes in memory (to draw their
collaborations), about 24 GB at a million: past `--chunk` profiles it is run once per
chunk, each with a seed of its own, and the slugs and names of every chunk after the
first get the chunk's number so that no profile of one chunk updates one of another.
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

BIN = Path(sys.executable).parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=250_000)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    with Path(args.out).open("w", encoding="utf-8") as out, tempfile.TemporaryDirectory() as tmp:
        left, number = args.profiles, 0
        while left > 0:
            size = min(args.chunk, left)
            part = Path(tmp) / "part.jsonl"
            subprocess.run([BIN / "clusterhub", "demo", "--profiles", str(size), "--seed",
                            str(number + 1), "--jsonl", str(part)],
                           check=True, env={"CLUSTERHUB_DATA_DIR": tmp, "PATH": ""})  # fmt: skip
            with part.open(encoding="utf-8") as lines:
                for line in lines:
                    doc = json.loads(line)
                    if number and not doc.get("synthetic"):
                        continue  # the real seed profile, once
                    if number:
                        doc["slug"] = f"{doc['slug']}-{number + 1}"
                        doc["name"] = f"{doc['name']} {number + 1}"
                    out.write(json.dumps(doc, ensure_ascii=False) + "\n")
            left -= size
            number += 1
            print(f"{args.profiles - left} profiles", flush=True)


if __name__ == "__main__":
    main()
