"""The B2B meeting scheduling problem (Bofill et al., JAIR 2022) and its `.dzn` files.

The files are MiniZinc data of a fixed shape (`../shared/b2b_instances/README.md`):
integer assignments, one 2-D array of meetings, arrays of integers and arrays of
integer sets. The `minizinc` package needs the MiniZinc executable, which Debian
does not carry in a version that reads these models, so this reads that subset itself
(about 100 lines, every error naming its line) rather than shelling out to it.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from clusterhub.core.errors import InputError

MORNING, AFTERNOON, ANY = 1, 2, 3
MAX_SIZE = 5_000_000  # bytes: the largest benchmark file is 40 KB


@dataclass
class Problem:
    """Participants 1..participants, slots 1..slots (1..morning_slots in the morning),
    meetings numbered from 0 in the file's order, each between two participants."""

    participants: int
    slots: int
    morning_slots: int
    tables: int
    meetings: list[tuple[int, int, int]]  # (participant, participant, MORNING|AFTERNOON|ANY)
    forbidden: dict[int, frozenset[int]] = field(default_factory=dict)
    fixed: dict[int, int] = field(default_factory=dict)  # meeting: slot
    precedences: dict[int, frozenset[int]] = field(default_factory=dict)  # meeting: before it
    priorities: dict[int, int] = field(default_factory=dict)  # meeting: 1..5, events only

    def meetings_of(self) -> dict[int, list[int]]:
        found: dict[int, list[int]] = {p: [] for p in range(1, self.participants + 1)}
        for m, (a, b, _session) in enumerate(self.meetings):
            found[a].append(m)
            found[b].append(m)
        return found

    def allowed_slots(self, m: int) -> list[int]:
        """The slots meeting `m` may take: its session, neither side's forbidden slots,
        its fixed slot if it has one."""
        a, b, session = self.meetings[m]
        if m in self.fixed:
            candidates = [self.fixed[m]]
        elif session == MORNING:
            candidates = range(1, self.morning_slots + 1)
        elif session == AFTERNOON:
            candidates = range(self.morning_slots + 1, self.slots + 1)
        else:
            candidates = range(1, self.slots + 1)
        banned = self.forbidden.get(a, frozenset()) | self.forbidden.get(b, frozenset())
        return [t for t in candidates if t not in banned]


_ASSIGNMENT = re.compile(r"\s*([A-Za-z_]\w*)\s*=\s*(.*?)\s*;", re.S)


def _line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _int(token: str, line: int, name: str) -> int:
    try:
        return int(token.strip())
    except ValueError:
        raise InputError(f"{name}: {token.strip()!r} is not an integer", line) from None


def _set(token: str, line: int, name: str) -> frozenset[int]:
    token = token.strip()
    if not (token.startswith("{") and token.endswith("}")):
        raise InputError(f"{name}: {token!r} is not a set {{…}}", line)
    inner = token[1:-1].strip()
    return frozenset(_int(t, line, name) for t in inner.split(",")) if inner else frozenset()


def _list(body: str, line: int, name: str, of_sets: bool) -> list:
    body = body.strip()
    if not (body.startswith("[") and body.endswith("]")):
        raise InputError(f"{name}: expected an array [...]", line)
    inner = body[1:-1]
    if of_sets:
        items = re.findall(r"\{[^{}]*\}", inner)
        if re.sub(r"\{[^{}]*\}|[\s,]", "", inner):
            raise InputError(f"{name}: expected sets of integers", line)
        return [_set(i, line, name) for i in items]
    return [_int(t, line, name) for t in inner.split(",") if t.strip()]


