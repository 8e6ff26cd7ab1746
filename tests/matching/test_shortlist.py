"""The shortlist: a partner card's "Save to shortlist" keeps a cluster for its user, once
however many clients ask at once; only clusters the user may see are saved or listed."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from clusterhub.matching.models import ShortlistEntry
from clusterhub.profiles.choices import Status
from clusterhub.profiles.models import ClusterOrganisation
from tests.accounts.test_parallel_writes import in_parallel
from tests.documents import change_status, save_documents

from .test_compare import profile

SCREEN = ["Video Production and Distribution"]


@pytest.fixture
def clusters(db):
    save_documents([
        profile("Rio Screen Cluster", country="BR", sectoral_industries=SCREEN),
        profile("Lisbon Screen Cluster", country="PT", sectoral_industries=SCREEN),
        profile("Porto Screen Cluster", country="PT", sectoral_industries=SCREEN),
    ])  # fmt: skip
    save_documents([profile("Hidden Draft Cluster", country="PT")], status=Status.DRAFT)


def member(name="ana") -> Client:
    client = Client()
    client.force_login(User.objects.create_user(name, f"{name}@example.org", "x-Pass-1234"))
    return client


def test_save_from_a_partner_card_and_find_it_on_the_shortlist(clusters):
    client = member()
    finder = "/clusters/rio-screen-cluster/partners/"
    page = client.get(finder).content.decode()
    assert 'action="/clusters/lisbon-screen-cluster/shortlist/"' in page
    assert "Save to shortlist" in page
    response = client.post(
        "/clusters/lisbon-screen-cluster/shortlist/",
        {"saved_for": "rio-screen-cluster", "next": finder},
    )
    assert response.status_code == 302 and response.url == finder
    page = client.get(finder).content.decode()
    assert 'action="/clusters/lisbon-screen-cluster/shortlist/remove/"' in page
    assert "On your shortlist" in page
    listed = client.get("/clusters/shortlist/").content.decode()
    assert "Lisbon Screen Cluster" in listed and "proposed to" in listed
    assert "Porto Screen Cluster" not in listed
    # Another user's shortlist is their own.
    assert "Lisbon Screen Cluster" not in member("bea").get("/clusters/shortlist/").content.decode()

    client.post("/clusters/lisbon-screen-cluster/shortlist/remove/")
    assert "Lisbon Screen Cluster" not in client.get("/clusters/shortlist/").content.decode()
    assert not ShortlistEntry.objects.exists()


def test_anonymous_readers_are_asked_to_sign_in(client, clusters):
    response = client.post("/clusters/lisbon-screen-cluster/shortlist/")
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert client.get("/clusters/shortlist/").status_code == 302


def test_a_cluster_the_user_may_not_see_is_a_404_and_a_withdrawn_one_leaves_the_list(clusters):
    client = member()
    assert client.post("/clusters/hidden-draft-cluster/shortlist/").status_code == 404
    client.post("/clusters/porto-screen-cluster/shortlist/")
    porto = ClusterOrganisation.objects.get(slug="porto-screen-cluster")
    change_status(porto, Status.ARCHIVED, action="archive")
    listed = client.get("/clusters/shortlist/").content.decode()
    assert "porto-screen-cluster" not in listed.split("</h1>")[1]  # past the saving's message


def test_next_only_leads_back_into_the_site(clusters):
    response = member().post(
        "/clusters/lisbon-screen-cluster/shortlist/", {"next": "https://elsewhere.example/"}
    )
    assert response.url == "/clusters/shortlist/"


@pytest.mark.django_db(transaction=True)
def test_parallel_saves_keep_one_entry(clusters):
    user = User.objects.create_user("cai", "cai@example.org", "x-Pass-1234")

    def save(i):
        client = Client()
        client.force_login(user)
        return client.post("/clusters/lisbon-screen-cluster/shortlist/").status_code

    assert in_parallel(6, save) == [302] * 6
    assert ShortlistEntry.objects.filter(user=user).count() == 1
