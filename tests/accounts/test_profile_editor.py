"""The editor: every section, lossless; errors on their fields; conflicts keep the input."""

import pytest

from clusterhub.accounts import (
    editing,
    editor,
    moderation,
    permissions,
)
from clusterhub.profiles.document import to_document
from clusterhub.profiles.models import ClusterOrganisation, Status


def post_data(forms_: editor.SectionForms, version: int, **changes) -> dict:
    """What the browser sends back for the section's forms as shown, with `changes`
    (keyed by field name as posted)."""
    data = {"version": str(version)}
    for name, value in forms_.main.initial.items():
        data[f"s-{name}"] = _posted(value)
    for records, formset in forms_.formsets:
        prefix = records.path
        data |= {
            f"{prefix}-TOTAL_FORMS": str(len(formset.initial)),
            f"{prefix}-INITIAL_FORMS": str(len(formset.initial)),
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "500",
        }
        for i, item in enumerate(formset.initial):
            for name, value in item.items():
                data[f"{prefix}-{i}-{name}"] = _posted(value)
    return {k: v for k, v in {**data, **changes}.items() if v is not None}


def _posted(value):
    if value is None:
        return ""
    return value if isinstance(value, list) else str(value)


@pytest.fixture
def rich(people, seed_doc):
    """The owners' profile holding every field of the seed page."""
    owner = people.users["owner"]
    editing.update_profile(owner, people.slug, seed_doc.model_copy(update={"slug": people.slug}), 1)
    return ClusterOrganisation.objects.get(slug=people.slug)


def document(slug: str) -> dict:
    return to_document(ClusterOrganisation.objects.get(slug=slug)).model_dump(mode="json")


@pytest.mark.parametrize("section", [s.slug for s in editor.SECTIONS])
def test_saving_a_section_unchanged_changes_nothing(client, people, rich, section):
    client.force_login(people.users["owner"])
    before = document(people.slug)
    page = client.get(f"/accounts/profiles/{people.slug}/edit/{section}/")
    assert page.status_code == 200
    forms_ = editor.SectionForms(editor.SECTION_BY_SLUG[section], before)
    response = client.post(page.request["PATH_INFO"], post_data(forms_, rich.version))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert document(people.slug) == before


def test_edit_values_and_lists(client, people, draft_doc):
    client.force_login(people.users["co_owner"])
    forms_ = editor.SectionForms(editor.SECTION_BY_SLUG["general"], document(people.slug))
    data = post_data(
        forms_,
        1,
        **{
            "s-website": "https://wind.example",
            "s-regions": "Hovedstaden\nSjælland",
            "management_team-TOTAL_FORMS": "2",
            "management_team-1-first_name": "Lars",
            "management_team-1-position": "Analyst",
            "continue": "",
        },
    )
    response = client.post(f"/accounts/profiles/{people.slug}/edit/general/", data)
    assert response.url == f"/accounts/profiles/{people.slug}/edit/focus/"
    saved = document(people.slug)
    assert saved["website"] == "https://wind.example"
    assert saved["regions"] == ["Hovedstaden", "Sjælland"]
    assert [m["first_name"] for m in saved["management_team"]] == ["Ida", "Lars"]
    # Deleting an entry.
    forms_ = editor.SectionForms(editor.SECTION_BY_SLUG["general"], saved)
    client.post(
        f"/accounts/profiles/{people.slug}/edit/general/",
        post_data(forms_, 2, **{"management_team-0-DELETE": "on"}),
    )
    assert [m["first_name"] for m in document(people.slug)["management_team"]] == ["Lars"]


def test_vocabulary_pickers_offer_the_vocabulary(client, people):
    client.force_login(people.users["owner"])
    page = client.get(f"/accounts/profiles/{people.slug}/edit/focus/").content.decode()
    assert 'type="checkbox" name="s-sectoral_industries" value="Renewable Energy"' in page
    assert 'value="Textile Manufacturing"' in page


