"""Pieces of the ECCP parser on their own: what the page-level tests pass through
without pinning (each found by a mutant that survived them; docs/mutation.md)."""

import pytest

from clusterhub.core.errors import InputError
from clusterhub.ingest.eccp import (
    Field,  # fmt: skip
    Line,
    _similar,
    html_lines,
    parse_page,
    parse_service_details,
    parse_team,
    single,
)
from tests.conftest import PAGES


def field(*texts: str) -> Field:
    return Field("service_details", Line(1, "Service details"), [
        Line(n, text) for n, text in enumerate(texts, start=2)])  # fmt: skip


def test_a_label_cut_short_to_five_letters_still_matches_its_service():
    assert _similar("Train", "Training and coaching") == 0.9
    assert _similar("Trai", "Training and coaching") < 0.9  # four letters are too few


def test_labels_that_differ_score_by_their_edit_ratio():
    assert _similar("abcdef", "abcxyz") == 0.5


def test_details_without_a_label_go_to_the_first_service_still_without_details():
    services = [{"service": s, "details": None} for s in ("Matchmaking", "Training")]
    parse_service_details(services, field("• We organise partner meetings at fairs."))
    assert services[0]["details"] == "We organise partner meetings at fairs."
    assert services[1]["details"] is None


def test_list_items_in_a_table_cell_stay_apart():
    html = "<table><tr><td><ul><li>Energy</li><li>Water</li></ul></td><td>x</td></tr></table>"
    (row,) = [line for line in html_lines(html) if line.cells]
    assert row.cells[0].split() == ["Energy", "Water"]


def test_a_value_written_over_several_lines_is_one_value():
    mission = Field("mission", Line(1, "Mission"), [Line(2, "Cluster of"), Line(3, "the north.")])
    assert single(mission) == ("Cluster of the north.", mission.values[0])


def test_a_team_member_ends_with_their_email_even_without_a_position():
    team = Field("management_team", Line(1, "Management team"), [
        Line(n, text) for n, text in enumerate(
            ["Ida", "Holm", "ida@wind.example", "Jan", "Kowalski", "Manager"], start=2)])  # fmt: skip
    assert [(m["first_name"], m["last_name"], m["position"], m["email"]) for m in parse_team(team)] == [
        ("Ida", "Holm", None, "ida@wind.example"), ("Jan", "Kowalski", "Manager", None)]  # fmt: skip


PAGE = (PAGES / "no-country.txt").read_text(encoding="utf-8")


def test_text_the_parser_does_not_know_is_refused_naming_its_line():
    lines = PAGE.splitlines()
    at = lines.index("Sectoral and Industrial Focus") + 1
    lines.insert(at, "A stray sentence nobody labelled")
    with pytest.raises(InputError, match="unrecognised text under") as refused:
        parse_page("\n".join(lines).encode())
    assert refused.value.line == at + 1


def test_the_printer_link_above_a_saved_page_is_not_its_name():
    doc = parse_page(("Printer-friendly version\n" + PAGE).encode())
    assert doc.name == "Somewhere Cluster"
