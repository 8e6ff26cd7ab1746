import pytest
from django.urls import reverse

from clusterhub.events import scheduling, services
from clusterhub.events.models import Meeting
from clusterhub.events.services import RequestIn


def accepted_pair(clusters, registered):
    a, b, _c = registered
    m = services.ask(clusters.owners[0], a.event.slug, a.pk, RequestIn(guest=b.pk, message="Hi"))
    services.decide(clusters.owners[1], a.event.slug, m.pk, True)
    return m


def test_the_list_and_the_page_show_a_published_event(client, open_event):
    assert open_event.title in client.get(reverse("events:list")).content.decode()
    page = client.get(open_event.get_absolute_url()).content.decode()
    assert "Morning" in page and "3 slots" in page


def test_a_draft_event_is_404_for_everyone_but_its_organisers(client, clusters, event_input):
    event = services.create(clusters.moderator, event_input)
    urls = [event.get_absolute_url(), reverse("events:catalogue", args=[event.slug]),
            reverse("events:schedule", args=[event.slug]), reverse("events:register", args=[event.slug]),
            reverse("events:table_plan", args=[event.slug])]  # fmt: skip
    client.force_login(clusters.owners[0])
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert event.title not in client.get(reverse("events:list")).content.decode()
    client.force_login(clusters.moderator)
    assert client.get(event.get_absolute_url()).status_code == 200


def test_the_schedule_and_the_agendas_are_404_to_others(client, clusters, registered):
    m = accepted_pair(clusters, registered)
    slug = registered[0].event.slug
    scheduling.start(clusters.moderator, slug, 10)
    client.force_login(clusters.owners[2])  # a participant, not of this meeting
    for url in [reverse("events:schedule", args=[slug]), reverse("events:all_agendas", args=[slug]),
                reverse("events:agenda", args=[slug, registered[0].pk]),
                reverse("events:agenda_ics", args=[slug, registered[0].pk])]:  # fmt: skip
        assert client.get(url).status_code in (403, 404), url
    for action in ("accept", "cancel"):
        url = reverse("events:meeting_action", args=[slug, m.pk, action])
        assert client.post(url).status_code == 404


def test_registering_through_the_form(client, clusters, open_event):
    client.force_login(clusters.owners[1])
    url = reverse("events:register", args=[open_event.slug])
    form = client.get(url).content.decode()
    assert "Rui Sousa, Manager" in form
    response = client.post(url, {
        "organisation": clusters.slugs[1], "attendees": ["Rui Sousa, Manager"],
        "sessions": [open_event.sessions.get().pk], "unavailable": ["2"],
    })  # fmt: skip
    participant = open_event.participants.get()
    assert response.status_code == 302 and participant.unavailable == [2]


def test_a_bad_session_line_names_the_line(client, clusters, event_input):
    client.force_login(clusters.moderator)
    data = {k: v for k, v in event_input.model_dump().items() if k != "sessions"}
    data["sessions"] = "2027-03-10 09:00-13:00 Morning\nafternoon at two"
    response = client.post(reverse("events:new"), {k: v for k, v in data.items() if v is not None})
    assert "line 2:" in response.content.decode()


def test_the_catalogue_is_the_directory_among_the_participants(client, clusters, registered):
    slug = registered[0].event.slug
    services.withdraw(clusters.owners[2], slug, registered[2].pk)
    page = client.get(reverse("events:catalogue", args=[slug])).content.decode()
    assert "Nordic Wind Cluster" in page and "Porto Ocean Cluster" in page
    assert "Baltic Port Cluster" not in page and "2 participants" in page
    found = client.get(reverse("events:catalogue", args=[slug]), {"q": "porto"}).content.decode()
    assert "1 participant" in found and "Nordic Wind Cluster" not in found


def test_the_catalogue_downloads_its_participants_only(client, clusters, registered):
    slug = registered[0].event.slug
    services.withdraw(clusters.owners[2], slug, registered[2].pk)
    page = client.get(reverse("events:catalogue", args=[slug])).content.decode()
    assert f'href="/events/{slug}/participants/download.xlsx"' in page
    url = reverse("events:catalogue_export", args=[slug, "csv"])
    response = client.get(url)
    assert response["Content-Disposition"] == f'attachment; filename="{slug}-participants.csv"'
    body = b"".join(response.streaming_content).decode()
    assert "Nordic Wind Cluster" in body and "Porto Ocean Cluster" in body
    assert "Baltic Port Cluster" not in body  # withdrawn; in the directory all the same
    found = b"".join(client.get(url, {"q": "porto"}).streaming_content).decode()
    assert "Porto Ocean Cluster" in found and "Nordic Wind Cluster" not in found
    assert client.get(reverse("events:catalogue_export", args=[slug, "pdf"])).status_code == 404
    missing = reverse("events:catalogue_export", args=["no-such-event", "csv"])
    assert client.get(missing).status_code == 404


