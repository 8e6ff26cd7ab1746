"""Jobs the worker test queues (imported by the worker from the tests package)."""

import time
from pathlib import Path


def _attempt(path: str) -> int:
    marker = Path(path)
    attempts = int(marker.read_text() or 0) + 1 if marker.exists() else 1
    marker.write_text(str(attempts))
    return attempts


def long_first_time(path: str) -> None:
    """Its first run never ends (its worker is killed meanwhile); the next one does."""
    if _attempt(path) == 1:
        time.sleep(600)
    Path(path + ".done").write_text("done")


def fails_first_time(path: str) -> None:
    """Its first run fails, as a mail does when the SMTP server is down."""
    if _attempt(path) == 1:
        raise ConnectionRefusedError("the SMTP server is down")
    Path(path + ".done").write_text("done")


def asks_the_sat_solver(path: str) -> None:
    """What a schedule job does beside CP-SAT: a question to CaDiCaL in a child process
    (a daemonic worker may not start one)."""
    from clusterhub.scheduling.problem import ANY, Problem
    from clusterhub.scheduling.sat import Question

    chain = Problem(4, 3, 2, 1, [(1, 2, ANY), (2, 3, ANY), (3, 4, ANY)])
    question = Question(chain, 0, 0, seconds=30)
    try:
        answer = question.wait(30)
    finally:
        question.close()
    Path(path + ".done").write_text(answer[0])