def test_an_invalid_value_is_shown_on_its_field(client, people):
    client.force_login(people.users["owner"])
    forms_ = editor.SectionForms(editor.SECTION_BY_SLUG["general"], document(people.slug))
    response = client.post(
        f"/accounts/profiles/{people.slug}/edit/general/",
        post_data(forms_, 1, **{"s-website": "w" * 600}),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "at most 500 characters" in body
    assert ClusterOrganisation.objects.get(slug=people.slug).version == 1


def test_two_sessions_edit_the_second_gets_the_conflict_and_keeps_its_input(people):
    from django.test import Client

    alice, bob = Client(), Client()
    alice.force_login(people.users["owner"])
    bob.force_login(people.users["co_owner"])
    url = f"/accounts/profiles/{people.slug}/edit/strategy/"
    start = document(people.slug)
    forms_ = editor.SectionForms(editor.SECTION_BY_SLUG["strategy"], start)
    alice.post(url, post_data(forms_, 1, **{"s-mission": "Alice's mission."}))
    conflict = bob.post(url, post_data(forms_, 1, **{"s-mission": "Bob's mission."}))
    assert conflict.status_code == 409
    page = conflict.content.decode()
    assert "Alice&#x27;s mission." in page and "Bob&#x27;s mission." in page  # side by side
    assert 'name="version" value="2"' in page  # saving again replaces version 2, knowingly
    assert document(people.slug)["mission"] == "Alice's mission."
    again = bob.post(url, post_data(forms_, 2, **{"s-mission": "Bob's mission."}))
    assert again.status_code == 302
    assert document(people.slug)["mission"] == "Bob's mission."


def test_register_creates_a_draft_you_own(client, people):
    client.force_login(people.users["stranger"])
    response = client.post("/accounts/register/", {"name": "Baltic Ports Cluster", "country": "LT"})
    assert response.url == "/accounts/profiles/baltic-ports-cluster/edit/general/"
    org = ClusterOrganisation.objects.get(slug="baltic-ports-cluster")
    assert org.status == Status.DRAFT and permissions.is_owner(people.users["stranger"], org)
    taken = client.post("/accounts/register/", {"name": "Baltic Ports Cluster", "country": "LT"})
    assert "already taken" in taken.content.decode()


def test_history_page_restores(client, people, draft_doc):
    owner = people.users["owner"]
    editing.update_profile(owner, people.slug, draft_doc.model_copy(update={"mission": "v2"}), 1)
    client.force_login(owner)
    page = client.get(f"/accounts/profiles/{people.slug}/revisions/").content.decode()
    assert "Version 2: Edited" in page
    assert '<th scope="row">Mission</th>' in page and "<code" not in page  # labels, not keys
    client.post(f"/accounts/profiles/{people.slug}/revisions/", {"restore": "1", "version": "2"})
    assert document(people.slug)["mission"] == draft_doc.mission


def test_review_shows_the_profile_and_checklist_and_publishes_once_confirmed(client, people):
    moderation.change_status(people.users["owner"], people.slug, "submit")
    client.force_login(people.users["moderator"])
    queue = client.get("/accounts/moderation/").content.decode()
    assert people.slug in queue and 'href="/network/review/"' in queue
    page = client.get(f"/accounts/profiles/{people.slug}/review/").content.decode()
    assert "At least 15 members" in page and "members not stated" in page
    assert "Offshore wind supply chain." in page  # the profile itself, inline
    answer = client.post(f"/accounts/profiles/{people.slug}/status/publish/", follow=True)
    assert "Tick “I have checked this profile” to publish it." in answer.content.decode()
    assert ClusterOrganisation.objects.get(slug=people.slug).status == Status.SUBMITTED
    client.post(f"/accounts/profiles/{people.slug}/status/publish/", {"confirm": "yes"})
    assert ClusterOrganisation.objects.get(slug=people.slug).status == Status.PUBLISHED


def test_submit_is_offered_once_the_criteria_the_profile_shows_are_met(client, people):
    client.force_login(people.users["owner"])
    page = client.get(f"/accounts/profiles/{people.slug}/edit/general/").content.decode()
    # In the sections' list: the website under General, the members under Composition.
    assert "1 criterion not met" in page and "2 criteria not met" in page
    assert "At least 15 members" in page and "At least two types of members" in page
    assert "A website in English" in page
    assert f"/accounts/profiles/{people.slug}/status/submit/" not in page
    forms_ = editor.SectionForms(editor.SECTION_BY_SLUG["composition"], document(people.slug))
    client.post(
        f"/accounts/profiles/{people.slug}/edit/composition/",
        post_data(forms_, 1, **{"s-members__total": "40", "s-members__sme": "30",
                                "s-members__large_companies": "2"}),
    )  # fmt: skip
    forms_ = editor.SectionForms(editor.SECTION_BY_SLUG["general"], document(people.slug))
    client.post(
        f"/accounts/profiles/{people.slug}/edit/general/",
        post_data(forms_, 2, **{"s-website": "wind.example"}),
    )
    page = client.get(f"/accounts/profiles/{people.slug}/edit/general/").content.decode()
    assert "criteria not met" not in page and "criterion not met" not in page
    assert f"/accounts/profiles/{people.slug}/status/submit/" in page


@pytest.mark.parametrize(
    ("language", "typed"),
    [("es", "25/12/2003"), ("de", "25.12.2003"), ("fr", "25/12/2003"), ("en", "25/12/2003")],
)
def test_the_editor_accepts_a_date_typed_in_the_readers_locale(client, people, language, typed):
    # The browser's date box sends ISO dates; without one, the reader types the locale's.
    client.force_login(people.users["owner"])
    prefix = "" if language == "en" else f"/{language}"
    forms_ = editor.SectionForms(editor.SECTION_BY_SLUG["general"], document(people.slug))
    data = post_data(forms_, 1, **{"s-established": typed})
    response = client.post(f"{prefix}/accounts/profiles/{people.slug}/edit/general/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert document(people.slug)["established"] == "2003-12-25"
