"""The one mapping between the canonical document and the database.

`to_document(org)` reads a profile back as a `ProfileDoc`; `save_documents(docs)`
writes many at once (create or update by slug). Both are driven by the same
declarative tables below, so a key added to the document is mapped in one place.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import connections, models, router, transaction
from django.utils import timezone

from clusterhub.vocab.models import Term
from clusterhub.vocab.services import TermResolver

from . import models as m
from .schema import ProfileDoc
from .signals import profiles_saved, profiles_saving

# Scalars with the same name in the document and on ClusterOrganisation.
SCALARS = (
    "name",
    "slug",
    "established",
    "country",
    "country_inferred_from",
    "website",
    "mission",
    "formalised_strategy",
    "internationalisation_strategy",
    "project_references",
    "success_story",
    "why_partner",
    "synthetic",
)
# Optional strings: null in the document, '' in the database.
NULLABLE_STRINGS = {"country", "country_inferred_from", "website"}
# Single vocabulary values: document key → vocabulary.
SCALAR_TERMS = {
    "management_team_size": "management_team_sizes",
    "cluster_excellence_label": "cluster_labels",
}
MEMBER_COUNTS = ("total", "sme", "large_companies", "research_organisations", "other_actors")


@dataclass(frozen=True)
class RowList:
    """A list of the document stored as rows of `model`.

    `key` is the document path ("international.target_countries"). A list of strings
    names the model field holding each string in `value`; a list of objects maps
    `fields` one to one. Fields named in `terms` hold vocabulary labels, stored as
    foreign keys to Term; fields in `links` hold profile slugs, stored as foreign
    keys to ClusterOrganisation. Fields in `nullable` keep None (other fields store
    None as ''). `extra` is set on each row and tells rows sharing a table apart.
    """

    key: str
    model: type[models.Model]
    value: str | None = None
    fields: tuple[str, ...] = ()
    terms: dict[str, str] = field(default_factory=dict)
    links: tuple[str, ...] = ()
    nullable: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def names(self) -> tuple[str, ...]:
        """The document names of one item's values."""
        return (self.value,) if self.value else self.fields

    @property
    def columns(self) -> tuple[str, ...]:
        """The table columns of one row: owner, order, `extra`, then the values."""
        values = (f"{n}_id" if n in self.terms or n in self.links else n for n in self.names)
        return ("organisation_id", "order", *self.extra, *values)

    def belongs(self, row: tuple, labels: dict[int, tuple[str, str]]) -> bool:
        """Is this row (of a table other lists share) one of this list's?"""
        if row[2 : 2 + len(self.extra)] != tuple(self.extra.values()):
            return False
        if self.value in self.terms:
            return labels[row[-1]][0] == self.terms[self.value]
        return True


def _classification(key: str) -> RowList:
    return RowList(key, m.ProfileTerm, value="term", terms={"term": key})


def _cooperation(scope: str) -> list[RowList]:
    return [
        RowList(
            f"{scope}.target_countries", m.TargetCountry, value="country", extra={"scope": scope}
        ),
        RowList(
            f"{scope}.activities",
            m.CooperationActivity,
            value="activity",
            terms={"activity": "cooperation_activities"},
            extra={"scope": scope},
        ),
    ]


