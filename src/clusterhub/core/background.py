"""Background work on django-q2 (docs/background.md): jobs and periodic jobs.

A job is queued in the table of the site's own database (the ORM broker), inside the
transaction of the write that asks for it: it exists exactly when that write does. The
worker (`clusterhub worker`) runs it; a job whose worker dies or that fails is handed
out again after `Q_CLUSTER["retry"]` seconds, up to `max_attempts` times.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction


def later(
    function: Callable | str, *args, name: str | None = None, timeout: int | None = None
) -> None:
    """Run `function(*args)` in the worker. Arguments are pickled: pass ids, not rows.
    `timeout`: seconds the job may take, when longer than Q_CLUSTER's."""
    from django_q.tasks import async_task

    path = function if isinstance(function, str) else f"{function.__module__}.{function.__name__}"
    options = {"timeout": timeout} if timeout else {}
    async_task(path, *args, task_name=name or path.rsplit(".", 1)[-1], **options)


@dataclass(frozen=True)
class Periodic:
    """A job the worker runs every `minutes`."""

    function: str
    minutes: int


# Filled by the apps in their AppConfig.ready (`register_periodic`); the worker keeps
# django-q's schedules equal to it at start.
PERIODIC: dict[str, Periodic] = {}
PREFIX = "clusterhub: "


def register_periodic(name: str, function: str, minutes: int) -> None:
    PERIODIC[name] = Periodic(function, minutes)


@transaction.atomic
def ensure_schedules() -> list[str]:
    """django-q's schedules made to match PERIODIC (added, changed, or removed when no
    app registers them any more); returns their names."""
    from django_q.models import Schedule

    for name, job in PERIODIC.items():
        Schedule.objects.update_or_create(
            name=PREFIX + name,
            defaults={
                "func": job.function,
                "schedule_type": Schedule.MINUTES,
                "minutes": job.minutes,
                "repeats": -1,
            },
        )
    Schedule.objects.filter(name__startswith=PREFIX).exclude(
        name__in=[PREFIX + n for n in PERIODIC]
    ).delete()
    return sorted(PERIODIC)
