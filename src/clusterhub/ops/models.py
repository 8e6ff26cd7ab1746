from django.db import models


class Heartbeat(models.Model):
    """When a process last said it was alive: the task worker writes its own every few
    seconds, and /ready/ reads it."""

    name = models.CharField(max_length=50, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} at {self.seen_at:%Y-%m-%d %H:%M:%S}"
