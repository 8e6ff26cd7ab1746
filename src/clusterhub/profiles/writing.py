"""The one way profiles are written.

Every caller — import, demo, the editor, the API, the admin, moderation, restore,
collaboration decisions, the resolution of collaborations — calls `save_profiles` (or
`delete_profiles`). Its body is the steps of a write, in this order:

1. validate: the version each edit started from, the slugs, the statuses;
2. resolve collaborations (the network app's step);
3. leave out every profile that does not change;
4. write rows — or, for an edit of a published profile that must be reviewed, keep it
   as the profile's pending version while the published document stays public;
5. search documents (the directory's step);
6. revisions (the accounts app's step): every change is one;
7. directory version (the directory's step): indexes built before are stale.

Steps 2, 5, 6 and 7 belong to apps that build on this one. Each app registers its
function in `STEPS` when Django starts (in its AppConfig.ready); a write refuses to
run while a step is missing, and nothing else runs on a save: no signal receivers.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterhub.core.batches import batches
from clusterhub.core.errors import Conflict, NotFound
from clusterhub.vocab.services import TermResolver

from . import document
from .choices import Status
from .models import ClusterOrganisation, PendingVersion
from .schema import ProfileDoc


@dataclass
class Change:
    """One profile in a write, as the steps see it."""

    doc: ProfileDoc  # what is written (or held for review)
    action: str
    before: ProfileDoc | None = None  # the stored document; None for a new profile
    org: ClusterOrganisation | None = None  # None until a new profile is written
    status: str = Status.DRAFT  # after the write
    status_before: str | None = None
    pending: ProfileDoc | None = None  # the edit waiting for review before this write
    held: bool = False  # kept as the pending version instead of being written
    keep_pending: bool = False  # an edit waiting for review stays waiting
    note: str = ""
    lists: set[str] | None = None  # the lists that change (None: all of them)

    @property
    def created(self) -> bool:
        return self.before is None

    @property
    def head(self) -> ProfileDoc | None:
        """What editors saw before this write: the pending edit, else the stored document."""
        return self.pending or self.before

    @property
    def becomes_public(self) -> bool:
        return self.status == Status.PUBLISHED and not self.held and (
            self.status_before != Status.PUBLISHED or self.created
            or self.before.name != self.doc.name
        )  # fmt: skip

    @property
    def stops_being_public(self) -> bool:
        return self.status_before == Status.PUBLISHED and self.status != Status.PUBLISHED


@dataclass
class Write:
    """Everything one call writes, in one transaction of the database `using`."""

    using: str
    author: object = None
    changes: list[Change] = field(default_factory=list)
    resolve: bool = True  # False: leave collaborations unresolved (a bulk import)
    deleted: list[int] = field(default_factory=list)  # ids of deleted profiles

    @property
    def written(self) -> list[Change]:
        """The changes whose rows are written (not held for review)."""
        return [c for c in self.changes if not c.held]

    def slugs(self) -> set[str]:
        return {c.doc.slug for c in self.changes}


Step = Callable[[Write], None]


@dataclass
class Steps:
    """The steps other apps take in every write; the order is `save_profiles`'s."""

    resolve_collaborations: Step | None = None  # network: may add others' changes
    search_documents: Step | None = None  # directory
    record_revisions: Step | None = None  # accounts
    directory_changed: Step | None = None  # directory
    unlink: Callable[[list[ClusterOrganisation], str], list[ProfileDoc]] | None = None  # network

    def register(self, **steps) -> None:
        for name, step in steps.items():
            if not hasattr(self, name):
                raise ImproperlyConfigured(f"no write step {name!r}")
            setattr(self, name, step)

    def check(self) -> None:
        missing = [name for name, step in vars(self).items() if step is None]
        if missing:
            raise ImproperlyConfigured(f"write steps not registered: {', '.join(missing)}")


STEPS = Steps()


