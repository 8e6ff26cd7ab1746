import re
from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from .models import Event

# One session a line: "2027-03-10 09:00-13:00 Thursday morning".
SESSION_LINE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s+(.+)$")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def sessions_text(event: Event) -> str:
    return "\n".join(
        f"{timezone.localtime(s.starts_at):%Y-%m-%d %H:%M}-"
        f"{timezone.localtime(s.ends_at):%H:%M} {s.name}"
        for s in event.sessions.all()
    )


class EventForm(forms.Form):
    title = forms.CharField(label=_l("Title"), max_length=200)
    description = forms.CharField(
        label=_l("Description"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )  # fmt: skip
    place = forms.CharField(label=_l("Place"), required=False, max_length=300)
    online = forms.BooleanField(label=_l("Online"), required=False)
    starts_on = forms.DateField(
        label=_l("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(label=_l("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    sessions = forms.CharField(
        label=_l("Matchmaking sessions"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_l("One a line: date, start-end time, name. "
                     "For example: 2027-03-10 09:00-13:00 Thursday morning"),
    )  # fmt: skip
    meeting_minutes = forms.IntegerField(label=_l("Meeting length (minutes)"), initial=20,
                                         min_value=5, max_value=240)  # fmt: skip
    pause_minutes = forms.IntegerField(label=_l("Break between meetings (minutes)"), initial=5,
                                       min_value=0, max_value=120)  # fmt: skip
    tables = forms.IntegerField(
        label=_l("Tables"), required=False, min_value=1, max_value=1000,
        help_text=_l("Leave empty when every participant has a fixed booth."),
    )  # fmt: skip
    registration_closes = forms.DateTimeField(label=_l("Registration closes"), widget=DATETIME)
    requests_close = forms.DateTimeField(label=_l("Meeting requests close"), widget=DATETIME)
    acceptance = forms.ChoiceField(label=_l("Requests"), choices=Event.Acceptance.choices)
    request_days = forms.IntegerField(
        label=_l("Days a request waits for an answer"), initial=7, min_value=1, max_value=90
    )
    max_meetings = forms.IntegerField(label=_l("Most meetings per participant"), initial=12,
                                      min_value=1, max_value=100)  # fmt: skip
    fairness = forms.IntegerField(
        label=_l("Fairness"), initial=2, min_value=0, max_value=50,
        help_text=_l("The most two participants' idle breaks may differ by."),
    )  # fmt: skip

    def clean_sessions(self) -> list[dict]:
        found = []
        for number, line in enumerate(self.cleaned_data["sessions"].splitlines(), start=1):
            if not line.strip():
                continue
            match = SESSION_LINE.match(line.strip())
            try:
                if not match:
                    raise ValueError
                day, start, end, name = match.groups()
                found.append({
                    "name": name.strip(),
                    "starts_at": datetime.fromisoformat(f"{day} {start.zfill(5)}"),
                    "ends_at": datetime.fromisoformat(f"{day} {end.zfill(5)}"),
                })  # fmt: skip
            except ValueError:
                raise forms.ValidationError(
                    _("line %(line)d: write “2027-03-10 09:00-13:00 Morning”") % {"line": number}
                ) from None
            if found[-1]["ends_at"] <= found[-1]["starts_at"]:
                raise forms.ValidationError(_("line %(line)d: it ends before it starts")
                                            % {"line": number})  # fmt: skip
        if not found:
            raise forms.ValidationError(_("give at least one session"))
        return found


class AvailabilityForm(forms.Form):
    attendees = forms.MultipleChoiceField(
        label=_l("Who attends"), widget=forms.CheckboxSelectMultiple,
        help_text=_l("People of the management team."),
    )  # fmt: skip
    sessions = forms.TypedMultipleChoiceField(
        label=_l("Sessions attended"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    unavailable = forms.TypedMultipleChoiceField(
        label=_l("Slots you cannot meet in"), coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    def __init__(self, *args, team: list[str], event: Event, slots: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].choices = [(n, n) for n in team]
        self.fields["sessions"].choices = [(s.pk, s.name) for s in event.sessions.all()]
        self.fields["unavailable"].choices = [
            (s.number, f"{s.session.name} {timezone.localtime(s.starts_at):%H:%M}") for s in slots
        ]


class RegistrationForm(AvailabilityForm):
    organisation = forms.ChoiceField(label=_l("Cluster organisation"))

    field_order = ["organisation", "attendees", "sessions", "unavailable"]

    def __init__(self, *args, organisations: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.slug, o.name) for o in organisations]


class RequestForm(forms.Form):
    message = forms.CharField(
        label=_l("Message"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_l("What you would like to talk about."),
    )  # fmt: skip
    priority = forms.TypedChoiceField(
        label=_l("Priority"), coerce=int, initial=3,
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        help_text=_l("5: the meetings you want most. When not all fit, these are kept first."),
    )  # fmt: skip


class MoveForm(forms.Form):
    slot = forms.IntegerField(label=_l("Slot"), min_value=1)
    table = forms.IntegerField(label=_l("Table"), min_value=1, required=False)


class OrganiserForm(forms.Form):
    email = forms.EmailField(label=_l("Email of the organiser's account"))
