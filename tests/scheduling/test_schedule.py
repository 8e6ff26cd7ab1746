"""The scheduler: reading .dzn files (errors name the line), schedules that keep every
rule, the fewest breaks, fairness, and the command line's JSON."""

import json

import pytest
from django.core.management import call_command

from bench.schedule import check
from clusterhub.core.errors import InputError
from clusterhub.scheduling.problem import parse_dzn
from clusterhub.scheduling.solver import solve

SMALL = """% four participants in a row: 1 meets 2, 2 meets 3, 3 meets 4
nBusiness = 4;
nMeetings = 3;
nTables = 1;
nTotalSlots = 4;
nMorningSlots = 2;
requested = [|1, 2, 3,
|2, 3, 3,
|3, 4, 3,
|];
forbidden = [{0}, {0, 2}, {0}, {0}];
"""


def test_a_small_event_gets_a_schedule_without_breaks():
    problem = parse_dzn(SMALL)
    schedule = solve(problem, fairness=2, time_limit=10)
    assert (schedule.status, schedule.total_breaks, schedule.lower_bound) == ("optimal", 0, 0)
    assert check(problem, schedule.as_json(), 2) == (0, [])
    assert 2 not in schedule.slots[:2]  # participant 2 cannot meet in slot 2
    assert sorted(schedule.tables) == [1, 1, 1]  # one table: one meeting a slot


def test_breaks_are_counted_and_minimised():
    # Participant 1 meets 2 in the morning and 3 in the afternoon, and cannot meet in
    # slots 2 and 3: a break is unavoidable.
    text = SMALL.replace(
        "forbidden = [{0}, {0, 2}, {0}, {0}];", "forbidden = [{2, 3}, {0}, {0}, {0}];"
    )
    text = text.replace("|1, 2, 3,\n|2, 3, 3,", "|1, 2, 1,\n|1, 3, 2,")
    problem = parse_dzn(text)
    schedule = solve(problem, fairness=2, time_limit=10)
    assert (schedule.status, schedule.total_breaks) == ("optimal", 1)
    assert check(problem, schedule.as_json(), 2) == (1, [])
    assert solve(problem, fairness=0, time_limit=10).status == "infeasible"  # 1 and 0 breaks


def test_an_impossible_event_says_why():
    text = SMALL.replace(
        "forbidden = [{0}, {0, 2}, {0}, {0}];", "forbidden = [{0}, {1, 2, 3}, {0}, {0}];"
    )
    schedule = solve(parse_dzn(text), time_limit=5)
    assert schedule.status == "infeasible"
    assert "participant 2 has 2 meetings and 1 slots" in schedule.reason


@pytest.mark.parametrize(
    ("change", "line", "words"),
    [
        (("nMeetings = 3;", "nMeetings = 4;"), 7, "requested has 3 meetings, nMeetings says 4"),
        (("|3, 4, 3,", "|3, 9, 3,"), 9, "names participant 9"),
        (("nTables = 1;", "nTables = one;"), 4, "nTables: 'one' is not an integer"),
        (("nTotalSlots = 4;", "nTotalSlots = 4"), 5, "nTotalSlots: a ';' is missing at its end"),
        (
            ("forbidden = [{0}, {0, 2}, {0}, {0}];", "forbidden = [{0}, {0, 2}];"),
            11,
            "one per participant",
        ),
    ],
)
def test_bad_files_name_the_line(change, line, words):
    with pytest.raises(InputError) as caught:
        parse_dzn(SMALL.replace(*change))
    assert words in str(caught.value.message) and caught.value.line == line


def test_the_command_prints_the_json_any_program_can_check(tmp_path, capsys):
    path = tmp_path / "small.dzn"
    path.write_text(SMALL)
    call_command("schedule", str(path), json=True, time_limit=10)
    result = json.loads(capsys.readouterr().out)
    assert result["status"] == "optimal" and result["total_breaks"] == 0
    assert [m["meeting"] for m in result["meetings"]] == [1, 2, 3]
    assert {m["slot"] for m in result["meetings"]} <= {1, 2, 3, 4}
    bad = tmp_path / "bad.dzn"
    bad.write_text(SMALL.replace("|3, 4, 3,", "|3, 9, 3,"))
    with pytest.raises(SystemExit) as exit:
        call_command("schedule", str(bad))
    assert exit.value.code == 2
    assert capsys.readouterr().err.startswith(f"clusterhub schedule: {bad}:9: requested: meeting 3")
