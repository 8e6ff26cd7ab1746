"""Schedule every meeting in a slot and at a table, minimising the total number of
breaks (idle gaps between a participant's first and last meeting) with a fairness bound:
no two participants' breaks differ by more than `fairness` — OR-Tools CP-SAT.

The model (docs/scheduling.md): a Boolean per meeting and allowed slot (its session,
neither side's forbidden slots, its fixed slot), exactly one per meeting; a participant
is busy in a slot when one of their meetings is there; at most `tables` meetings a slot;
precedences on the slot numbers. A participant's breaks are their blocks of consecutive
busy slots less one, a block ending where a busy slot is followed by an idle one or the
last slot (the benchmark's count: slots are numbered across the lunch, the last morning
slot and the first afternoon one are consecutive; with lunch apart, forum-14's optimum
would be 0, not the published 2).
Tables are symmetric, so they are numbered after the solve, slot by slot.
"""

import itertools
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_noop
from ortools.sat.python import cp_model

from .problem import Problem
from .sat import Question

STATUSES = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.MODEL_INVALID: "unknown",
    cp_model.UNKNOWN: "unknown",
}


# Why a schedule is what it is: messages marked for the catalogues, whose participants
# (`a`, `b`, `participant`) are numbers here and names on an event's pages.
NO_COMMON_SLOT = gettext_noop(
    "meeting %(meeting)s (%(a)s with %(b)s) has no slot both sides can attend"
)
TOO_MANY = gettext_noop(
    "%(participant)s has %(meetings)s meetings and %(slots)s slots to hold them"
)
NO_SLOT_FOR = gettext_noop("no slot both %(a)s and %(b)s can attend")
NO_SLOT_LEFT = gettext_noop(
    "no slot left for it beside the other meetings of both sides and the tables"
)
NOT_FAIR = gettext_noop("no schedule keeps every participant's breaks within %(d)s of the others'")
PARTICIPANTS = ("a", "b", "participant")


@dataclass(frozen=True)
class Reason:
    """One reason, as a message and its values."""

    message: str
    values: tuple[tuple[str, int], ...] = ()

    def text(self, participant: Callable[[int], str], translate: Callable[[str], str] = str):
        """In words: participants named by `participant`, the message by `translate`."""
        values = {k: participant(v) if k in PARTICIPANTS else v for k, v in self.values}
        return translate(self.message) % values if values else translate(self.message)

    def __str__(self) -> str:  # as the command line prints it
        return self.text(lambda p: f"participant {p}")


def _reason(message: str, **values: int) -> Reason:
    return Reason(message, tuple(values.items()))


def in_words(reasons, participant: Callable[[int], str], translate=str) -> str:
    return "; ".join(r.text(participant, translate) for r in reasons)


@dataclass
class Schedule:
    status: str  # optimal, feasible, infeasible, unknown
    total_breaks: int | None
    lower_bound: int | None
    seconds: float
    slots: list[int | None] = field(default_factory=list)  # per meeting, from 1
    tables: list[int | None] = field(default_factory=list)  # per meeting, from 1
    reasons: tuple[Reason, ...] = ()  # why it is infeasible, when a simple count shows it

    @property
    def reason(self) -> str:
        return "; ".join(map(str, self.reasons))

    def as_json(self) -> dict:
        return {
            "status": self.status,
            "total_breaks": self.total_breaks,
            "lower_bound": self.lower_bound,
            "seconds": round(self.seconds, 3),
            "meetings": [
                {"meeting": m + 1, "slot": t, "table": table}
                for m, (t, table) in enumerate(zip(self.slots, self.tables, strict=True))
                if t is not None
            ],
        }