def save_profiles(
    docs: Iterable[ProfileDoc],
    *,
    action: str,
    author=None,
    new_status: str = Status.DRAFT,
    status: str | None = None,
    review_note: str | None = None,
    note: str = "",
    versions: dict[str, int] | None = None,
    hold: Callable[[Change], bool] | None = None,
    keep_pending: bool = False,
    create_only: bool = False,
    resolve: bool = True,
    stored: dict[str, tuple[int, ProfileDoc]] | None = None,
    using: str | None = None,
) -> list[ClusterOrganisation]:
    """Create or update (by slug) the profiles of `docs`, all or nothing; returns the
    organisations of `docs`, in their order (unchanged ones as they were).

    `action` names the change in the history (create, edit, import, publish, …) and
    `author` who made it. New profiles get `new_status` (a draft unless the caller says
    otherwise); `status` moves every profile to that status (moderation), with
    `review_note` as the moderator's reason. `versions` (slug → version) are the
    versions the edits started from: a newer one raises a Conflict and writes nothing.
    `hold(change)` says whether an edit of a published profile waits for review.
    An edit supersedes the edit waiting for review, unless `keep_pending` (imports and
    resolutions leave it waiting). `create_only`: an existing slug is a Conflict.
    `resolve=False` leaves the collaborations to resolve later (`resolve_all`).
    `stored` (slug → version, document): what the caller just read of these profiles
    (a resolution reads every document it changes), used instead of reading them
    again — a version that moved since is a Conflict, as for `versions`.
    """
    STEPS.check()
    using = using or router.db_for_write(ClusterOrganisation)
    by_slug = {doc.slug: doc for doc in docs}  # a slug given twice: the last one wins
    if not by_slug:
        return []
    write = Write(using, author, resolve=resolve)
    with transaction.atomic(using=using):
        _validate(write, by_slug, action, new_status, status, versions, create_only, note, stored)
        asked = {change.doc.slug: change for change in write.changes}
        for change in write.changes:
            change.keep_pending = keep_pending
        STEPS.resolve_collaborations(write)
        _leave_out_unchanged(write, hold)
        _write_rows(write, review_note)
        STEPS.search_documents(write)
        STEPS.record_revisions(write)
        STEPS.directory_changed(write)
    return [asked[slug].org for slug in by_slug]


def _validate(
    write, by_slug, action, new_status, status, versions, create_only, note, read
) -> None:
    """The changes of the documents: the stored organisations, locked until the write
    ends (PostgreSQL; SQLite's IMMEDIATE transactions serialise writers anyway), their
    documents and pending edits, and the versions edits started from."""
    found = ClusterOrganisation.objects.using(write.using).select_for_update()
    existing: dict[str, ClusterOrganisation] = {}
    for slugs in batches(list(by_slug)):
        existing |= found.in_bulk(slugs, field_name="slug")
    if create_only and existing:
        slug = next(iter(existing))
        raise Conflict(_("%(slug)s is already taken by another profile") % {"slug": slug}, "slug")
    read = {slug: found for slug, found in (read or {}).items() if slug in by_slug}
    expected = {**{slug: version for slug, (version, _doc) in read.items()}, **(versions or {})}
    for slug, version in expected.items():
        org = existing.get(slug)
        if org is None:
            raise NotFound(_("no cluster organisation %(slug)r") % {"slug": slug}, "slug")
        if org.version != version:
            raise StaleVersion(org, version)
    stored = {existing[slug].pk: doc for slug, (_version, doc) in read.items()}
    unread = [o.pk for o in existing.values() if o.pk not in stored]
    if unread:
        stored |= dict(document.to_documents(unread, write.using))
    pending = {
        p.organisation_id: ProfileDoc.model_validate(p.document)
        for p in PendingVersion.objects.using(write.using).filter(
            organisation_id__in=[o.pk for o in existing.values()]
        )
    } if existing else {}  # fmt: skip
    for slug, doc in by_slug.items():
        org = existing.get(slug)
        if org is None:
            change = Change(doc, action, status=new_status, note=note)
        else:
            change = Change(
                doc, action, before=stored[org.pk], org=org, status=status or org.status,
                status_before=org.status, pending=pending.get(org.pk), note=note,
            )  # fmt: skip
        write.changes.append(change)


class StaleVersion(Conflict):
    """The profile changed since the edit began: nothing was written."""

    def __init__(self, org: ClusterOrganisation, base_version: int):
        super().__init__(
            _(
                "%(slug)s: version %(current)s was saved after version %(base)s, "
                "which this edit started from"
            )
            % {"slug": org.slug, "current": org.version, "base": base_version}
        )
        self.slug, self.current_version = org.slug, org.version
        self.current = head_document(org)


