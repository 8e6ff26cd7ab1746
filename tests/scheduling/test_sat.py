"""The SAT route (scheduling/sat.py): "at most k breaks in all, at most c each?" in
CNF finds a schedule exactly when a count over every schedule of a small event says
one exists, and the child process that asks CaDiCaL answers, reports its death, and
never outlives a solve."""

import itertools
import multiprocessing
import os
import random
import signal

import pytest

from bench.schedule import breaks_of
from clusterhub.scheduling import sat
from clusterhub.scheduling.problem import AFTERNOON, ANY, MORNING, Problem
from clusterhub.scheduling.sat import Question, decide


def small_event(seed: int) -> Problem:
    """4–5 participants, 5–6 meetings, 5 slots (3 in the morning), 1–2 tables, some
    forbidden slots, sessions and a precedence."""
    rng = random.Random(seed)
    participants = rng.choice((4, 5))
    pairs = list(itertools.combinations(range(1, participants + 1), 2))
    chosen = rng.sample(pairs, rng.choice((5, 6)))
    meetings = [(a, b, rng.choice((ANY, ANY, ANY, MORNING, AFTERNOON))) for a, b in chosen]
    forbidden = {
        p: frozenset(rng.sample(range(1, 6), 1)) for p in range(1, participants + 1)
        if rng.random() < 0.3
    }  # fmt: skip
    return Problem(participants, 5, 3, rng.choice((1, 2)), meetings, forbidden,
                   precedences={1: frozenset({0})} if seed % 3 == 0 else {})  # fmt: skip


def every_schedule(problem: Problem):
    """Each valid slot assignment with its breaks per participant."""
    choices = [problem.allowed_slots(m) for m in range(len(problem.meetings))]
    for slots in itertools.product(*choices):
        taken = [(p, t) for (a, b, _s), t in zip(problem.meetings, slots, strict=True)
                 for p in (a, b)]  # fmt: skip
        if len(set(taken)) < len(taken):
            continue
        if any(slots.count(t) > problem.tables for t in set(slots)):
            continue
        if any(slots[k] >= slots[m] for m, before in problem.precedences.items() for k in before):
            continue
        yield list(slots), list(breaks_of(problem, list(slots)).values())


SEEDS = range(20)


def test_the_small_events_cover_every_case():
    fewest = [min((sum(b) for _s, b in every_schedule(small_event(seed))), default=None)
              for seed in SEEDS]  # fmt: skip
    assert None in fewest and 0 in fewest and 1 in fewest and 2 in fewest


@pytest.mark.parametrize("seed", SEEDS)
def test_the_cnf_has_a_schedule_exactly_when_one_exists(seed):
    problem = small_event(seed)
    schedules = {tuple(slots): breaks for slots, breaks in every_schedule(problem)}
    for cap, k in itertools.product(range(3), range(4)):
        exists = any(max(b) <= cap and sum(b) <= k for b in schedules.values())
        found = decide(problem, cap, k)
        assert (found is not None) == exists, (seed, cap, k)
        if found is not None:
            breaks = schedules[tuple(found)]  # a valid schedule, found among them
            assert max(breaks) <= cap and sum(breaks) <= k


def chain(participants: int, broken: bool) -> Problem:
    """Participant i meets i + 1, one table: a schedule without breaks exists, unless
    the middle participant cannot meet in the slot between their two meetings."""
    meetings = [(p, p + 1, ANY) for p in range(1, participants)]
    middle = participants // 2
    forbidden = {middle: frozenset({2, 3, 4})} if broken else {}
    return Problem(participants, participants - 1, 2, 1, meetings, forbidden)


def test_a_question_is_answered_by_a_child_process():
    question = Question(chain(6, broken=False), 0, 0, seconds=30)
    try:
        kind, slots = question.wait(30)
    finally:
        question.close()
    assert kind == "found"
    assert sorted(slots) == [1, 2, 3, 4, 5]
    assert sum(breaks_of(chain(6, broken=False), slots).values()) == 0
    question = Question(chain(6, broken=True), 0, 0, seconds=30)
    try:
        assert question.wait(30) == ("none",)
    finally:
        question.close()


def hang(*args) -> None:
    signal.pause()


def test_a_child_that_dies_is_reported_not_waited_for(monkeypatch):
    monkeypatch.setattr(sat, "_decide", hang)
    question = Question(chain(6, broken=False), 0, 0, seconds=60)
    assert question.wait(0.2) is None
    os.kill(question._process.pid, signal.SIGKILL)
    try:
        assert question.wait(30) == ("failed",)
    finally:
        question.close()


def test_a_question_closed_while_undecided_leaves_no_child_process(monkeypatch):
    monkeypatch.setattr(sat, "_decide", hang)
    question = Question(chain(6, broken=False), 0, 0, seconds=60)
    assert multiprocessing.active_children()
    question.close()
    assert multiprocessing.active_children() == []