ROW_LISTS: tuple[RowList, ...] = (
    RowList("regions", m.Region, value="name"),
    RowList("other_labels", m.OtherLabel, value="text"),
    RowList("networks", m.Network, fields=("name", "website")),
    RowList(
        "management_team",
        m.TeamMember,
        fields=("first_name", "last_name", "position", "telephone", "email"),
    ),
    RowList("languages", m.Language, value="code"),
    _classification("sectoral_industries"),
    _classification("technology_fields"),
    _classification("s3_priority_areas"),
    _classification("emerging_industries"),
    RowList(
        "entrepreneurship_facilities",
        m.EntrepreneurshipFacility,
        fields=("name", "website", "type"),
        terms={"type": "organisation_types"},
    ),
    RowList(
        "major_players",
        m.MajorPlayer,
        fields=("name", "website", "type"),
        terms={"type": "organisation_types"},
    ),
    RowList("objectives", m.Objective, value="text"),
    RowList(
        "services",
        m.Service,
        fields=("service", "details"),
        terms={"service": "support_services"},
    ),
    *_cooperation("international"),
    *_cooperation("transnational"),
    RowList(
        "collaborating_clusters",
        m.CollaboratingCluster,
        fields=("name", "location", "profile", "match_confidence", "match_status", "candidate"),
        links=("profile", "candidate"),
        nullable=("match_confidence",),
    ),
    RowList(
        "programmes",
        m.Programme,
        fields=("level", "programme", "project", "years", "funder", "description", "link"),
    ),
)
# Lists sharing a table have the same columns, so one query reads the table.
TABLE_COLUMNS = {spec.model: spec.columns for spec in ROW_LISTS}
assert all(TABLE_COLUMNS[spec.model] == spec.columns for spec in ROW_LISTS)
CHILD_MODELS = tuple(TABLE_COLUMNS)
# Per table, the positions of the columns holding a profile (an id in the table, a
# slug in the document and in the rows `load_rows` returns).
LINK_COLUMNS = {
    spec.model: [spec.columns.index(f"{n}_id") for n in spec.links]
    for spec in ROW_LISTS
    if spec.links
}


def term_labels() -> dict[int, tuple[str, str]]:
    """Term id → (vocabulary, label); the vocabularies are small."""
    return {
        pk: (vocab, label)
        for pk, vocab, label in Term.objects.values_list("pk", "vocabulary", "label")
    }


def _get_path(doc: ProfileDoc, key: str):
    for part in key.split("."):
        doc = getattr(doc, part)
    return doc


def set_path(data: dict, key: str, value) -> None:
    """Put `value` at a dotted document path ("international.target_countries")."""
    *parents, last = key.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    data[last] = value


def _from_db(name: str, value):
    if name in NULLABLE_STRINGS or (value == "" and name not in SCALARS):
        return value or None
    return value


Rows = dict[type[models.Model], list[tuple]]


def load_rows(org_ids: list[int]) -> dict[int, Rows]:
    """Every list row of these organisations, as tuples of `TABLE_COLUMNS`, in order.

    Plain SQL, one query per table: building model instances and compiling ORM
    queries cost more than the reads themselves on a profile page.
    """
    result: dict[int, Rows] = {pk: {model: [] for model in CHILD_MODELS} for pk in org_ids}
    if not org_ids:
        return result
    connection = connections[router.db_for_read(m.ClusterOrganisation)]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model, columns in TABLE_COLUMNS.items():
            fields = [model._meta.get_field(c) for c in columns]
            json_at = [i for i, f in enumerate(fields) if f.get_internal_type() == "JSONField"]
            cursor.execute(
                "SELECT {} FROM {} WHERE {} IN ({}) ORDER BY {}, {}".format(
                    ", ".join(quote(f.column) for f in fields),
                    quote(model._meta.db_table),
                    quote("organisation_id"),
                    ", ".join(["%s"] * len(org_ids)),
                    quote("organisation_id"),
                    quote("order"),
                ),
                org_ids,
            )
            for row in cursor.fetchall():
                if json_at:
                    row = list(row)
                    for i in json_at:
                        row[i] = fields[i].from_db_value(row[i], None, connection)
                result[row[0]][model].append(tuple(row))
    _links_as_slugs(connection.alias, result)
    return result


def _links_as_slugs(alias: str, result: dict[int, Rows]) -> None:
    for model, positions in LINK_COLUMNS.items():
        ids = {r[i] for rows in result.values() for r in rows[model] for i in positions} - {None}
        if not ids:
            continue
        slugs = dict(
            m.ClusterOrganisation.objects.using(alias).filter(pk__in=ids).values_list("pk", "slug")
        )
        for rows in result.values():
            rows[model] = [
                tuple(slugs.get(v) if i in positions and v else v for i, v in enumerate(r))
                for r in rows[model]
            ]