def obvious_conflicts(problem: Problem) -> list[Reason]:
    """Reasons no schedule exists that simple counts show (a meeting with no allowed
    slot, a participant with more meetings than free slots, more meetings than tables
    in the one slot they are fixed to)."""
    reasons = []
    for m in range(len(problem.meetings)):
        if not problem.allowed_slots(m):
            a, b, _ = problem.meetings[m]
            reasons.append(_reason(NO_COMMON_SLOT, meeting=m + 1, a=a, b=b))
    for p, meetings in problem.meetings_of().items():
        free = set().union(*(problem.allowed_slots(m) for m in meetings)) if meetings else set()
        if len(meetings) > len(free):
            reasons.append(
                _reason(TOO_MANY, participant=p, meetings=len(meetings), slots=len(free))
            )
    return reasons


def _count_breaks(model, busy, count, meetings: int, most: int, exact: bool) -> None:
    """The breaks of one participant as an automaton over their busy slots (the JAIR
    paper's hole counting): states (phase, breaks so far, meetings so far), phase 0
    before the first meeting, 1 in a block, 2 idle after one; at most `most` breaks; the
    last letter read is the break count itself, accepted from the states that counted it.

    `exact`: the automaton counts the meetings too (exactly `meetings` busy slots), so
    that propagation is complete on each participant's sequence with its number of
    meetings (counting breaks alone, a participant without a break and a meeting in slot
    5 did not rule out slot 5 + their number of meetings). On the capped models (a few
    breaks each) that proved forum-14 optimal in 41 s and found ticf-14crafa's "no
    break" in 9 s instead of 20; uncapped, the automata grow with meetings × breaks and
    the first schedule came later (12 s instead of 3 on forum-13), so the first search
    counts breaks alone (docs/scheduling.md)."""
    tally = meetings if exact else 1  # not exact: "a meeting seen" only
    ids: dict[tuple, int] = {}

    def state(*key) -> int:
        return ids.setdefault(key, len(ids) + 1)

    start, final = state(0, 0, 0), state("final")
    transitions = [(start, 0, start), (start, 1, state(1, 0, 1))]
    for b in range(most + 1):
        for c in range(1, tally + 1):
            transitions += [
                (state(1, b, c), 0, state(2, b, c)),
                (state(2, b, c), 0, state(2, b, c)),
            ]
            if c < meetings:
                transitions.append((state(1, b, c), 1, state(1, b, min(c + 1, tally))))
                if b < most:
                    transitions.append((state(2, b, c), 1, state(1, b + 1, min(c + 1, tally))))
        transitions += [
            (state(1, b, tally), 10 + b, final),
            (state(2, b, tally), 10 + b, final),
        ]
    letters = [u if u is not None else model.new_constant(0) for u in busy]
    shifted = model.new_int_var(10, 10 + most, "")
    model.add(shifted == count + 10)  # letters 10.. name the counts, apart from 0 and 1
    model.add_automaton([*letters, shifted], start, [final], transitions)


def _greedy(problem: Problem) -> list[int | None]:
    """A slot per meeting (None where none was left): fixed meetings first, then those
    of the busiest participants, each in the allowed slot nearest the slots its two
    sides already have (then the earliest), where both are free and a table is left."""
    of = problem.meetings_of()
    busy: dict[int, set[int]] = {p: set() for p in of}
    used: dict[int, int] = {}
    slots: list[int | None] = [None] * len(problem.meetings)

    def load(m: int) -> int:
        a, b, _session = problem.meetings[m]
        return -(len(of[a]) + len(of[b]))

    rest = sorted((m for m in range(len(problem.meetings)) if m not in problem.fixed), key=load)
    for m in [*problem.fixed, *rest]:
        a, b, _session = problem.meetings[m]

        def distance(t: int, a=a, b=b) -> tuple[int, int]:
            return sum(min(abs(t - s) for s in busy[p]) for p in (a, b) if busy[p]), t

        free = [t for t in problem.allowed_slots(m)
                if t not in busy[a] and t not in busy[b] and used.get(t, 0) < problem.tables]  # fmt: skip
        if free:
            t = min(free, key=distance)
            slots[m] = t
            busy[a].add(t)
            busy[b].add(t)
            used[t] = used.get(t, 0) + 1
    return slots


