"""When not every meeting fits: the most that do, priorities first, each left out with
its reason; and a solve asked to stop ends with the schedule it has."""

import random

from bench.schedule import check
from clusterhub.scheduling.problem import ANY, Problem
from clusterhub.scheduling.solver import solve, solve_most


def brokerage(seed: int = 1) -> Problem:
    """30 participants, 80 meetings between random pairs, 12 slots, 10 tables."""
    rng = random.Random(seed)
    pairs = set()
    while len(pairs) < 80:
        pairs.add(tuple(sorted(rng.sample(range(1, 31), 2))))
    return Problem(participants=30, slots=12, morning_slots=6, tables=10,
                   meetings=[(a, b, ANY) for a, b in sorted(pairs)])  # fmt: skip


def crowded(priorities: dict[int, int]) -> Problem:
    """Participant 1 has three meetings and two slots: one cannot be held."""
    return Problem(participants=4, slots=2, morning_slots=2, tables=2,
                   meetings=[(1, 2, ANY), (1, 3, ANY), (1, 4, ANY)],
                   priorities=priorities)  # fmt: skip


def test_the_most_meetings_are_kept_and_the_lowest_priority_left_out():
    schedule, left_out = solve_most(crowded({0: 5, 1: 1, 2: 4}), fairness=2, time_limit=10)
    assert list(left_out) == [1]
    assert "participant 1 has 3 meetings and 2 slots" in str(left_out[1])
    assert schedule.slots[1] is None and sorted(schedule.slots[m] for m in (0, 2)) == [1, 2]


def test_when_everything_fits_nothing_is_left_out():
    problem = crowded({})
    problem.meetings.pop()
    schedule, left_out = solve_most(problem, fairness=2, time_limit=10)
    assert left_out == {} and schedule.status == "optimal"


def test_a_solve_asked_to_stop_keeps_its_first_schedule():
    problem = brokerage()
    schedule = solve(problem, fairness=2, time_limit=60, stop=lambda: True)
    assert schedule.status in ("feasible", "optimal")
    assert check(problem, schedule.as_json(), 2) == (schedule.total_breaks, [])
