from pathlib import Path

import pytest

from clusterhub.ingest.demo import SEED_PAGE
from clusterhub.ingest.eccp import parse_file
from clusterhub.profiles.document import save_document

PAGES = Path(__file__).parent / "ingest" / "pages"


@pytest.fixture(scope="session")
def seed_doc():
    """The canonical document of the seed page (CLAG)."""
    return parse_file(SEED_PAGE)


@pytest.fixture
def seed_org(db, seed_doc):
    return save_document(seed_doc)


@pytest.fixture
def page():
    """Path of a test page under tests/ingest/pages/."""
    return lambda name: PAGES / name
