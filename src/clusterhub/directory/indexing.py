"""The directory's steps of every profile write (profiles.writing): the search
documents of what is written, then the change log every process's index reads to
bring itself up to date. Both run inside the writing transaction."""

from clusterhub.core.batches import batches
from clusterhub.profiles.document import insert_rows
from clusterhub.profiles.fields import searchable_parts
from clusterhub.profiles.schema import ProfileDoc
from clusterhub.profiles.writing import Write

from .index import log_change
from .models import SearchDocument
from .text import index_text


def searchable_text(doc: ProfileDoc) -> str:
    """Everything full-text search looks at, besides the name: the fields declared
    searchable, in document order."""
    return "\n".join(searchable_parts(doc))


def write_search_documents(write: Write) -> None:
    """(Re)write the search documents of the profiles whose name or searchable text
    changes; a resolution of their collaborations, say, leaves them as they are."""
    rows, stale = [], []
    for change in write.written:
        body = searchable_text(change.doc)
        if change.before is not None:
            if change.before.name == change.doc.name and searchable_text(change.before) == body:
                continue
            stale.append(change.org.pk)
        rows.append((change.org.pk, index_text(change.doc.name), index_text(body), body))
    for some in batches(stale, 500):
        SearchDocument.objects.using(write.using).filter(organisation_id__in=some).delete()
    columns = ["organisation_id", "name_words", "body_words", "body"]
    # Many rows a statement: FTS5 flushes its pending index once per statement.
    insert_rows(write.using, SearchDocument, columns, rows)


def directory_changed(write: Write) -> None:
    """What the directory lists changed: a profile written (its status decides whether
    it is listed) or deleted. An edit held for review changes nothing public."""
    if write.written or write.deleted:
        log_change(write.using, [c.org.pk for c in write.written] + list(write.deleted))