def parse_dzn(text: str) -> Problem:
    """A Problem from the text of a `.dzn` file; InputError naming the line otherwise."""
    values, lines = {}, {}
    position = 0
    for found in _ASSIGNMENT.finditer(text):
        gap = text[position : found.start()]
        if re.sub(r"%[^\n]*", "", gap).strip():
            raise InputError(f"unexpected text {gap.strip()[:40]!r}", _line_of(text, position))
        lines[found.group(1)] = _line_of(text, found.start(1))
        if re.search(r"^\s*[A-Za-z_]\w*\s*=", found.group(2), re.M):
            raise InputError(
                f"{found.group(1)}: a ';' is missing at its end", lines[found.group(1)]
            )
        values[found.group(1)] = found.group(2)
        position = found.end()
    if re.sub(r"%[^\n]*", "", text[position:]).strip():
        raise InputError(
            "text after the last assignment (a missing ';'?)", _line_of(text, position)
        )
    for name in ("nBusiness", "nMeetings", "nTables", "nTotalSlots", "nMorningSlots", "requested"):
        if name not in values:
            raise InputError(f"{name} is missing", None)
    n = {
        k: _int(values[k], lines[k], k)
        for k in ("nBusiness", "nMeetings", "nTables", "nTotalSlots", "nMorningSlots")
    }
    if not (
        0 < n["nBusiness"] <= 10_000
        and 0 <= n["nMeetings"] <= 100_000
        and 0 < n["nTotalSlots"] <= 1_000
    ):
        raise InputError("sizes out of range (participants, meetings or slots)", lines["nBusiness"])
    if not (0 <= n["nMorningSlots"] <= n["nTotalSlots"] and n["nTables"] > 0):
        raise InputError("nMorningSlots or nTables out of range", lines["nMorningSlots"])
    rows = re.findall(r"\|([^|]*)", values["requested"].strip().removeprefix("[").removesuffix("]"))
    meetings = []
    for row in rows:
        cells = [c for c in row.split(",") if c.strip()]
        if not cells:
            continue
        if len(cells) != 3:
            raise InputError(
                f"requested: row {len(meetings) + 1} has {len(cells)} values, not 3",
                lines["requested"] + len(meetings),
            )
        a, b, session = (_int(c, lines["requested"] + len(meetings), "requested") for c in cells)
        for p in (a, b):
            if not 1 <= p <= n["nBusiness"]:
                raise InputError(
                    f"requested: meeting {len(meetings) + 1} names participant {p}, not in 1..{n['nBusiness']}",
                    lines["requested"] + len(meetings),
                )
        if a == b or session not in (MORNING, AFTERNOON, ANY):
            raise InputError(
                f"requested: meeting {len(meetings) + 1} is not two participants and a session 1-3",
                lines["requested"] + len(meetings),
            )
        meetings.append((a, b, session))
    if len(meetings) != n["nMeetings"]:
        raise InputError(
            f"requested has {len(meetings)} meetings, nMeetings says {n['nMeetings']}",
            lines["requested"],
        )
    problem = Problem(n["nBusiness"], n["nTotalSlots"], n["nMorningSlots"], n["nTables"], meetings)
    if "forbidden" in values:
        sets = _list(values["forbidden"], lines["forbidden"], "forbidden", True)
        if len(sets) != n["nBusiness"]:
            raise InputError(
                f"forbidden has {len(sets)} sets, one per participant wanted", lines["forbidden"]
            )
        problem.forbidden = {
            p + 1: frozenset(t for t in s if t) for p, s in enumerate(sets) if s - {0}
        }
    if "fixed" in values:
        slots = _list(values["fixed"], lines["fixed"], "fixed", False)
        if len(slots) != len(meetings) or any(not 0 <= t <= n["nTotalSlots"] for t in slots):
            raise InputError("fixed: one slot (0: free) per meeting wanted", lines["fixed"])
        problem.fixed = {m: t for m, t in enumerate(slots) if t}
    if "precedences" in values:
        sets = _list(values["precedences"], lines["precedences"], "precedences", True)
        if len(sets) != len(meetings) or any(not 1 <= x <= len(meetings) for s in sets for x in s):
            raise InputError(
                "precedences: one set of meetings (1..nMeetings) per meeting wanted",
                lines["precedences"],
            )
        problem.precedences = {m: frozenset(x - 1 for x in s) for m, s in enumerate(sets) if s}
    return problem


def read_dzn(path: Path) -> Problem:
    path = Path(path)
    try:
        if path.stat().st_size > MAX_SIZE:
            raise InputError(f"larger than {MAX_SIZE // 1_000_000} MB")
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text") from None
    return parse_dzn(text)