def _breaks_if_valid(problem: Problem, slots: list[int | None], fairness: int | None):
    """The total breaks of a complete schedule that keeps the precedences and the
    fairness bound (the rest holds by construction in `_greedy`), else None."""
    if None in slots:
        return None
    for m, before in problem.precedences.items():
        if any(slots[k] >= slots[m] for k in before):
            return None
    breaks = []
    for meetings in problem.meetings_of().values():
        taken = sorted(slots[m] for m in meetings)
        breaks.append(sum(1 for s, t in itertools.pairwise(taken) if t - s > 1))
    if fairness is not None and breaks and max(breaks) - min(breaks) > fairness:
        return None
    return sum(breaks)


def _cap(fairness: int | None, k: int | None) -> int | None:
    """The most breaks one participant can have in a schedule with fewer breaks in all
    than participants (one has none, so d caps the rest) and at most k in all."""
    caps = [c for c in (fairness, k) if c is not None]
    return min(caps) if caps else None


def _model(problem: Problem, fairness: int | None, cap: int | None = None):
    """(the model, its meeting-slot Booleans, the total breaks); `cap`: the most breaks
    any one participant may have."""
    model = cp_model.CpModel()
    T = problem.slots
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    for m in range(len(problem.meetings)):
        allowed = problem.allowed_slots(m)
        for t in allowed:
            x[m, t] = model.new_bool_var(f"x{m}_{t}")
        model.add_exactly_one(x[m, t] for t in allowed)
    for t in range(1, T + 1):
        here = [x[m, t] for m in range(len(problem.meetings)) if (m, t) in x]
        if len(here) > problem.tables:
            model.add(sum(here) <= problem.tables)
    slot_of = {
        m: sum(t * x[m, t] for t in problem.allowed_slots(m)) for m in range(len(problem.meetings))
    }
    for m, before in problem.precedences.items():
        for k in before:
            model.add(slot_of[k] + 1 <= slot_of[m])
    breaks = []
    for _p, meetings in problem.meetings_of().items():
        if not meetings:
            continue
        busy = []
        for t in range(1, T + 1):
            here = [x[m, t] for m in meetings if (m, t) in x]
            if not here:
                busy.append(None)
                continue
            u = model.new_bool_var("")
            model.add(sum(here) == u)
            busy.append(u)
        model.add(sum(u for u in busy if u is not None) == len(meetings))  # implied
        # each break is at least one idle slot, so at most T − meetings of them
        most = max(0, min(T - len(meetings), len(meetings) - 1, T if cap is None else cap))
        count = model.new_int_var(0, most, "")
        _count_breaks(model, busy, count, len(meetings), most, exact=cap is not None)
        breaks.append(count)
    total = sum(breaks)
    if fairness is not None and breaks:
        low, high = model.new_int_var(0, T, "low"), model.new_int_var(0, T, "high")
        for b in breaks:
            model.add(low <= b)
            model.add(b <= high)
        model.add(high - low <= fairness)
    return model, x, total


class _Watch(cp_model.CpSolverSolutionCallback):
    """Stops the search when asked (`stop()`), or at the first schedule found after
    `enough` seconds."""

    def __init__(self, stop, enough: float | None):
        super().__init__()
        self.stop, self.enough, self.started = stop, enough, time.perf_counter()

    def on_solution_callback(self):
        if (self.stop and self.stop()) or (
            self.enough is not None and time.perf_counter() - self.started >= self.enough
        ):
            self.StopSearch()


