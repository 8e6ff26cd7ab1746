"""The B2B meeting scheduler on the benchmark instances (../shared/b2b_instances/).

    .venv/bin/python bench/schedule.py [--time-limit 60] [--only GLOB] [--sets originals,variants,fairness]

`originals`: the 20 real instances at d = 2; `variants`: the 120 variants at d = 2;
`fairness`: the 20 originals at d = 0, 1 and 3. Each schedule the solver returns is
checked here, independently of the solver (every meeting once, in an allowed slot,
no participant twice in a slot, at most the tables, table numbers distinct, fixed
slots and precedences kept, the breaks and the fairness recomputed from the slots),
and compared with best_known.csv (the proven optima of JAIR 2022).
"""

import argparse
import csv
import fnmatch
import os
import time
from pathlib import Path

# the solver's messages are marked for translation, which reads the settings
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterhub.settings")

from clusterhub.scheduling.problem import Problem, read_dzn
from clusterhub.scheduling.solver import solve

DATA = Path(__file__).resolve().parents[2] / "shared" / "b2b_instances"


def breaks_of(problem: Problem, slots: list[int]) -> dict[int, int]:
    """Each participant's breaks: maximal idle gaps between their first and last meeting."""
    busy: dict[int, list[int]] = {}
    for m, (a, b, _session) in enumerate(problem.meetings):
        busy.setdefault(a, []).append(slots[m])
        busy.setdefault(b, []).append(slots[m])
    return {
        p: sum(1 for x, y in zip(sorted(ts), sorted(ts)[1:], strict=False) if y - x > 1)
        for p, ts in busy.items()
    }


def check(problem: Problem, schedule: dict, fairness: int) -> tuple[int, list[str]]:
    """(total breaks recomputed, the broken rules) of a schedule in the CLI's JSON shape."""
    errors = []
    placed = {row["meeting"] - 1: (row["slot"], row["table"]) for row in schedule["meetings"]}
    if sorted(placed) != list(range(len(problem.meetings))):
        errors.append("not every meeting is placed exactly once")
        return -1, errors
    slots = [placed[m][0] for m in range(len(problem.meetings))]
    taken: dict[tuple[int, int], int] = {}
    tables: dict[tuple[int, int], int] = {}
    for m, (a, b, session) in enumerate(problem.meetings):
        t, table = placed[m]
        if not 1 <= t <= problem.slots:
            errors.append(f"meeting {m + 1}: slot {t} out of range")
        if (session == 1 and t > problem.morning_slots) or (
            session == 2 and t <= problem.morning_slots
        ):
            errors.append(f"meeting {m + 1}: slot {t} outside its session")
        for p in (a, b):
            if t in problem.forbidden.get(p, ()):
                errors.append(f"meeting {m + 1}: slot {t} forbidden to {p}")
            if (p, t) in taken:
                errors.append(f"participant {p} twice in slot {t}")
            taken[p, t] = m
        if problem.fixed.get(m, t) != t:
            errors.append(f"meeting {m + 1}: not in its fixed slot")
        if not 1 <= table <= problem.tables or (t, table) in tables:
            errors.append(f"meeting {m + 1}: table {table} out of range or taken in slot {t}")
        tables[t, table] = m
    for m, before in problem.precedences.items():
        for k in before:
            if not slots[k] < slots[m]:
                errors.append(f"meeting {k + 1} is not before meeting {m + 1}")
    breaks = breaks_of(problem, slots)
    if breaks and max(breaks.values()) - min(breaks.values()) > fairness:
        errors.append(f"fairness: breaks range {min(breaks.values())}..{max(breaks.values())}")
    return sum(breaks.values()), errors


def runs(sets: set[str]) -> list[tuple[str, str, int]]:
    names = sorted(p.name.removesuffix(".dzn") for p in (DATA / "instances").glob("*.dzn"))
    found = []
    for name in names:
        base, variant = name.split(".", 1)
        if variant == "original":
            if "originals" in sets:
                found.append((base, variant, 2))
            if "fairness" in sets:
                found += [(base, variant, d) for d in (0, 1, 3)]
        elif "variants" in sets:
            found.append((base, variant, 2))
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--only", default="*", help="instances whose name matches: 'forum-*'")
    parser.add_argument("--sets", default="originals,variants,fairness")
    args = parser.parse_args()
    best = {
        (r["instance"], r["variant_file_suffix"], int(r["fairness_d"])): r["optimum_total_breaks"]
        for r in csv.DictReader((DATA / "best_known.csv").open())
    }
    print("| instance | d | status | breaks | bound | best known | s | first s | check |")
    print("|---|---|---|---|---|---|---|---|---|")
    summary = {"proven": 0, "runs": 0, "wrong": 0, "worst": 0.0, "matches": 0, "first": 0.0}
    started = time.perf_counter()
    for base, variant, d in runs(set(args.sets.split(","))):
        if not fnmatch.fnmatch(f"{base}.{variant}", args.only):
            continue
        problem = read_dzn(DATA / "instances" / f"{base}.{variant}.dzn")
        began, first = time.perf_counter(), []

        def improved(value: int, bound: int, began=began, first=first) -> None:
            if not first:
                first.append(time.perf_counter() - began)

        schedule = solve(problem, d, args.time_limit, report=improved)
        summary["first"] = max(summary["first"], first[0] if first else 0.0)
        known = best.get((base, variant, d), "?")
        verdict = ""
        if schedule.total_breaks is not None:
            total, errors = check(problem, schedule.as_json(), d)
            verdict = (
                "ok"
                if not errors and total == schedule.total_breaks
                else "; ".join(errors[:2]) or f"breaks {total}"
            )
            summary["wrong"] += verdict != "ok"
        if schedule.status in ("optimal", "infeasible"):
            summary["proven"] += 1
        expected = "infeasible" if known == "UNSAT" else known
        got = "infeasible" if schedule.status == "infeasible" else schedule.total_breaks
        summary["matches"] += schedule.status in ("optimal", "infeasible") and str(got) == str(
            expected
        )
        summary["runs"] += 1
        summary["worst"] = max(summary["worst"], schedule.seconds)
        print(f"| {base}.{variant} | {d} | {schedule.status} | {schedule.total_breaks} | "
              f"{schedule.lower_bound} | {known} | {schedule.seconds:.1f} | "
              f"{f'{first[0]:.1f}' if first else '–'} | {verdict} |", flush=True)  # fmt: skip
    print(
        f"\n{summary['runs']} runs in {time.perf_counter() - started:.0f} s: {summary['proven']} "
        f"proven (optimal or infeasible), {summary['matches']} of them equal to the best known, "
        f"{summary['wrong']} schedules failing the check; worst time {summary['worst']:.1f} s "
        f"(time limit {args.time_limit:.0f} s); first schedule at worst after "
        f"{summary['first']:.1f} s"
    )


if __name__ == "__main__":
    main()
