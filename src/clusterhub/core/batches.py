"""Long lists of values taken a slice at a time."""

from collections.abc import Iterator, Sequence

# Values per `IN (…)`: well within the parameters one statement may have (SQLite 32,766,
# PostgreSQL 65,535).
IN_LIST = 1000


def batches(values: Sequence, size: int = IN_LIST) -> Iterator[Sequence]:
    """`values` in consecutive slices of at most `size`."""
    for start in range(0, len(values), size):
        yield values[start : start + size]
