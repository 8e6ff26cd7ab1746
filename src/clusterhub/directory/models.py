from django.db import models

from clusterhub.profiles.models import ClusterOrganisation


class SearchDocument(models.Model):
    """The searchable text of one organisation, kept in the same transaction as its edits.

    SQLite indexes it with an FTS5 table kept by triggers, PostgreSQL with a
    generated tsvector column and a GIN index (see migration 0001).
    """

    organisation = models.OneToOneField(
        ClusterOrganisation, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    name_words = models.TextField()
    body_words = models.TextField()
    body = models.TextField(help_text="The indexed text as written, for snippets.")

    def __str__(self) -> str:
        return self.name_words


class DirectoryVersion(models.Model):
    """Moved by every write to profiles: `seq` counts the writes, `version` is a random
    token of the last one. Updating this one row serialises the writers' commits (it
    stays locked until each commits), so changes are logged in commit order."""

    version = models.BigIntegerField(default=0)
    seq = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.version)


class DirectoryChange(models.Model):
    """The organisations one write changed: what every process's index reads to update
    itself, instead of building itself again. The last writes are kept (see index.py)."""

    seq = models.BigIntegerField(db_index=True)
    version = models.BigIntegerField()
    organisation_id = models.BigIntegerField()
    # What the index needs of the organisation after the write (index.Written.entries;
    # {"gone": true} when no longer listed), or null for writes too large to hold.
    entry = models.JSONField(null=True)

    def __str__(self) -> str:
        return f"{self.seq}: {self.organisation_id}"
