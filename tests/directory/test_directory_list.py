import pytest

from clusterhub.ingest.demo import synthetic_profiles
from clusterhub.profiles.document import save_documents

pytestmark = pytest.mark.django_db


def test_lists_name_country_and_sectors(client, seed_org):
    body = client.get("/clusters/").content.decode()
    assert 'href="/clusters/cluster-do-audiovisual-galego/"' in body
    assert (
        "Spain · Communications Equipment and Services, Video Production and Distribution" in body
    )


def test_paginates_with_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    save_documents(synthetic_profiles(120, seed=4))
    with django_assert_max_num_queries(4):
        first = client.get("/clusters/").content.decode()
    assert "120 organisations." in first and "Page 1 of 3" in first
    last = client.get("/clusters/?page=3").content.decode()
    assert last.count('<li>\n    <h2><a href="/clusters/') == 20
    assert client.get("/clusters/?page=99").status_code == 200  # clamps to the last page


def test_home_redirects_to_the_directory(client, db):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/clusters/"
