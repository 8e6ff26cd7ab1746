from pathlib import Path

import pytest

from clusterhub.ingest.demo import SEED_PAGE
from clusterhub.ingest.eccp import parse_file
from tests.documents import save_document

PAGES = Path(__file__).parent / "ingest" / "pages"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real hashing is slow by design; tests only need passwords to check.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


@pytest.fixture
def member_client(client, django_user_model):
    """A client signed in as an ordinary user (who sees contact details)."""
    user = django_user_model.objects.create_user("member@example.org", "member@example.org")
    client.force_login(user)
    return client
