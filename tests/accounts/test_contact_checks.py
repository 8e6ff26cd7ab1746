"""Web addresses, emails and telephones are checked as they are entered, in the editor
(the error beside the field) and through the API (422 naming the path); what a page was
imported with is not refused until someone changes it."""

import json

from clusterhub.accounts import editor
from clusterhub.profiles.models import ClusterOrganisation
from clusterhub.profiles.schema import ProfileDoc
from clusterhub.profiles.writing import save_profiles
from tests.accounts.test_profile_editor import document, post_data

GENERAL = editor.SECTION_BY_SLUG["general"]


def edit_general(client, people, **changes):
    forms_ = editor.SectionForms(GENERAL, document(people.slug))
    version = ClusterOrganisation.objects.get(slug=people.slug).version
    return client.post(
        f"/accounts/profiles/{people.slug}/edit/general/", post_data(forms_, version, **changes)
    )


def test_values_are_written_one_way(client, people):
    client.force_login(people.users["owner"])
    response = edit_general(
        client, people,
        **{"s-website": "www.wind.example", "management_team-0-telephone": "32 12 34 57",
           "management_team-0-email": " ida.holm@wind.example "},
    )  # fmt: skip
    assert response.status_code == 302
    saved = document(people.slug)
    assert saved["website"] == "https://www.wind.example"
    # A number without its country code is read as one of the profile's country (DK).
    assert saved["management_team"][0]["telephone"] == "+45 32 12 34 57"
    assert saved["management_team"][0]["email"] == "ida.holm@wind.example"


def test_each_wrong_value_is_named_beside_its_field_and_nothing_is_saved(client, people):
    client.force_login(people.users["owner"])
    response = edit_general(
        client, people,
        **{"s-website": "our site", "management_team-0-telephone": "12",
           "management_team-0-email": "ida at wind"},
    )  # fmt: skip
    assert response.status_code == 200
    page = response.content.decode()
    for field, message in [
        ("id_s-website", "“our site” is not a web address"),
        ("id_management_team-0-telephone", "“12” is not a telephone number"),
        ("id_management_team-0-email", "“ida at wind” is not an email address"),
    ]:
        assert message in page
        # The error is tied to its field (components/field.html: <id>_error).
        assert f'id="{field}_error"' in page, field
    assert ClusterOrganisation.objects.get(slug=people.slug).version == 1


def test_the_api_answers_422_with_the_path(client, people):
    doc = document(people.slug)
    doc["management_team"][0]["email"] = "not-an-address"
    response = client.put(
        f"/api/clusters/{people.slug}", json.dumps(doc), content_type="application/json",
        HTTP_IF_MATCH='"1"', **people.auth("owner"),
    )  # fmt: skip
    assert response.status_code == 422
    assert "management_team[0].email" in json.dumps(response.json())
    assert document(people.slug)["management_team"][0]["email"] == "ida@wind.example"


def test_an_imported_value_is_not_refused_until_it_changes(client, people):
    doc = ProfileDoc.model_validate(
        {**document(people.slug), "website": "see our brochure"}
    )  # as a source page might hold it
    save_profiles([doc], action="import")
    client.force_login(people.users["owner"])
    response = edit_general(client, people, **{"s-regions": "Hovedstaden"})
    assert response.status_code == 302
    assert document(people.slug)["website"] == "see our brochure"