def test_a_participant_page_proposes_the_other_participants(client, clusters, registered):
    client.force_login(clusters.owners[0])
    page = client.get(registered[0].get_absolute_url()).content.decode()
    assert "Participants to meet" in page and "Porto Ocean Cluster" in page
    other = client.get(registered[1].get_absolute_url()).content.decode()
    assert "Ask for a meeting, as Nordic Wind Cluster" in other


def test_asking_and_accepting_through_the_pages(client, clusters, registered):
    a, b, _c = registered
    client.force_login(clusters.owners[0])
    client.post(reverse("events:ask", args=[a.event.slug, b.pk]),
                {"requester": a.pk, "message": "Ports?", "priority": "4"})  # fmt: skip
    m = Meeting.objects.get()
    assert m.priority == 4 and m.status == "pending"
    client.force_login(clusters.owners[1])
    assert "Ports?" in client.get(b.get_absolute_url()).content.decode()
    client.post(reverse("events:meeting_action", args=[a.event.slug, m.pk, "accept"]))
    m.refresh_from_db()
    assert m.status == "accepted"


def test_the_organiser_schedules_publishes_and_participants_get_their_agenda(
    client, clusters, registered
):
    accepted_pair(clusters, registered)
    slug = registered[0].event.slug
    client.force_login(clusters.moderator)
    client.post(reverse("events:schedule_action", args=[slug, "start"]), {"seconds": "5"})
    grid = client.get(reverse("events:schedule", args=[slug])).content.decode()
    assert "Nordic Wind Cluster – Porto Ocean Cluster" in grid and "Done" in grid
    client.post(reverse("events:schedule_action", args=[slug, "publish"]))
    archive = client.get(reverse("events:all_agendas", args=[slug]))
    assert archive["Content-Type"] == "application/zip"
    plan = client.get(reverse("events:table_plan", args=[slug]), {"format": "csv"}).content
    assert b"Nordic Wind Cluster,Porto Ocean Cluster" in plan
    client.force_login(clusters.owners[1])
    agenda = client.get(reverse("events:agenda", args=[slug, registered[1].pk])).content.decode()
    assert "Nordic Wind Cluster" in agenda and "Ida Holm, Manager" in agenda
    ics = client.get(reverse("events:agenda_ics", args=[slug, registered[1].pk]))
    assert b"BEGIN:VEVENT" in ics.content and b"Meeting with Nordic Wind Cluster" in ics.content
    token = reverse("events:agenda_feed", args=[slug, "bad-token"])
    assert client.get(token).status_code == 404


def test_a_move_that_breaks_a_rule_is_refused_on_the_page(client, clusters, registered):
    m = accepted_pair(clusters, registered)
    slug = registered[0].event.slug
    registered[0].unavailable = [1]
    registered[0].save()
    client.force_login(clusters.moderator)
    response = client.post(reverse("events:place", args=[slug, m.pk, "move"]), {"slot": "1"},
                           follow=True)  # fmt: skip
    assert "Nordic Wind Cluster cannot meet in this slot" in response.content.decode()


@pytest.mark.parametrize("action", ["start", "publish"])
def test_participants_cannot_schedule(client, clusters, registered, action):
    client.force_login(clusters.owners[0])
    url = reverse("events:schedule_action", args=[registered[0].event.slug, action])
    assert client.post(url).status_code == 403


def test_a_meeting_placed_before_an_availability_change_shows_as_a_conflict(
    client, clusters, registered
):
    m = accepted_pair(clusters, registered)
    slug = registered[0].event.slug
    scheduling.move(clusters.moderator, slug, m.pk, 2)
    services.set_availability(
        clusters.owners[1], slug, registered[1].pk,
        services.AvailabilityIn(attendees=[clusters.teams[1]],
                                sessions=[registered[1].event.sessions.get().pk], unavailable=[2]),
    )  # fmt: skip
    client.force_login(clusters.moderator)
    grid = client.get(reverse("events:schedule", args=[slug])).content.decode()
    assert 'class="conflict"' in grid and "Porto Ocean Cluster cannot meet in this slot" in grid
