"""Funding calls: who posts them, the list (open first), import, iCalendar, opportunities."""

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from clusterhub.calls import services
from clusterhub.calls.listing import CallQuery, search
from clusterhub.calls.models import FundingCall
from clusterhub.core import errors
from clusterhub.opportunities import services as opportunities

from ..accounts.conftest import ROLES, make_user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def a_call(people, call_input, **changes):
    return services.create(people.users["moderator"], call_input.model_copy(update=changes))


@pytest.mark.parametrize("role", ROLES)
def test_only_moderators_and_allowed_users_post_calls(people, call_input, role):
    user = people.users[role]
    if role == "moderator":
        assert services.create(user, call_input).eligible_countries == ["ES", "PT"]
    else:
        with pytest.raises(errors.Forbidden):
            services.create(user, call_input)
    assert FundingCall.objects.count() == (1 if role == "moderator" else 0)


def test_a_moderator_allows_a_user_to_post_calls(people, call_input):
    poster = make_user("agency")
    with pytest.raises(errors.Forbidden):
        services.allow_posting(people.users["owner"], poster.email)
    services.allow_posting(people.users["moderator"], poster.email)
    poster = type(poster).objects.get(pk=poster.pk)  # a fresh permission cache
    assert services.create(poster, call_input).created_by == poster
    assert services.posters(people.users["moderator"]) == [poster]
    services.allow_posting(people.users["moderator"], poster.email, on=False)
    poster = type(poster).objects.get(pk=poster.pk)
    with pytest.raises(errors.Forbidden):
        services.create(poster, call_input.model_copy(update={"identifier": "OTHER-1"}))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"link": "javascript:alert(1)"}, "link"),
        ({"closes_on": date(2026, 1, 1)}, "closes_on"),
        ({"eligible_countries": ["Atlantis"]}, "eligible_countries[0]"),
        ({"sectoral_industries": ["Alchemy"]}, "sectoral_industries[0]"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(people, call_input, change, field):
    from pydantic import ValidationError

    with pytest.raises((errors.Invalid, ValidationError)) as caught:
        services.create(
            people.users["moderator"],
            services.CallIn.model_validate(call_input.model_dump() | change),
        )
    message = str(caught.value)
    assert field.split("[")[0] in message
    assert not FundingCall.objects.exists()


def test_the_same_identifier_twice_is_a_conflict(people, call_input):
    a_call(people, call_input)
    with pytest.raises(errors.Conflict):
        a_call(people, call_input, identifier=call_input.identifier.lower())


def test_a_stale_edit_is_refused(people, call_input):
    call = a_call(people, call_input)
    services.update(people.users["moderator"], call.pk, call_input, call.version)
    with pytest.raises(errors.Conflict):
        services.update(people.users["moderator"], call.pk, call_input, call.version)


def test_the_list_shows_open_calls_first_by_closing_date(client, people, call_input):
    a_call(people, call_input, identifier="CLOSED", title="Closed call",
           opens_on=TODAY - timedelta(days=90), closes_on=TODAY - timedelta(days=1))  # fmt: skip
    a_call(people, call_input, identifier="LATE", title="Open late",
           opens_on=TODAY - timedelta(days=5), closes_on=TODAY + timedelta(days=60))  # fmt: skip
    a_call(people, call_input, identifier="SOON", title="Open soon closing",
           opens_on=None, closes_on=TODAY + timedelta(days=3))  # fmt: skip
    a_call(people, call_input, identifier="NEXT", title="Opening next month",
           opens_on=TODAY + timedelta(days=30), closes_on=TODAY + timedelta(days=90))  # fmt: skip
    page = client.get("/calls/").content.decode()
    order = [
        page.index(t)
        for t in ("Open soon closing", "Open late", "Opening next month", "Closed call")
    ]
    assert order == sorted(order)
    states = search(CallQuery()).facets["state"].values
    assert [(v.value, v.count) for v in states] == [("open", 2), ("closed", 1), ("upcoming", 1)]
    only_open = client.get("/calls/?state=open").content.decode()
    assert "Open late" in only_open and "Closed call" not in only_open


def test_a_withdrawn_call_is_404_for_all_but_those_who_post(client, people, call_input):
    call = a_call(people, call_input)
    services.set_status(people.users["moderator"], call.pk, "withdrawn")
    assert client.get(f"/calls/{call.pk}/").status_code == 404
    assert call_input.title not in client.get("/calls/").content.decode()
    client.force_login(people.users["moderator"])
    assert client.get(f"/calls/{call.pk}/").status_code == 200


def test_the_deadlines_calendar_has_one_event_per_closing_date(client, people, call_input):
    a_call(people, call_input)
    a_call(people, call_input, identifier="ROLLING", title="Rolling call", closes_on=None)
    response = client.get("/calls/deadlines.ics?kind=eu")
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [(str(e["summary"]), e["dtstart"].dt) for e in events] == [
        ("Offshore renewable energy demonstrators (Horizon Europe)", date(2027, 3, 15))
    ]


def test_import_creates_and_updates_by_identifier_all_or_nothing(tmp_path, people, call_input):
    good = call_input.model_dump(mode="json")
    path = tmp_path / "calls.json"
    path.write_text(json.dumps([good, good | {"identifier": "DIGITAL-2027-01", "kind": "eu"}]))
    assert services.import_calls(path) == (2, 0)
    path.write_text(
        json.dumps([good | {"title": "Renamed"}, good | {"identifier": "X", "link": "ftp://x"}])
    )
    with pytest.raises(errors.InputError) as caught:
        services.import_calls(path)
    assert caught.value.line == 2 and "link" in str(caught.value)
    assert not FundingCall.objects.filter(title="Renamed").exists()  # nothing half-written


def test_import_reads_csv_with_lists_one_per_line(tmp_path, people, call_input):
    out = tmp_path / "calls.csv"
    a_call(people, call_input)
    with out.open("w", newline="") as stream:
        services.export("csv", stream)
    FundingCall.objects.all().delete()
    assert services.import_calls(out) == (1, 0)
    call = FundingCall.objects.get()
    assert call.eligible_countries == ["ES", "PT"] and call.budget_eur == 25_000_000


def test_a_call_lists_the_opportunities_that_name_it(
    client, people, call_input, published, draft_input
):
    call = a_call(people, call_input)
    opportunity = opportunities.create(published.users["owner"], published.slug, draft_input)
    assert opportunity.funding_call == call
    page = client.get(f"/calls/{call.pk}/").content.decode()
    assert draft_input.title not in page  # a draft is nobody's business
    opportunities.change_status(published.users["owner"], opportunity.pk, "submit")
    opportunities.change_status(published.users["moderator"], opportunity.pk, "publish")
    assert draft_input.title in client.get(f"/calls/{call.pk}/").content.decode()
    assert call.title in client.get(opportunity.get_absolute_url()).content.decode()


def test_moderators_post_calls_through_the_pages(client, people):
    client.force_login(people.users["moderator"])
    response = client.post("/calls/new/", {
        "identifier": "ERDF-GA-2027", "programme": "ERDF Galicia", "title": "Cluster internationalisation",
        "summary": "Support for cluster missions abroad.", "link": "https://example.org/call",
        "kind": "regional", "closes_on": str(TODAY + timedelta(days=40)), "eligible_countries": ["ES"],
    })  # fmt: skip
    call = FundingCall.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/calls/{call.pk}/"
    response = client.post("/calls/new/", {"identifier": "BAD", "title": "x"})
    assert response.status_code == 200 and b"field-error" in response.content


def test_the_cli_imports_calls_and_exports_every_kind(tmp_path, people, call_input, capsys):
    from django.core.management import call_command

    source = tmp_path / "calls.jsonl"
    source.write_text(json.dumps(call_input.model_dump(mode="json")) + "\n")
    call_command("import", str(source), kind="calls")
    assert "1 call(s) created, 0 updated" in capsys.readouterr().out
    assert FundingCall.objects.get().identifier == call_input.identifier
    out = tmp_path / "calls.csv"
    call_command("export", kind="calls", format="csv", output=str(out))
    assert call_input.identifier in out.read_text() and "\nES\nPT\n" not in out.read_text()
    for kind in ("opportunities", "news"):
        call_command("export", kind=kind, format="json")
        assert json.loads(capsys.readouterr().out) == []
    bad = tmp_path / "bad.csv"
    bad.write_text("identifier,title\nX,Only a title\n")
    with pytest.raises(SystemExit):
        call_command("import", str(bad), kind="calls")
    assert "bad.csv:2: " in capsys.readouterr().err