def to_document(
    org: m.ClusterOrganisation,
    rows: Rows | None = None,
    labels: dict[int, tuple[str, str]] | None = None,
) -> ProfileDoc:
    """The canonical document of one organisation."""
    rows = load_rows([org.pk])[org.pk] if rows is None else rows
    labels = term_labels() if labels is None else labels
    data = {name: _from_db(name, getattr(org, name)) for name in SCALARS}
    for key in SCALAR_TERMS:
        term_id = getattr(org, f"{key}_id")
        data[key] = labels[term_id][1] if term_id else None
    data["members"] = {c: getattr(org, f"members_{c}") for c in MEMBER_COUNTS}
    for spec in ROW_LISTS:
        first = 2 + len(spec.extra)
        items = []
        for row in rows[spec.model]:
            if not spec.belongs(row, labels):
                continue
            values = {}
            for name, value in zip(spec.names, row[first:], strict=True):
                if name in spec.terms:
                    values[name] = labels[value][1] if value else None
                else:
                    values[name] = _from_db(name, value)
            items.append(values[spec.value] if spec.value else values)
        set_path(data, spec.key, items)
    return ProfileDoc.model_validate(data)


def to_documents(ids: Iterable[int] | None = None, chunk_size: int = 500) -> Iterator[ProfileDoc]:
    """The organisations `ids` (default: all), by slug, loaded in chunks."""
    labels = term_labels()
    pks = list(m.ClusterOrganisation.objects.order_by("slug").values_list("pk", flat=True))
    if ids is not None:
        wanted = set(ids)
        pks = [pk for pk in pks if pk in wanted]
    for start in range(0, len(pks), chunk_size):
        chunk = pks[start : start + chunk_size]
        orgs = m.ClusterOrganisation.objects.in_bulk(chunk)
        rows = load_rows(chunk)
        for pk in chunk:
            yield to_document(orgs[pk], rows[pk], labels)


def _apply_scalars(org: m.ClusterOrganisation, doc: ProfileDoc, resolver: TermResolver) -> None:
    for name in SCALARS:
        value = getattr(doc, name)
        setattr(org, name, "" if value is None and name in NULLABLE_STRINGS else value)
    for key, vocabulary in SCALAR_TERMS.items():
        label = getattr(doc, key)
        setattr(org, f"{key}_id", resolver.id_for(vocabulary, label) if label else None)
    for count in MEMBER_COUNTS:
        setattr(org, f"members_{count}", getattr(doc.members, count))


def _rows(
    spec: RowList, org_id: int, items: list, resolver: TermResolver, profile_ids: dict[str, int]
) -> list[tuple]:
    """Value tuples for `spec.columns`, one per item of the list (a hot loop on import)."""
    head = (org_id, *spec.extra.values())
    if spec.value:
        vocabulary = spec.terms.get(spec.value)
        if vocabulary:
            items = [resolver.id_for(vocabulary, v) for v in items]
        return [(*head[:1], order, *head[1:], v) for order, v in enumerate(items)]
    rows = []
    for order, item in enumerate(items):
        row = [*head[:1], order, *head[1:]]
        for name in spec.names:
            value = getattr(item, name)
            if name in spec.terms:
                row.append(resolver.id_for(spec.terms[name], value) if value else None)
            elif name in spec.links:
                row.append(profile_ids[value] if value else None)
            else:
                row.append("" if value is None and name not in spec.nullable else value)
        rows.append(tuple(row))
    return rows


# Values of these fields go to the database as they are; others (dates, JSON) are adapted.
PLAIN_FIELDS = {
    "BigAutoField", "BigIntegerField", "BooleanField", "CharField", "ForeignKey",
    "IntegerField", "PositiveIntegerField", "SlugField", "TextField",
}  # fmt: skip


def _adapted(connection, fields: list, rows: list[tuple]) -> list:
    adapt = [i for i, f in enumerate(fields) if f.get_internal_type() not in PLAIN_FIELDS]
    if not adapt:
        return rows
    rows = [list(r) for r in rows]
    for row in rows:
        for i in adapt:
            row[i] = fields[i].get_db_prep_save(row[i], connection)
    return rows


