""" "Is there a schedule with at most k breaks?" as pure CNF, decided by CaDiCaL
(python-sat) in a separate process, so that it can be stopped at any time (pysat cannot
interrupt CaDiCaL in-process) and runs beside CP-SAT on the other core.

The encoding (docs/scheduling.md): a Boolean per meeting and allowed slot, exactly one
per meeting; at most `tables` a slot and one a participant a slot (sequential counters);
precedences as pairs of excluded slots; `used[p, t]` when participant p meets in slot t,
exactly their number of meetings of them (implied, it propagates); `seen[p, t]` when p
met in slot t or before; a break ends at t when p meets at t, not at t − 1, and met
before. At most `cap` break ends per participant, at most k in all (sequential counters:
pysat's totalizer made forum-13crafb's CNF 1.4 M clauses and the solve slower).

Decided this way, the questions CP-SAT leaves open in a minute take seconds: forum-14
"at most 2" 9 s, forum-13crafc "at most 1" 3 s, tic-14crafc "none" 7 s, and "at most
5" refuted on forum-13crafb in 14 s (its optimum is 6), measured alone on this machine.
"""

import math
import multiprocessing
import signal
import time

from .problem import Problem

SOLVER = "cadical195"  # glucose4 and maplechrono were far slower on tic-14crafc


def encode(problem: Problem, cap: int, k: int):
    """(the CNF, {(meeting, slot): variable}) of "every meeting placed, at most `cap`
    breaks per participant and `k` in all"."""
    from pysat.card import CardEnc, EncType
    from pysat.formula import CNF, IDPool

    pool = IDPool()
    cnf = CNF()
    T = problem.slots

    def at_most(literals: list[int], bound: int) -> None:
        if len(literals) <= bound:
            return
        if bound == 0:
            cnf.extend([[-v] for v in literals])
            return
        found = CardEnc.atmost(literals, bound, vpool=pool, encoding=EncType.seqcounter)
        cnf.extend(found.clauses)

    def exactly(literals: list[int], bound: int) -> None:
        if len(literals) < bound:  # more meetings than slots: no schedule
            never = pool.id(("never",))
            cnf.extend([[never], [-never]])
            return
        found = CardEnc.equals(literals, bound, vpool=pool, encoding=EncType.seqcounter)
        cnf.extend(found.clauses)

    x: dict[tuple[int, int], int] = {}
    for m in range(len(problem.meetings)):
        allowed = problem.allowed_slots(m)
        for t in allowed:
            x[m, t] = pool.id(("x", m, t))
        cnf.append([x[m, t] for t in allowed])
        cnf.extend([-x[m, s], -x[m, t]] for i, s in enumerate(allowed) for t in allowed[i + 1 :])
    for t in range(1, T + 1):
        at_most([x[m, t] for m in range(len(problem.meetings)) if (m, t) in x], problem.tables)
    for m, before in problem.precedences.items():
        for k_ in before:
            for t in problem.allowed_slots(m):
                cnf.extend(
                    [-x[m, t], -x[k_, s]] for s in problem.allowed_slots(k_) if s >= t
                )  # fmt: skip
    ends: list[int] = []
    for p, meetings in problem.meetings_of().items():
        if not meetings:
            continue
        used: list[int | None] = [None]  # slot 0: none
        for t in range(1, T + 1):
            here = [x[m, t] for m in meetings if (m, t) in x]
            if not here:
                used.append(None)
                continue
            u = pool.id(("used", p, t))
            cnf.extend([-v, u] for v in here)
            cnf.append([-u, *here])
            at_most(here, 1)
            used.append(u)
        exactly([u for u in used if u is not None], len(meetings))
        seen: list[int | None] = [None]  # met in this slot or before
        mine: list[int] = []
        for t in range(1, T + 1):
            u, before = used[t], seen[t - 1]
            if u is not None and before is not None:
                e = pool.id(("end", p, t))  # a break ends here
                previous = used[t - 1]
                cnf.append([-e, u])
                cnf.append([-e, before])
                if previous is not None:
                    cnf.append([-e, -previous])
                    cnf.append([e, -u, previous, -before])
                else:
                    cnf.append([e, -u, -before])
                mine.append(e)
            if u is None:
                seen.append(before)
            elif before is None:
                seen.append(u)
            else:
                s = pool.id(("seen", p, t))
                cnf.extend([[-u, s], [-before, s], [-s, u, before]])
                seen.append(s)
        at_most(mine, cap)
        ends.extend(mine)
    at_most(ends, k)
    return cnf, x


def decide(problem: Problem, cap: int, k: int) -> list[int] | None:
    """A slot per meeting with at most `cap` breaks each and `k` in all, or None when
    there is none (decided here, in this process)."""
    from pysat.solvers import Solver

    cnf, x = encode(problem, cap, k)
    with Solver(name=SOLVER, bootstrap_with=cnf.clauses) as solver:
        if not solver.solve():
            return None
        true = {v for v in solver.get_model() if v > 0}
    slots = [0] * len(problem.meetings)
    for (m, t), v in x.items():
        if v in true:
            slots[m] = t
    return slots


def _decide(problem: Problem, cap: int, k: int, seconds: float, answer) -> None:
    # killed by the kernel at the solve's time limit, whatever happens to the parent
    # (CaDiCaL holds the interpreter while it searches: no Python timer could run)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.alarm(max(1, math.ceil(seconds)))
    answer.send(decide(problem, cap, k))


class Question:
    """ "At most `k` breaks in all, `cap` each?" asked of CaDiCaL in a child process
    that lives at most `seconds`; `answer()` is None while undecided, then ("found",
    slots per meeting), ("none",) or ("failed",) when the child ended without one."""

    def __init__(self, problem: Problem, cap: int, k: int, seconds: float):
        self.k = k
        # fork: the child starts at once with the problem in its memory; it only runs
        # pysat and ends with os._exit, leaving the parent's connections alone
        context = multiprocessing.get_context("fork")
        self._answers, sending = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_decide, args=(problem, cap, k, seconds, sending), daemon=True
        )
        self._process.start()
        sending.close()
        self._answer: tuple | None = None

    def answer(self) -> tuple | None:
        if self._answer is None and self._answers.poll():
            try:
                slots = self._answers.recv()
            except EOFError:  # the child died (out of memory, killed)
                self._answer = ("failed",)
            else:
                self._answer = ("none",) if slots is None else ("found", slots)
            self._process.join()
        return self._answer

    def wait(self, seconds: float) -> tuple | None:
        """The answer, waiting at most `seconds` for it."""
        ends = time.perf_counter() + seconds
        while self.answer() is None and time.perf_counter() < ends:
            self._answers.poll(min(0.1, max(0.0, ends - time.perf_counter())))
        return self.answer()

    def close(self) -> None:
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._answers.close()
