"""A uniform random sample of the mutants `mutmut` generated, per module, for a mutation
score in an hour instead of a night (docs/mutation.md).

    .venv/bin/mutmut run --max-children 2 $(.venv/bin/python bench/mutation_sample.py --per-module 30)
    .venv/bin/python bench/mutation_sample.py --score

Reads the mutant names from `mutants/` (which `mutmut run` fills before it runs any):
every `__mutmut_N` variant it registered, by module. `--score` reads the results of the
sample (mutmut's `.meta` files) and prints, per module, the mutants killed and the 95 %
Wilson interval of the kill rate.
"""

import argparse
import json
import math
import random
import re
from pathlib import Path

from mutmut.stats import status_by_exit_code

MUTANTS = Path("mutants/src")
REGISTERED = re.compile(r"^\s*mutants_\w+\['([^']+__mutmut_\d+)'\] = ", re.MULTILINE)
# Killed as mutmut scores them (`mutmut results`): a test failed, or the mutant timed out.
KILLED = {"killed", "timeout"}


def mutants_by_module() -> dict[str, list[str]]:
    found = {}
    for path in sorted(MUTANTS.rglob("*.py")):
        names = REGISTERED.findall(path.read_text(encoding="utf-8"))
        if names:
            module = ".".join(path.relative_to(MUTANTS).with_suffix("").parts)
            found[module] = [f"{module}.{name}" for name in names]
    return found


def sample(per_module: int, seed: int) -> dict[str, list[str]]:
    rng = random.Random(seed)
    return {
        module: sorted(rng.sample(names, min(per_module, len(names))))
        for module, names in mutants_by_module().items()
    }


def wilson(killed: int, n: int, z: float = 1.96) -> tuple[float, float]:
    if not n:
        return (0.0, 1.0)
    p = killed / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (centre - half, centre + half)


def statuses() -> dict[str, str]:
    """Each checked mutant's status, in mutmut's words ("killed", "survived", ...)."""
    found = {}
    for meta in MUTANTS.rglob("*.meta"):
        for name, code in json.loads(meta.read_text())["exit_code_by_key"].items():
            if code is not None:
                found[name] = status_by_exit_code[code]
    return found


def score(per_module: int, seed: int) -> None:
    found = statuses()
    print("| module | mutants | sampled | checked | killed (by timeout) | survived | other | score (95 % interval) |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    everything = mutants_by_module()
    for module, names in sample(per_module, seed).items():
        done = [found[n] for n in names if n in found]
        killed = sum(s in KILLED for s in done)
        survived = done.count("survived")
        low, high = wilson(killed, len(done))
        print(f"| {module} | {len(everything[module])} | {len(names)} | {len(done)} | "
              f"{killed} ({done.count('timeout')}) | "
              f"{survived} | {len(done) - killed - survived} | "
              f"{killed / max(len(done), 1):.0%} ({low:.0%}–{high:.0%}) |")  # fmt: skip
    for names in sample(per_module, seed).values():
        for name in names:
            if found.get(name) == "survived":
                print("survived:", name)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-module", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--score", action="store_true", help="score the sample's results")
    args = parser.parse_args()
    if args.score:
        score(args.per_module, args.seed)
    else:
        print(
            " ".join(
                name for names in sample(args.per_module, args.seed).values() for name in names
            )
        )


if __name__ == "__main__":
    main()