def _update_many(using: str, model: type[models.Model], fields: list, rows: list[tuple]) -> None:
    """UPDATE rows by primary key (the last value of each row) with plain SQL."""
    connection = connections[using]
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(model._meta.db_table),
        ", ".join(f"{quote(f.column)} = %s" for f in fields[:-1]),
        quote(model._meta.pk.column),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, _adapted(connection, fields, rows))


def update_rows(
    using: str, model: type[models.Model], columns: tuple[str, ...], rows: list[tuple]
) -> None:
    """UPDATE rows of `model`: values for `columns`, the last column the primary key."""
    _update_many(using, model, [model._meta.get_field(c) for c in columns], rows)


# Rows per INSERT statement. Many rows to a statement, not one statement per row:
# SQLite runs a statement's triggers, and FTS5 flushes its pending index, once per
# statement — row by row, the search index took longer to write than everything else.
ROWS_PER_INSERT = 200


def _insert_many(using: str, model: type[models.Model], fields: list, rows: list[tuple]) -> None:
    """Plain SQL over prepared values: on bulk writes, Django's per-object query building
    cost far more than the writes themselves."""
    connection = connections[using]
    quote = connection.ops.quote_name
    max_params = connection.features.max_query_params or 65535  # None: PostgreSQL's limit
    per_statement = max(1, min(ROWS_PER_INSERT, max_params // len(fields)))
    head = "INSERT INTO {} ({}) VALUES ".format(
        quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
    )
    one = "({})".format(", ".join(["%s"] * len(fields)))
    full = head + ", ".join([one] * per_statement)
    rows = _adapted(connection, fields, rows)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            batch = rows[start : start + per_statement]
            sql = full if len(batch) == per_statement else head + ", ".join([one] * len(batch))
            cursor.execute(sql, [value for row in batch for value in row])


def insert_rows(
    using: str, model: type[models.Model], columns: tuple[str, ...], rows: list[tuple]
) -> None:
    """INSERT many rows of values for `columns` (field names or attnames) of `model`."""
    _insert_many(using, model, [model._meta.get_field(c) for c in columns], rows)


def _write_organisations(using: str, created: list, updated: list) -> None:
    """INSERT the new organisations (then read back their ids), UPDATE the known ones."""
    model = m.ClusterOrganisation
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    if created:
        _insert_many(
            using,
            model,
            fields,
            [tuple(getattr(org, f.attname) for f in fields) for org in created],
        )
        by_slug = {org.slug: org for org in created}
        slugs = list(by_slug)
        for start in range(0, len(slugs), 1000):
            batch = slugs[start : start + 1000]
            found = model.objects.using(using).filter(slug__in=batch).values_list("pk", "slug")
            for pk, slug in found:
                by_slug[slug].pk = pk
                # Written: no longer a new instance, and it lives in `using`.
                by_slug[slug]._state.adding, by_slug[slug]._state.db = False, using
    if updated:
        fields = [f for f in fields if f.name != "created_at"] + [model._meta.pk]
        _update_many(
            using,
            model,
            fields,
            [tuple(getattr(org, f.attname) for f in fields) for org in updated],
        )


MATCH_KEYS = ("profile", "match_confidence", "match_status", "candidate")


def _with_collaborations(doc: ProfileDoc, entries: list) -> ProfileDoc:
    return doc.model_copy(update={"collaborating_clusters": entries})


def _keep_resolutions(using: str, by_slug: dict[str, ProfileDoc], updated: list) -> None:
    """Entries of "Which clusters do you collaborate with?" that come without a resolution
    (the editor and ECCP pages carry the name and location only) keep the one their
    previous version had, matched by name and location."""
    unresolved = {
        org.pk: org.slug
        for org in updated
        if any(c.match_status is None for c in by_slug[org.slug].collaborating_clusters)
    }
    previous: dict[tuple, dict] = {}
    pks = list(unresolved)
    for start in range(0, len(pks), 1000):
        found = m.CollaboratingCluster.objects.using(using).filter(
            organisation_id__in=pks[start : start + 1000]
        )
        for org_id, name, location, *match in found.exclude(match_status="").values_list(
            "organisation_id", "name", "location", "profile__slug", "match_confidence",
            "match_status", "candidate__slug",
        ):  # fmt: skip
            previous[(org_id, name, location)] = dict(zip(MATCH_KEYS, match, strict=True))
    if not previous:
        return
    for org_id, slug in unresolved.items():
        doc = by_slug[slug]
        entries = [
            c.model_copy(update=previous.get((org_id, c.name, c.location or ""), {}))
            if c.match_status is None
            else c
            for c in doc.collaborating_clusters
        ]
        by_slug[slug] = _with_collaborations(doc, entries)


def _linked_profiles(using: str, by_slug: dict[str, ProfileDoc], orgs: list) -> dict[str, int]:
    """Slug → id of every profile the documents link to. An entry naming a profile that
    does not exist starts over, unresolved (the resolution will look at it again)."""
    named = {
        slug
        for doc in by_slug.values()
        for c in doc.collaborating_clusters
        for slug in (c.profile, c.candidate)
        if slug
    }
    if not named:
        return {}
    ids = {org.slug: org.pk for org in orgs if org.slug in named}
    wanted = list(named - set(ids))
    for start in range(0, len(wanted), 1000):
        ids.update(
            m.ClusterOrganisation.objects.using(using)
            .filter(slug__in=wanted[start : start + 1000])
            .values_list("slug", "pk")
        )

    def unknown(entry) -> bool:
        return any(s and s not in ids for s in (entry.profile, entry.candidate))

    for slug, doc in list(by_slug.items()):
        if any(map(unknown, doc.collaborating_clusters)):
            fresh = [
                c.model_copy(update=dict.fromkeys(MATCH_KEYS)) if unknown(c) else c
                for c in doc.collaborating_clusters
            ]
            by_slug[slug] = _with_collaborations(doc, fresh)
    return ids


def save_documents(
    docs: Iterable[ProfileDoc], using: str | None = None, recorded: bool = False
) -> list[m.ClusterOrganisation]:
    """Create or update (by slug) the organisations of `docs`, all or nothing.

    `recorded`: the caller keeps the history of this save itself (the editor, the
    admin); otherwise (imports) the accounts app records it for profiles with owners.

    Lists are replaced whole: the rows of an updated organisation are deleted and
    written again in the document's order.
    """
    by_slug = {doc.slug: doc for doc in docs}  # a slug given twice: the last one wins
    if not by_slug:
        return []
    using = using or router.db_for_write(m.ClusterOrganisation)
    with transaction.atomic(using=using):
        resolver = TermResolver(using)
        existing = m.ClusterOrganisation.objects.using(using).in_bulk(
            list(by_slug), field_name="slug"
        )
        now = timezone.now()
        created, updated = [], []
        for slug, doc in by_slug.items():
            org = existing.get(slug)
            if org is None:
                org = m.ClusterOrganisation(created_at=now)
                created.append(org)
            else:
                org.version += 1
                updated.append(org)
            _apply_scalars(org, doc, resolver)
            org.updated_at = now
        _keep_resolutions(using, by_slug, updated)
        profiles_saving.send(m.ClusterOrganisation, documents=by_slug, using=using)
        if updated:
            ids = [org.pk for org in updated]
            for model in CHILD_MODELS:
                model.objects.using(using).filter(organisation_id__in=ids).delete()
        _write_organisations(using, created, updated)
        orgs = created + updated
        profile_ids = _linked_profiles(using, by_slug, orgs)
        rows: Rows = {model: [] for model in CHILD_MODELS}
        for org in orgs:
            data = by_slug[org.slug]
            for spec in ROW_LISTS:
                items = _get_path(data, spec.key)
                rows[spec.model].extend(_rows(spec, org.pk, items, resolver, profile_ids))
        for model, batch in rows.items():
            insert_rows(using, model, TABLE_COLUMNS[model], batch)
        profiles_saved.send(
            m.ClusterOrganisation,
            organisations=orgs,
            documents=[by_slug[o.slug] for o in orgs],
            using=using,
            recorded=recorded,
        )
    return orgs


def save_document(doc: ProfileDoc) -> m.ClusterOrganisation:
    return save_documents([doc])[0]