def _leave_out_unchanged(write: Write, hold) -> None:
    """A document written back as it is stored changes nothing: no version, no
    revision. An edit of a published profile that must be reviewed is held."""
    kept = []
    for change in write.changes:
        if change.created:
            kept.append(change)
            continue
        change.held = bool(hold) and change.status == Status.PUBLISHED and hold(change)
        drops_pending = change.pending is not None and not change.keep_pending and not change.held
        if change.held:
            if change.doc == change.head:
                continue
        elif (
            change.doc == change.before
            and change.status == change.status_before
            and not drops_pending
        ):
            continue
        change.lists = document.changed_lists(change.before, change.doc)
        kept.append(change)
    write.changes[:] = kept


def _write_rows(write: Write, review_note: str | None) -> None:
    """Write the organisations and their changed lists; hold the edits to review."""
    using = write.using
    resolver = TermResolver(using)
    now = timezone.now()
    created, updated = [], []
    for change in write.changes:
        if change.created:
            change.org = ClusterOrganisation(created_at=now, status=change.status, version=1)
            created.append(change)
            continue
        change.org.version += 1
        if change.held:
            _hold(change, write, now)
            continue
        change.org.status = change.status
        if review_note is not None:
            change.org.review_note = review_note
        updated.append(change)
        if change.pending is not None and not change.keep_pending:
            PendingVersion.objects.using(using).filter(organisation=change.org).delete()
    for change in created + updated:
        document.apply_scalars(change.org, change.doc, resolver)
        change.org.updated_at = now
    try:
        document.insert_organisations(using, [c.org for c in created])
    except IntegrityError:
        # Another writer took the slug between our look-up and our insert.
        raise Conflict(_("this slug is already taken by another profile"), "slug") from None
    document.update_organisations(using, [c.org for c in updated], UPDATED_FIELDS)
    document.update_organisations(using, [c.org for c in write.changes if c.held], ["version"])
    written = created + updated
    document.write_rows(
        using,
        [c.doc for c in written],
        [c.org for c in written],
        [c.lists for c in written],
        resolver,
        _linked_ids(write),
    )


UPDATED_FIELDS = [
    f.name for f in ClusterOrganisation._meta.concrete_fields if f.name not in ("id", "created_at")
]


def _hold(change: Change, write: Write, now) -> None:
    if change.doc == change.before:  # the edit undone: nothing waits any longer
        PendingVersion.objects.using(write.using).filter(organisation=change.org).delete()
        return
    PendingVersion.objects.using(write.using).update_or_create(
        organisation=change.org,
        defaults={"document": change.doc.model_dump(mode="json"), "author": _user(write.author),
                  "updated_at": now},
    )  # fmt: skip


def _user(author):
    return author if getattr(author, "is_authenticated", False) else None


def _linked_ids(write: Write) -> dict[str, int]:
    """Slug → id of every profile the written documents link to (the resolution step
    made sure each exists)."""
    named = {
        slug
        for change in write.written
        for c in change.doc.collaborating_clusters
        for slug in (c.profile, c.candidate)
        if slug
    }
    ids = {c.org.slug: c.org.pk for c in write.written if c.doc.slug in named}
    for wanted in batches(list(named - set(ids))):
        ids.update(
            ClusterOrganisation.objects.using(write.using)
            .filter(slug__in=wanted)
            .values_list("slug", "pk")
        )
    return ids


def head_document(org: ClusterOrganisation) -> ProfileDoc:
    """What the profile's editors see: its edit waiting for review, else its document."""
    pending = PendingVersion.objects.using(org._state.db).filter(organisation=org).first()
    return ProfileDoc.model_validate(pending.document) if pending else document.to_document(org)


def delete_profiles(
    orgs: list[ClusterOrganisation], *, author=None, using: str | None = None
) -> int:
    """Delete these profiles. Entries of other profiles that linked to one of them, or
    proposed one, start over unresolved: a change of those profiles too."""
    STEPS.check()
    using = using or router.db_for_write(ClusterOrganisation)
    with transaction.atomic(using=using):
        others = STEPS.unlink(orgs, using)
        if others:
            save_profiles(
                others, action="resolve", author=author, resolve=False,
                keep_pending=True, note=_("a linked profile was deleted"), using=using,
            )  # fmt: skip
        ids = [o.pk for o in orgs]
        ClusterOrganisation.objects.using(using).filter(pk__in=ids).delete()
        STEPS.directory_changed(Write(using, author, deleted=ids))
    return len(ids)
