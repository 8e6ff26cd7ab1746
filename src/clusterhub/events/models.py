"""Matchmaking events: sessions of meeting slots, participants (published clusters),
meeting requests between them and the schedule that places the accepted ones."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clusterhub.profiles.models import ClusterOrganisation


class Event(models.Model):
    class Acceptance(models.TextChoices):
        OPT_IN = "opt_in", _("The guest accepts or declines each request")
        OPT_OUT = "opt_out", _("Requests are accepted at once")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=5000, blank=True)
    place = models.CharField(max_length=300, blank=True)
    online = models.BooleanField(default=False)
    starts_on = models.DateField()
    ends_on = models.DateField()
    meeting_minutes = models.PositiveSmallIntegerField(default=20)
    pause_minutes = models.PositiveSmallIntegerField(
        default=5, help_text=_("Between two meetings, to change tables.")
    )
    # None: every participant has a fixed booth and meets guests there.
    tables = models.PositiveSmallIntegerField(null=True, blank=True)
    registration_closes = models.DateTimeField()
    requests_close = models.DateTimeField()
    acceptance = models.CharField(
        max_length=10, choices=Acceptance.choices, default=Acceptance.OPT_IN
    )
    request_days = models.PositiveSmallIntegerField(
        default=7, help_text=_("Days a request waits for an answer before it expires.")
    )
    max_meetings = models.PositiveSmallIntegerField(default=12)
    fairness = models.PositiveSmallIntegerField(default=2)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # When the organiser published the agendas; changes after it are mailed.
    agendas_published_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    # Counts the changes a schedule depends on (meetings, availability): a schedule
    # computed from an older one is not applied.
    plan_version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_on", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.slug])

    @property
    def is_public(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def fixed_booths(self) -> bool:
        return self.tables is None


class Organiser(models.Model):
    """A user a moderator made organiser of one event (moderators organise them all)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="organisers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="one_organiser")]

    def __str__(self) -> str:
        return f"{self.user} organises {self.event}"


class Session(models.Model):
    """A block of meeting slots, e.g. the first day's morning."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    name = models.CharField(max_length=100)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return self.name

    def slot_starts(self, meeting_minutes: int, pause_minutes: int) -> list:
        """The start of each meeting slot that fits before the session ends."""
        step = timedelta(minutes=meeting_minutes + pause_minutes)
        length = timedelta(minutes=meeting_minutes)
        starts, at = [], self.starts_at
        while at + length <= self.ends_at:
            starts.append(at)
            at += step
        return starts


class Participant(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey(
        ClusterOrganisation, on_delete=models.CASCADE, related_name="event_participations"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Names and positions of who attends, from the management team when registering.
    attendees = models.JSONField(default=list, blank=True)
    sessions = models.ManyToManyField(Session, related_name="participants")
    # Slots (numbered from 1 across the event's sessions) they cannot meet in.
    unavailable = models.JSONField(default=list, blank=True)
    booth = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "organisation"], name="one_registration")
        ]

    def __str__(self) -> str:
        return self.organisation.name

    def get_absolute_url(self) -> str:
        return reverse("events:participant", args=[self.event.slug, self.pk])


class Meeting(models.Model):
    """A meeting request, and once accepted, the meeting and its place in the schedule."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN = (Status.PENDING, Status.ACCEPTED)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meetings")
    requester = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="asked")
    guest = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="invited")
    # "smaller id:larger id": one open request per pair, whoever asked (a constraint).
    pair = models.CharField(max_length=40)
    message = models.TextField(max_length=2000, blank=True)
    priority = models.PositiveSmallIntegerField(default=3)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    expires_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    slot = models.PositiveSmallIntegerField(null=True, blank=True)
    table = models.PositiveSmallIntegerField(null=True, blank=True)
    locked = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slot", "table", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "pair"],
                condition=Q(status__in=["pending", "accepted"]),
                name="one_open_meeting_per_pair",
            ),
            models.CheckConstraint(
                condition=Q(priority__gte=1) & Q(priority__lte=5), name="priority_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requester} – {self.guest}"

    def other(self, participant: Participant) -> Participant:
        return self.guest if participant.pk == self.requester_id else self.requester


class ScheduleRun(models.Model):
    """One "Schedule all": queued, running (best value and bound as they improve), then
    done, stopped or failed. One at a time per event (a constraint)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        STOPPED = "stopped", _("Stopped")
        FAILED = "failed", _("Failed")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="runs")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    stop_requested = models.BooleanField(default=False)
    time_limit = models.PositiveIntegerField(default=60)
    best_value = models.IntegerField(null=True, blank=True)
    lower_bound = models.IntegerField(null=True, blank=True)
    solver_status = models.CharField(max_length=20, blank=True)
    message = models.TextField(blank=True)
    # [{"meeting": id, "reason": text}] of accepted meetings left out.
    left_out = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event"],
                condition=Q(status__in=["queued", "running"]),
                name="one_active_run",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event}: {self.status}"

    @property
    def active(self) -> bool:
        return self.status in self.ACTIVE
