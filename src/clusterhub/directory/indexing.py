"""Keeps the search documents and the directory version current, in the writing transaction."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from clusterhub.profiles.document import insert_rows
from clusterhub.profiles.models import ClusterOrganisation
from clusterhub.profiles.schema import ProfileDoc
from clusterhub.profiles.signals import profiles_saved

from .index import bump_version
from .models import SearchDocument
from .text import index_text


def searchable_text(doc: ProfileDoc) -> str:
    """Everything full-text search looks at, besides the name."""
    parts = [
        doc.mission,
        *doc.objectives,
        *(s.details for s in doc.services),
        doc.success_story,
        doc.why_partner,
        doc.project_references,
        *(c.name for c in doc.collaborating_clusters),
        *(p.programme for p in doc.programmes),
        *doc.regions,
    ]
    return "\n".join(p for p in parts if p)


@receiver(profiles_saved)
def index_saved_profiles(sender, organisations, documents, using, **kwargs):
    alias = using
    ids = [org.pk for org in organisations]
    SearchDocument.objects.using(alias).filter(organisation_id__in=ids).delete()
    rows = []
    for org, doc in zip(organisations, documents, strict=True):
        body = searchable_text(doc)
        rows.append((org.pk, index_text(doc.name), index_text(body), body))
    columns = ("organisation_id", "name_words", "body_words", "body")
    insert_rows(alias, SearchDocument, columns, rows)
    bump_version(alias)


@receiver(post_save, sender=ClusterOrganisation)
def organisation_changed(sender, instance, using, **kwargs):
    bump_version(using)  # a status change decides whether the directory lists it


@receiver(post_delete, sender=ClusterOrganisation)
def organisation_deleted(sender, instance, using, **kwargs):
    bump_version(using)  # its search document goes with it (CASCADE)
