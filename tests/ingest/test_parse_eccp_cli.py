"""`clusterhub parse-eccp FILE`: the document on stdout; bad input is exit 2 and one line."""

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from clusterhub.cli import main
from clusterhub.ingest.demo import SEED_PAGE

SEED = SEED_PAGE.read_bytes()


def run(path, capsys):
    with pytest.raises(SystemExit) as info:
        main(["clusterhub", "parse-eccp", str(path)])
        raise SystemExit(0)
    out, err = capsys.readouterr()
    return info.value.code, out, err


def test_prints_the_document(capsys):
    code, out, err = run(SEED_PAGE, capsys)
    assert (code, err) == (0, "")
    assert json.loads(out)["slug"] == "cluster-do-audiovisual-galego"


def _bad_inputs(tmp: Path) -> dict[str, tuple[Path, str, int | None]]:
    """name → (file, message, line)."""
    cases = {}

    def write(name: str, data: bytes) -> Path:
        path = tmp / name
        path.write_bytes(data)
        return path

    cases["empty"] = (write("empty.txt", b"  \n\n"), "empty file, not a profile page", None)
    cases["not a profile"] = (
        write("prose.txt", b"Dear colleagues,\nThe meeting is moved to Tuesday.\n"),
        "not an ECCP cluster organisation profile page (no profile fields found)",
        None,
    )
    junk = bytes(random.Random(7).sample(range(256), 256)) * 16
    nul = junk.index(b"\x00")
    cases["binary junk"] = (
        write("junk.bin", junk),
        "binary data (NUL byte), not a profile page",
        junk[:nul].count(b"\n") + 1,
    )
    cut = SEED.index(b"Regions:") + len("Regions:\xa0 ".encode())
    line = SEED[: SEED.index(b"Regions:")].count(b"\n") + 1
    cases["truncated at a label"] = (
        write("cut.txt", SEED[:cut]),
        "truncated page: ends at the label 'Regions:'",
        line,
    )
    mid_char = SEED.index(b"Roc") + 4  # inside the two bytes of "í"
    cases["truncated in a character"] = (
        write("cut-utf8.txt", SEED[:mid_char]),
        "truncated page: ends inside a UTF-8 character",
        SEED[:mid_char].count(b"\n") + 1,
    )
    html = b"<!doctype html><html><body><h1>X</h1><div>Regions:</div><div>Galicia</div>"
    cases["truncated html"] = (write("cut.html", html), "truncated page: no closing </html>", 1)
    bad = SEED.replace(b"Galicia\n", b"Gal\xffcia\n", 1)
    offset = bad.index(b"\xff")
    cases["invalid utf-8"] = (
        write("latin1.txt", bad),
        f"invalid UTF-8 (byte 0xff at offset {offset})",
        bad[:offset].count(b"\n") + 1,
    )
    big = tmp / "big.txt"
    with big.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    cases["50 MB"] = (
        big,
        "file too large (52,428,800 bytes; a profile page is at most 5,242,880)",
        None,
    )
    cases["missing"] = (tmp / "nope.txt", "no such file", None)
    cases["directory"] = (tmp, "is a directory, not a file", None)
    return cases


CASES = [
    "empty", "not a profile", "binary junk", "truncated at a label", "truncated in a character",
    "truncated html", "invalid utf-8", "50 MB", "missing", "directory",
]  # fmt: skip


@pytest.mark.parametrize("case", CASES)
def test_bad_input_exits_2_with_one_line(case, tmp_path, capsys):
    path, message, line = _bad_inputs(tmp_path)[case]
    code, out, err = run(path, capsys)
    where = f"{path}:{line}" if line else str(path)
    assert code == 2
    assert out == ""
    assert err == f"clusterhub parse-eccp: {where}: {message}\n"


def test_console_script_never_shows_a_traceback(tmp_path):
    junk = tmp_path / "junk.html"
    junk.write_bytes(b"<html><body>\x00\x01\x02")
    script = Path(sys.executable).with_name("clusterhub")
    result = subprocess.run(
        [script, "parse-eccp", junk], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    ok = subprocess.run(
        [script, "parse-eccp", SEED_PAGE], capture_output=True, text=True, cwd=tmp_path
    )
    assert ok.returncode == 0 and json.loads(ok.stdout)["country"] == "ES"
