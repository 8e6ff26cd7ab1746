from pathlib import Path

import pytest

from clusterhub.ingest.demo import SEED_PAGE
from clusterhub.ingest.eccp import parse_file
from tests.documents import save_document

PAGES = Path(__file__).parent / "ingest" / "pages"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """SQLite tests on a file, as SQLite runs in production: an in-memory database shared
    between threads answers "table is locked" at once where a file makes writers wait for
    the lock (the parallel-write tests have clients in threads)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(
            tmp_path_factory.mktemp("db") / "test.sqlite3"
        )


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real hashing is slow by design; tests only need passwords to check.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english_to_begin_with():
    """Each test starts in the site's language: a request to /es/… leaves Spanish active
    in the thread (Django's locale middleware does not switch back), and a service called
    after it would answer in Spanish."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    """A cache of the test's own: rate limits counted by one test do not carry over."""
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def tasks_run_at_once(monkeypatch):
    """Background jobs run where they are queued (django-q's sync mode), so a test sees
    their effects; test_worker.py runs a real worker."""
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", True)


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


# The people around one draft profile (owner, co-owner, stranger, moderator…), for every app.
from tests.accounts.conftest import draft_doc, people, published  # noqa: E402, F401


@pytest.fixture
def call_input():
    from clusterhub.calls.services import CallIn

    return CallIn(
        identifier="HORIZON-CL5-2027-D3-01", programme="Horizon Europe",
        title="Offshore renewable energy demonstrators",
        summary="Demonstrate floating wind at scale with supply chain partners.",
        link="https://ec.europa.eu/info/funding-tenders/opportunities/HORIZON-CL5-2027-D3-01",
        kind="eu", opens_on="2026-09-01", closes_on="2027-03-15",
        eligible_countries=["ES", "Portugal"], sectoral_industries=["Electric Power Generation and Transmission"],
        budget_eur=25_000_000,
    )  # fmt: skip


@pytest.fixture
def news_input():
    from clusterhub.news.services import NewsIn

    return NewsIn(
        kind="event", title="Offshore wind days in Esbjerg", text="Two days of site visits.",
        date="2027-05-12", link="https://wind.example/days",
    )  # fmt: skip
