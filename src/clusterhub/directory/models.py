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
    """Changed by every write to profiles: tells cached indexes they are stale."""

    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.version)