def _run(model, seconds: float, workers: int | None, stop, enough=None, race=None):
    """(the solver, its status) after at most `seconds`, or sooner when `stop()` or
    when `race` (a SAT question asked beside) has its answer.

    Beside a race, CP-SAT's threads run at a lower priority (nice 10): CaDiCaL has one
    thread, CP-SAT eight, and at equal priority the kernel gave CaDiCaL a ninth of the
    machine, not the core it needs."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, seconds)
    solver.parameters.num_workers = workers or max(8, os.cpu_count() or 1)
    done = threading.Event()
    status: list[int] = []

    def interrupt() -> None:  # also while proving, when no solution calls back
        while not done.wait(0.05):
            if (stop and stop()) or (race and race.answer()):
                solver.stop_search()
                return

    def search() -> None:
        try:
            if race is not None:  # the threads CP-SAT starts from here inherit it
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
            status.append(solver.solve(model, _Watch(stop, enough)))
        except BaseException as exc:  # raised in the caller's thread below
            status.append(exc)

    watcher = threading.Thread(target=interrupt, daemon=True)
    watcher.start()
    try:
        if race is None:
            search()
        else:
            searcher = threading.Thread(target=search)
            searcher.start()
            searcher.join()
    finally:
        done.set()
        watcher.join()
    if isinstance(status[0], BaseException):
        raise status[0]
    return solver, status[0]


def solve(
    problem: Problem,
    fairness: int | None = 2,
    time_limit: float = 60.0,
    workers: int | None = None,
    report: Callable[[int, int], None] | None = None,
    stop: Callable[[], bool] | None = None,
) -> Schedule:
    """The best schedule found within `time_limit` seconds; `report(value, bound)` at
    each better value or bound, `stop()` asked along the way to end early with the
    best schedule so far.

    The optima are small (0 to 6 breaks on the benchmark's originals) and the
    relaxation gives the bound well but guides the search to good schedules poorly.
    So: a short optimisation for a first schedule and a bound, then schedules asked
    for with at most k breaks, k from the bound upwards: "none with k" raises the
    bound, one found with k = the bound is optimal; while "at most k" is undecided,
    slices of improving the best schedule alternate with it (a user stopping the
    solve wants a good schedule, not only a proof).

    Each step caps every participant's breaks (`_cap`): with fewer breaks in all than
    participants, one of them has none, so the fairness bound d caps everyone at d, and
    at most k in all caps everyone at k. The capped problem has the same optimum
    whenever a schedule with fewer breaks than participants exists, and its automata
    are far smaller: "at most 0" on ticf-14crafa is decided in 20 s instead of not in
    60, "at most 1" on forum-14 refuted in 1 s (docs/scheduling.md)."""
    started = time.perf_counter()
    reasons = obvious_conflicts(problem)
    if reasons:
        return Schedule(
            "infeasible", None, None, time.perf_counter() - started, reasons=tuple(reasons)
        )
    active = sum(1 for meetings in problem.meetings_of().values() if meetings)

    def left() -> float:
        return time_limit - (time.perf_counter() - started)

    def capped(k: int | None):
        return _model(problem, fairness, _cap(fairness, k))

    # A first schedule and the relaxation's bound, on the plain model (the cap slows
    # the first schedule down: forum-14's came after 11 s instead of 5): the search
    # stops at the first schedule found after a second (without one, nothing else
    # can be done: it searches until the time is up).
    # A greedy guess first: the solver's hint, and the first schedule when it keeps
    # every rule (an event of 112 participants and 230 meetings: at once, where the
    # solver's first took 15 s without the hint, 6 s with it).
    guess = _greedy(problem)
    guessed = _breaks_if_valid(problem, guess, fairness)
    if guessed is not None and report:
        report(guessed, 0)
    model, x, total = _model(problem, fairness)
    model.minimize(total)
    for (m, t), var in x.items():
        if guess[m] is not None:
            model.add_hint(var, guess[m] == t)
    first, status = _run(model, time_limit, workers, stop, enough=1.0)
    if status == cp_model.INFEASIBLE:
        return Schedule("infeasible", None, None, time.perf_counter() - started)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        best = {key: first.boolean_value(var) for key, var in x.items()}
        value, bound = int(first.objective_value), max(0, int(first.best_objective_bound))
    elif guessed is not None:
        best = {(m, t): guess[m] == t for (m, t) in x}
        value, bound = guessed, 0
    else:
        return Schedule("unknown", None, None, time.perf_counter() - started)
    if value >= active and fairness is not None:
        capped = lambda k: _model(problem, fairness)  # noqa: E731  the cap may not hold
    if report:
        report(value, bound)
    # Then slices in turn: "at most `bound`?" (refuted: the bound rises; found: optimal),
    # asked of CP-SAT and, with the caps, of CaDiCaL beside it (`sat.Question`, a pure
    # CNF that decides what CP-SAT leaves open: forum-14's "at most 2" in 9 s); when
    # undecided, improving the best schedule from where it is (a hint) while CaDiCaL
    # goes on with its question.
    piece = asking = max(5.0, time_limit / 6)
    race: Question | None = None
    sat_works = True
    try:
        while bound < value and left() > 0.5 and not (stop and stop()):
            if race is None or race.k != bound:
                if race is not None:
                    race.close()
                race = Question(problem, _cap(fairness, bound), bound, left()) if (
                    sat_works and (fairness is None or bound < active)) else None  # fmt: skip
            model, x, total = capped(bound)
            model.add(total <= bound)
            attempt, status = _run(model, min(asking, left()), workers, stop, race=race)
            answer = race.answer() if race is not None else None
            if answer == ("failed",):  # CaDiCaL died (out of memory): CP-SAT alone from here
                race.close()
                race, answer, sat_works = None, None, False
            if answer is not None and answer[0] == "found":
                best = {(m, t): answer[1][m] == t for (m, t) in x}
                value = bound
            elif status == cp_model.INFEASIBLE or (answer is not None and answer[0] == "none"):
                bound += 1
            elif status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                best = {key: attempt.boolean_value(var) for key, var in x.items()}
                value = bound  # at most `bound` breaks, and no fewer exist
            elif left() > 0.5 and not (stop and stop()):
                asking *= 2  # some answers take long (tic-14crafc's "0": 40 s): ask longer
                model, x, total = capped(None)
                model.add(total >= bound)
                for key, var in x.items():
                    model.add_hint(var, best[key])
                model.minimize(total)
                last, status = _run(model, min(piece, left()), workers, stop, race=race)
                if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                    if last.objective_value < value:
                        best = {key: last.boolean_value(var) for key, var in x.items()}
                        value = int(last.objective_value)
                    bound = max(bound, int(last.best_objective_bound))
            if report:
                report(value, bound)
    finally:
        if race is not None:
            race.close()
    slots: list[int | None] = [None] * len(problem.meetings)
    for (m, t), chosen in best.items():
        if chosen:
            slots[m] = t
    tables: list[int | None] = [None] * len(problem.meetings)
    used: dict[int, int] = {}
    for m, t in enumerate(slots):
        used[t] = used.get(t, 0) + 1
        tables[m] = used[t]
    status = "optimal" if bound >= value else "feasible"
    return Schedule(status, value, bound, time.perf_counter() - started, slots, tables)


def _weights(problem: Problem) -> list[int]:
    """Each meeting's weight when not all fit: one meeting of a priority outweighs all
    those of lower priorities together (priorities first, then the most meetings)."""
    base = len(problem.meetings) + 1
    return [base ** (problem.priorities.get(m, 3) - 1) for m in range(len(problem.meetings))]


def placeable(problem: Problem, time_limit: float = 20.0, workers: int | None = None, stop=None):
    """The meetings to keep when not all fit: the most by priority (`_weights`) that fit
    the slots, availability, tables and precedences together, breaks aside. Returns
    their numbers (None when not even that was decided in time)."""
    model = cp_model.CpModel()
    n = len(problem.meetings)
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    placed = [model.new_bool_var(f"p{m}") for m in range(n)]
    for m in range(n):
        allowed = problem.allowed_slots(m)
        for t in allowed:
            x[m, t] = model.new_bool_var("")
        model.add(sum(x[m, t] for t in allowed) == placed[m])
    for t in range(1, problem.slots + 1):
        here = [x[m, t] for m in range(n) if (m, t) in x]
        if len(here) > problem.tables:
            model.add(sum(here) <= problem.tables)
    for meetings in problem.meetings_of().values():
        for t in range(1, problem.slots + 1):
            here = [x[m, t] for m in meetings if (m, t) in x]
            if len(here) > 1:
                model.add_at_most_one(here)
    slot_of = {m: sum(t * x[m, t] for t in problem.allowed_slots(m)) for m in range(n)}
    for m, before in problem.precedences.items():
        for k in before:
            model.add(slot_of[k] + 1 <= slot_of[m]).only_enforce_if(placed[m], placed[k])
    model.maximize(sum(w * p for w, p in zip(_weights(problem), placed, strict=True)))
    solver, status = _run(model, time_limit, workers, stop)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return [m for m in range(n) if solver.boolean_value(placed[m])]


def why_not_placed(problem: Problem, m: int) -> Reason:
    """Why meeting `m` was left out, in the terms of the problem (participants and slots
    by number): what a simple count shows, else the competition for the slots."""
    a, b, _session = problem.meetings[m]
    if not problem.allowed_slots(m):
        return _reason(NO_SLOT_FOR, a=a, b=b)
    for p in (a, b):
        meetings = problem.meetings_of()[p]
        free = set().union(*(problem.allowed_slots(k) for k in meetings))
        if len(meetings) > len(free):
            return _reason(TOO_MANY, participant=p, meetings=len(meetings), slots=len(free))
    return _reason(NO_SLOT_LEFT)


def solve_most(
    problem: Problem,
    fairness: int | None = 2,
    time_limit: float = 60.0,
    workers: int | None = None,
    report: Callable[[int, int], None] | None = None,
    stop: Callable[[], bool] | None = None,
) -> tuple[Schedule, dict[int, Reason]]:
    """`solve`, and when not every meeting fits, the schedule of the most that do
    (priorities first, `placeable`), with the reason each other one was left out:
    (the schedule, {meeting: reason}). The fairness bound is dropped when even the
    meetings that fit cannot meet it, and the schedule's reason says so."""
    started = time.perf_counter()
    if not problem.meetings:
        return Schedule("optimal", 0, 0, 0.0), {}
    schedule = solve(problem, fairness, time_limit, workers, report, stop)
    if schedule.status != "infeasible" or (stop and stop()):
        return schedule, {}
    # Infeasibility shows early (a count, or the first search): what is left, and at
    # least a few seconds, goes to the most meetings that fit.
    left = max(10.0, time_limit - (time.perf_counter() - started))
    kept = placeable(problem, left / 3, workers, stop)
    if kept is None:
        return schedule, {}
    n = len(problem.meetings)
    left_out = {m: why_not_placed(problem, m) for m in range(n) if m not in set(kept)}
    number = {m: i for i, m in enumerate(kept)}
    sub = Problem(
        problem.participants, problem.slots, problem.morning_slots, problem.tables,
        [problem.meetings[m] for m in kept], problem.forbidden,
        {number[m]: t for m, t in problem.fixed.items() if m in number},
        {number[m]: frozenset(number[k] for k in before if k in number)
         for m, before in problem.precedences.items() if m in number},
    )  # fmt: skip
    part = solve(sub, fairness, left / 3, workers, report, stop)
    relaxed: tuple[Reason, ...] = ()
    if part.status == "infeasible" and fairness is not None:
        part = solve(sub, None, left / 3, workers, report, stop)
        relaxed = (_reason(NOT_FAIR, d=fairness),)
    if part.total_breaks is None:
        return schedule, {}
    slots: list[int | None] = [None] * n
    tables: list[int | None] = [None] * n
    for m, i in number.items():
        slots[m], tables[m] = part.slots[i], part.tables[i]
    status = "feasible" if part.status in ("optimal", "feasible") else part.status
    merged = Schedule(
        status, part.total_breaks, part.lower_bound, time.perf_counter() - started,
        slots, tables, reasons=(*schedule.reasons, *relaxed),
    )  # fmt: skip
    return merged, left_out
