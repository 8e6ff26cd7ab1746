from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from clusterhub.accounts.permissions import is_moderator
from clusterhub.core.http import or_http, refusals
from clusterhub.core.validation import save_form
from clusterhub.directory.query import FACETS, DirectoryQuery
from clusterhub.directory.services import matching_ids, search
from clusterhub.directory.views import DOWNLOAD_FORMATS, list_download, list_links, query_from
from clusterhub.ingest.services import export as export_profiles
from clusterhub.matching.query import PartnerQuery
from clusterhub.matching.services import NotRecommendable, recommend

from . import agendas, scheduling, services
from .forms import (
    AvailabilityForm,
    EventForm,
    MoveForm,
    OrganiserForm,
    RegistrationForm,
    RequestForm,
    sessions_text,
)
from .models import Event, Meeting
from .services import AvailabilityIn, EventIn, RegistrationIn, RequestIn

CATALOGUE_SORTS = {"relevance": _l("Relevance"), "name": _l("Name"), "members": _l("Members")}


def event_list(request):
    upcoming, past = services.upcoming_and_past(request.user)
    context = {"upcoming": upcoming, "past": past, "may_create": is_moderator(request.user)}
    return render(request, "events/list.html", context)


def detail(request, slug: str):
    event = or_http(services.viewable, request.user, slug)
    mine = services.of_user(request.user, event)
    context = {
        "event": event,
        "sessions": list(event.sessions.all()),
        "slots": services.slots(event),
        "participants": event.participants.count(),
        "mine": mine,
        "registrable": services.registrable(request.user, event),
        "may_organise": services.may_organise(request.user, event),
        "is_moderator": is_moderator(request.user),
        "organisers": services.organisers(event) if is_moderator(request.user) else [],
        "organiser_form": OrganiserForm(),
        "registration_open": event.status == Event.Status.PUBLISHED
        and timezone.now() <= event.registration_closes,
    }
    return render(request, "events/detail.html", context)


@login_required
def new(request):
    form = EventForm(request.POST or None)
    if request.method == "POST":
        saved = save_form(request, form, EventIn, lambda data: services.create(request.user, data))
        if saved:
            messages.success(request, _("Saved as a draft. Publish it to open registration."))
            return redirect(saved)
    elif not is_moderator(request.user):
        messages.info(request, _("Only moderators create events; ask one to make you organiser."))
    return render(request, "events/edit.html", {"form": form, "event": None})


@login_required
def edit(request, slug: str):
    event = or_http(services.organised, request.user, slug)
    initial = {f: getattr(event, f) for f in services.FIELDS}
    initial["sessions"] = sessions_text(event)
    for key in ("registration_closes", "requests_close"):
        initial[key] = timezone.localtime(initial[key])
    form = EventForm(request.POST or None, initial=initial)
    if request.method == "POST":
        version = int(request.POST.get("version") or 0) or None
        saved = save_form(
            request, form, EventIn, lambda d: services.update(request.user, slug, d, version)
        )
        if saved:
            messages.success(request, _("Saved."))
            return redirect(saved)
    return render(request, "events/edit.html", {"form": form, "event": event})


@login_required
@require_POST
def change_status(request, slug: str, action: str):
    if action not in services.EVENT_ACTIONS:
        raise Http404(action)
    with refusals(request) as outcome:
        event = services.change_status(request.user, slug, action)
    if not outcome.failed:
        messages.success(request, _("Now: %(status)s.") % {"status": event.get_status_display()})
    return redirect("events:detail", slug)


@login_required
@require_POST
def organisers(request, slug: str):
    form = OrganiserForm(request.POST)
    if "remove" in request.POST:
        with refusals(request):
            services.remove_organiser(request.user, slug, int(request.POST["remove"]))
    elif form.is_valid():
        with refusals(request) as outcome:
            services.add_organiser(request.user, slug, form.cleaned_data["email"])
        if not outcome.failed:
            messages.success(request, _("They organise this event now."))
    else:
        messages.error(request, _("email: enter a valid email address"))
    return redirect("events:detail", slug)


def _availability_form(request, event, team, initial=None, organisations=None):
    kwargs = {"team": team, "event": event, "slots": services.slots(event), "initial": initial}
    if organisations is not None:
        return RegistrationForm(request.POST or None, organisations=organisations, **kwargs)
    return AvailabilityForm(request.POST or None, **kwargs)


@login_required
def register(request, slug: str):
    event = or_http(services.viewable, request.user, slug)
    organisations = services.registrable(request.user, event)
    chosen = request.POST.get("organisation") or request.GET.get("organisation")
    org = next((o for o in organisations if o.slug == chosen), organisations[0] if organisations
               else None)  # fmt: skip
    team = services.team_names(org) if org else []
    initial = {"organisation": org.slug if org else None, "attendees": team[:1],
               "sessions": [s.pk for s in event.sessions.all()]}  # fmt: skip
    form = _availability_form(request, event, team, initial, organisations)
    if request.method == "POST":
        saved = save_form(
            request, form, RegistrationIn, lambda d: services.register(request.user, slug, d)
        )
        if saved:
            messages.success(request, _("Registered. Find the participants you want to meet."))
            return redirect(saved)
    return render(
        request,
        "events/register.html",
        {"event": event, "form": form, "organisations": organisations},
    )


