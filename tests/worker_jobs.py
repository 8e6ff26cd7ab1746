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
