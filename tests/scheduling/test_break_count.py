"""The automaton that counts a participant's breaks, against a plain count, on every
sequence of busy and idle slots up to seven long, with and without its meeting count."""

import itertools

import pytest
from ortools.sat.python import cp_model

from clusterhub.scheduling.solver import _count_breaks


def breaks(busy: tuple[int, ...]) -> int:
    return sum(1 for i in range(1, len(busy)) if busy[i] and not busy[i - 1] and any(busy[:i]))


def counted(busy: tuple[int, ...], meetings: int, most: int, exact: bool) -> int | None:
    model = cp_model.CpModel()
    count = model.new_int_var(0, most, "count")
    _count_breaks(model, [model.new_constant(b) for b in busy], count, meetings, most, exact)
    solver = cp_model.CpSolver()
    status = solver.solve(model)
    return solver.value(count) if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None


@pytest.mark.parametrize("exact", [True, False])
def test_breaks_are_counted_as_runs_of_idle_slots_between_meetings(exact):
    for length in range(1, 8):
        for busy in itertools.product((0, 1), repeat=length):
            meetings = sum(busy)
            if not meetings:
                continue
            for most in range(0, 3):
                expected = breaks(busy) if breaks(busy) <= most else None
                assert counted(busy, meetings, most, exact) == expected, (busy, most)


def test_the_exact_automaton_refuses_another_number_of_meetings():
    assert counted((1, 1, 0, 1), 3, 2, exact=True) == 1
    assert counted((1, 1, 0, 1), 2, 2, exact=True) is None
    assert counted((1, 1, 0, 0), 3, 2, exact=True) is None