def catalogue(request, slug: str):
    """The participants: the directory's search and facets, among them only."""
    event = or_http(services.viewable, request.user, slug)
    query, error = query_from(request, DirectoryQuery)
    result = search(query, among=services.participant_ids(event))
    by_org = services.by_organisation(event)
    context = {
        "event": event, "query": query, "result": result, "error": error,
        "sorts": CATALOGUE_SORTS, "facet_names": FACETS, "by_org": by_org,
        "first": (query.page - 1) * query.page_size + 1,
        "download_formats": DOWNLOAD_FORMATS,
        "download_base": reverse("events:catalogue_export", args=[slug, "-"])[:-1],
        **list_links(query, result, FACETS),
    }  # fmt: skip
    template = "events/_catalogue.html" if request.htmx else "events/catalogue.html"
    return render(request, template, context, status=400 if error else 200)


def catalogue_download(request, slug: str, fmt: str):
    """The participants the catalogue's query selects, as the directory downloads them
    (open data: no telephones or emails)."""
    event = or_http(services.viewable, request.user, slug)
    among = services.participant_ids(event)
    return list_download(
        request, fmt, DirectoryQuery, lambda query: matching_ids(query, among=among),
        export_profiles, f"{event.slug}-participants",
    )  # fmt: skip


def participant(request, slug: str, pk: int):
    p = or_http(services.participant_of, request.user, slug, pk)
    event = p.event
    speaks = services.speaks_for(request.user, p)
    mine = services.of_user(request.user, event)
    proposals = None
    if speaks or mine:
        # The partner finder among the other participants, for the participant's side
        # (its own page) or for the visitor's participant (another's page).
        base = p if speaks else mine[0]
        try:
            proposals = recommend(base.organisation.slug, PartnerQuery(limit=10),
                                  among=services.participant_ids(event))  # fmt: skip
        except NotRecommendable:
            proposals = None
    by_org = services.by_organisation(event)
    meetings = list(services.meetings_of(p).order_by("-created_at")) if speaks else []
    context = {
        "event": event, "participant": p, "speaks": speaks, "mine": mine,
        "proposals": proposals, "by_org": by_org, "meetings": meetings,
        "request_form": RequestForm(), "requests_open": event.status == Event.Status.PUBLISHED
        and timezone.now() <= event.requests_close,
        "agenda_visible": agendas.visible(request.user, p),
        "meeting_with": {m.other(p).pk: m for m in meetings if m.status in Meeting.OPEN},
        "open_with_mine": _open_with(mine, p),
    }  # fmt: skip
    return render(request, "events/participant.html", context)


def _open_with(mine: list, other) -> dict:
    """For each of the visitor's participants, its open request with `other`, if any."""
    if not mine:
        return {}
    ids = [own.pk for own in mine]
    found = dict.fromkeys(ids)
    opened = Meeting.objects.filter(status__in=Meeting.OPEN)
    for m in opened.filter(requester=other, guest_id__in=ids) | opened.filter(
        guest=other, requester_id__in=ids
    ):
        found[m.requester_id if m.guest_id == other.pk else m.guest_id] = m
    return found


@login_required
def availability(request, slug: str, pk: int):
    p = or_http(services.participant_of, request.user, slug, pk)
    if not services.speaks_for(request.user, p):
        raise Http404(_("no participant %(pk)s") % {"pk": pk})
    initial = {"attendees": p.attendees, "sessions": [s.pk for s in p.sessions.all()],
               "unavailable": p.unavailable}  # fmt: skip
    form = _availability_form(request, p.event, services.team_names(p.organisation), initial)
    if request.method == "POST":
        saved = save_form(request, form, AvailabilityIn,
                          lambda d: services.set_availability(request.user, slug, pk, d))  # fmt: skip
        if saved:
            messages.success(request, _("Saved."))
            return redirect(saved)
    return render(request, "events/availability.html", {"event": p.event, "participant": p,
                                                        "form": form})  # fmt: skip


@login_required
@require_POST
def withdraw(request, slug: str, pk: int):
    with refusals(request) as outcome:
        services.withdraw(request.user, slug, pk)
    if outcome.failed:
        return redirect("events:participant", slug, pk)
    messages.success(request, _("Withdrawn from the event."))
    return redirect("events:detail", slug)


@login_required
@require_POST
def ask(request, slug: str, pk: int):
    """`pk`: the guest; the requester is the visitor's participant named in the form."""
    form = RequestForm(request.POST)
    requester = int(request.POST.get("requester") or 0)
    if form.is_valid():
        data = RequestIn(guest=pk, **form.cleaned_data)
        with refusals(request) as outcome:
            meeting = services.ask(request.user, slug, requester, data)
        if not outcome.failed:
            messages.success(request, _("Request sent.") if meeting.status == "pending"
                             else _("Meeting accepted."))  # fmt: skip
    else:
        messages.error(request, _("priority: choose from 1 to 5"))
    return redirect("events:participant", slug, pk)


