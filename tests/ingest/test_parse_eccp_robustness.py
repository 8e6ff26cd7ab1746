"""Whatever the bytes, the parser returns a document or raises InputError, never crashes."""

import random

import pytest

from clusterhub.core.errors import InputError
from clusterhub.ingest.demo import SEED_PAGE
from clusterhub.ingest.eccp import parse_page

from ..conftest import PAGES

SAMPLES = [SEED_PAGE.read_bytes(), *(p.read_bytes() for p in sorted(PAGES.iterdir()))]


def parses_or_refuses(data: bytes) -> None:
    try:
        parse_page(data)
    except InputError as exc:
        assert exc.message and "\n" not in exc.message


@pytest.mark.parametrize("sample", range(len(SAMPLES)))
def test_cut_at_every_line(sample):
    lines = SAMPLES[sample].split(b"\n")
    for end in range(len(lines)):
        parses_or_refuses(b"\n".join(lines[:end]))


def test_mutated_pages():
    rng = random.Random(0)
    for _ in range(400):
        lines = rng.choice(SAMPLES).split(b"\n")
        operation = rng.randrange(3)
        if operation == 0:
            rng.shuffle(lines)
        elif operation == 1:
            for _ in range(rng.randint(1, 10)):
                del lines[rng.randrange(len(lines))]
        else:
            for _ in range(5):
                lines[rng.randrange(len(lines))] = rng.choice(lines)
        data = b"\n".join(lines)
        parses_or_refuses(data[: rng.randrange(len(data) + 1)])
