"""Writes that race: many clients at once, on SQLite and PostgreSQL alike. Twenty
parallel registrations of one slug used to answer 500s (check, then insert), and
parallel claims by one user made two pending claims."""

import threading

import pytest
from django.db import connections
from django.test import Client

from clusterhub.accounts.models import ApiToken, OwnershipClaim
from clusterhub.profiles.models import ClusterOrganisation
from tests.documents import save_document

from .conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def in_parallel(count: int, request) -> list:
    """`request(i)` from `count` threads released together; their results in order."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(i):
        try:
            barrier.wait()
            results[i] = request(i)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results


def test_twenty_parallel_registrations_of_one_slug_make_one_profile(db):
    keys = [ApiToken.issue(make_user(f"writer{i}"), "t")[1] for i in range(20)]
    body = {"name": "Race Cluster", "slug": "race-cluster"}

    def post(i):
        client = Client(HTTP_AUTHORIZATION=f"Bearer {keys[i]}")
        return client.post("/api/clusters", body, content_type="application/json").status_code

    statuses = in_parallel(20, post)
    assert sorted(statuses) == [201] + [409] * 19
    assert ClusterOrganisation.objects.filter(slug="race-cluster").count() == 1


def test_parallel_claims_by_one_user_leave_one_pending(seed_doc):
    org = save_document(seed_doc)
    user = make_user("claimant")

    def claim(i):
        client = Client()
        client.force_login(user)
        return client.post(
            f"/accounts/profiles/{org.slug}/claim/", {"message": "I run it."}
        ).status_code

    assert set(in_parallel(10, claim)) <= {200, 302}
    assert OwnershipClaim.objects.filter(organisation=org, user=user, state="pending").count() == 1


def test_parallel_sign_ups_of_one_address_make_one_account_and_no_error(mailoutbox):
    from django.contrib.auth import get_user_model

    form = {"email": "Race@Example.org", "password1": "a long passphrase 42", "password2": "a long passphrase 42"}  # fmt: skip

    def sign_up(i):
        return Client().post("/accounts/signup/", form).status_code

    assert in_parallel(10, sign_up) == [200] * 10
    assert get_user_model().objects.filter(email="race@example.org").count() == 1
    # The one account is confirmed by link; the others' mails say it exists, in the same words.
    assert len(mailoutbox) == 10


def test_parallel_writes_are_logged_in_commit_order_and_all_reach_the_index(seed_doc):
    from clusterhub.directory import index as index_module
    from clusterhub.directory.index import get_index
    from clusterhub.directory.models import DirectoryChange
    from clusterhub.directory.query import DirectoryQuery
    from clusterhub.directory.services import search
    from clusterhub.profiles.schema import ProfileDoc

    save_document(seed_doc)
    before = get_index()  # an index from before the writes, to be brought up to date

    def write(i):
        doc = ProfileDoc.model_validate({"name": f"Parallel Cluster {i}", "country": "MT"})
        return save_document(doc).pk

    ids = in_parallel(12, write)
    logged = list(DirectoryChange.objects.order_by("seq").values_list("seq", "organisation_id"))
    seqs = [seq for seq, _ in logged]
    assert seqs == sorted(set(seqs)) == list(range(seqs[0], seqs[0] + len(seqs)))
    assert set(ids) <= {org for _, org in logged}
    updated = get_index()
    assert updated is not before and updated.base_size == before.base_size  # applied, not built
    found = search(DirectoryQuery(q="parallel malta", page_size=50))
    assert found.total == 12
    index_module._cache.clear()
    assert search(DirectoryQuery(q="parallel malta", page_size=50)) == found