@login_required
@require_POST
def meeting_action(request, slug: str, pk: int, action: str):
    back = request.POST.get("back") or ""
    with refusals(request) as outcome:
        if action in ("accept", "decline"):
            meeting = services.decide(request.user, slug, pk, action == "accept")
        elif action == "cancel":
            meeting = services.cancel(request.user, slug, pk)
        elif action == "priority":
            meeting = services.set_priority(request.user, slug, pk,
                                            int(request.POST.get("priority") or 0))  # fmt: skip
        else:
            raise Http404(action)
    if not outcome.failed:
        messages.success(request, _("Now: %(status)s.") % {"status": meeting.get_status_display()})
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("events:detail", slug)


# --- the organiser's schedule -------------------------------------------------------


@login_required
def schedule(request, slug: str):
    event = or_http(services.organised, request.user, slug)
    g = scheduling.grid(event)
    if event.fixed_booths:  # one column: the slot's meetings, by booth
        rows = [(s, [[m for (n, _t), here in sorted(g.cells.items(), key=lambda c: c[0][1] or 0)
                      if n == s.number for m in here]]) for s in g.slots]  # fmt: skip
    else:
        rows = [(s, [g.cells.get((s.number, t), []) for t in g.tables]) for s in g.slots]
    context = {
        "event": event, "grid": g, "rows": rows, "run": scheduling.latest_run(event),
        "counts": scheduling.counts(event), "move_form": MoveForm(),
        "seconds": scheduling.DEFAULT_SECONDS,
    }  # fmt: skip
    if not request.htmx:
        return render(request, "events/schedule.html", context)
    response = render(request, "events/_run.html", context)
    if not (context["run"] and context["run"].active):
        response["HX-Refresh"] = "true"  # done: the page shows the new schedule
    return response


@login_required
@require_POST
def schedule_action(request, slug: str, action: str):
    with refusals(request) as outcome:
        if action == "start":
            scheduling.start(request.user, slug, int(request.POST.get("seconds") or
                                                     scheduling.DEFAULT_SECONDS))  # fmt: skip
        elif action == "stop":
            scheduling.stop(request.user, slug)
        elif action == "publish":
            scheduling.publish_agendas(request.user, slug)
        else:
            raise Http404(action)
    if not outcome.failed:
        messages.success(request, {
            "start": _("Scheduling started; this page shows its progress."),
            "stop": _("Asked to stop; the best schedule found so far is kept."),
            "publish": _("Agendas published; the participants were told."),
        }[action])  # fmt: skip
    return redirect("events:schedule", slug)


@login_required
@require_POST
def place(request, slug: str, pk: int, action: str):
    form = MoveForm(request.POST)
    with refusals(request) as outcome:
        if action == "move":
            if not form.is_valid():
                raise services.Invalid(_("choose a slot"), "slot")
            scheduling.move(request.user, slug, pk, form.cleaned_data["slot"],
                            form.cleaned_data.get("table"))  # fmt: skip
        elif action in ("lock", "unlock"):
            scheduling.lock(request.user, slug, pk, action == "lock")
        elif action == "unschedule":
            scheduling.unschedule(request.user, slug, pk)
        else:
            raise Http404(action)
    if not outcome.failed:
        messages.success(request, _("Done."))
    return redirect("events:schedule", slug)


# --- agendas ------------------------------------------------------------------------


def agenda(request, slug: str, pk: int):
    p = or_http(agendas.agenda_of, request.user, slug, pk)
    context = {"event": p.event, "participant": p, "entries": agendas.entries(p),
               "feed_url": agendas.feed_url(p)}  # fmt: skip
    if request.GET.get("print"):
        return render(request, "events/agendas_print.html",
                      {"event": p.event, "sheets": [agendas.sheet(p)]})  # fmt: skip
    return render(request, "events/agenda.html", context)


def agenda_ics(request, slug: str, pk: int):
    p = or_http(agendas.agenda_of, request.user, slug, pk)
    return _ics(p)


def agenda_feed(request, slug: str, token: str):
    return _ics(or_http(agendas.by_token, slug, token))


def _ics(p):
    response = HttpResponse(agendas.calendar(p), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="agenda-{p.event.slug}-{p.pk}.ics"'
    return response


@login_required
def all_agendas(request, slug: str):
    event, data = or_http(agendas.everything, request.user, slug)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="agendas-{event.slug}.zip"'
    return response


@login_required
def print_agendas(request, slug: str):
    event = or_http(services.organised, request.user, slug)
    all_slots = services.slots(event)
    sheets = [
        agendas.sheet(p, all_slots) for p in event.participants.select_related("organisation")
    ]
    return render(request, "events/agendas_print.html", {"event": event, "sheets": sheets})


@login_required
def table_plan(request, slug: str):
    event = or_http(services.organised, request.user, slug)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="table-plan-{event.slug}.csv"'
        agendas.table_plan_csv(event, response)
        return response
    return render(request, "events/table_plan.html",
                  {"event": event, "rows": agendas.table_plan(event)})  # fmt: skip
