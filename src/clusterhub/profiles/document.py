"""The one mapping between the canonical document and the database.

`to_document(org)` reads a profile back as a `ProfileDoc`, `to_documents(ids)` many;
`write_rows(...)` stores documents as rows. Which column or table holds a field follows
from its declaration (`schema.py`): a scalar is the column of its name on
`ClusterOrganisation` (`members.total` → `members_total`), a single vocabulary label a
foreign key to `Term`, a list the rows of the table `STORAGE` names — and a list of
vocabulary labels not named there the rows of `ProfileTerm`. Nothing else in the code
knows where a field is stored.

Only `profiles.writing` calls `write_rows`: every write goes through its steps.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache

from django.db import connections, models

from clusterhub.core.batches import batches
from clusterhub.vocab.services import TermResolver

from . import models as m
from .fields import FIELDS, LIST_KINDS, SCALAR_KINDS, Declared, get_value, set_path
from .schema import ProfileDoc


@dataclass(frozen=True)
class Storage:
    """The table of a list of the document: one row per item, `order` keeping the
    page's order. A list of single values names the column holding them (`value`);
    `extra` is set on every row and tells apart lists sharing a table."""

    model: type[models.Model]
    value: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


STORAGE: dict[str, Storage] = {
    "regions": Storage(m.Region, "name"),
    "other_labels": Storage(m.OtherLabel, "text"),
    "networks": Storage(m.Network),
    "management_team": Storage(m.TeamMember),
    "languages": Storage(m.Language, "code"),
    "entrepreneurship_facilities": Storage(m.EntrepreneurshipFacility),
    "major_players": Storage(m.MajorPlayer),
    "objectives": Storage(m.Objective, "text"),
    "services": Storage(m.Service),
    "international.target_countries": Storage(m.TargetCountry, "country", {"scope": "international"}),
    "international.activities": Storage(m.CooperationActivity, "activity", {"scope": "international"}),
    "transnational.target_countries": Storage(m.TargetCountry, "country", {"scope": "transnational"}),
    "transnational.activities": Storage(m.CooperationActivity, "activity", {"scope": "transnational"}),
    "collaborating_clusters": Storage(m.CollaboratingCluster),
    "programmes": Storage(m.Programme),
}  # fmt: skip
CLASSIFICATION = m.ProfileTerm


def column(path: str) -> str:
    """The ClusterOrganisation column of a scalar field."""
    return path.replace(".", "_")


@dataclass(frozen=True)
class RowList:
    """A list of the document and the table holding it."""

    declared: Declared
    storage: Storage

    @property
    def path(self) -> str:
        return self.declared.path

    @property
    def model(self) -> type[models.Model]:
        return self.storage.model

    @property
    def items(self) -> tuple[Declared, ...]:
        """The fields of one item: the item's own fields, or the one value."""
        return self.declared.children

    def read_columns(self) -> list[str]:
        """What one query reads per row: owner, order, `extra`, then the values — a
        vocabulary label or a linked profile's slug through its foreign key."""
        if self.storage.model is CLASSIFICATION:
            return ["organisation_id", "order", "term__vocabulary", "term__label"]
        if self.storage.value:
            value = self.storage.value
            if self.declared.kind == "vocabs":
                value = f"{value}__label"
            return ["organisation_id", "order", *self.storage.extra, value]
        return ["organisation_id", "order", *self.storage.extra, *map(_read_column, self.items)]

    def nullable(self) -> frozenset[str]:
        """The item fields whose column keeps a missing value as NULL."""
        return frozenset(f.key for f in self.items if self.model._meta.get_field(f.key).null)

    def write_columns(self) -> list[str]:
        if self.storage.model is CLASSIFICATION:
            return ["organisation_id", "order", "term_id"]
        if self.storage.value:
            value = self.storage.value
            return ["organisation_id", "order", *self.storage.extra,
                    f"{value}_id" if self.declared.kind == "vocabs" else value]  # fmt: skip
        return ["organisation_id", "order", *self.storage.extra, *map(_write_column, self.items)]


# Fields of items holding a profile: a slug in the document, a foreign key in the table.
LINKS = {"collaborating_clusters.profile", "collaborating_clusters.candidate"}


def _read_column(f: Declared) -> str:
    if f.kind == "vocab":
        return f"{f.key}__label"
    return f"{f.key}__slug" if f.path in LINKS else f.key


def _write_column(f: Declared) -> str:
    return f"{f.key}_id" if f.kind == "vocab" or f.path in LINKS else f.key


def _lists() -> tuple[RowList, ...]:
    lists = []
    for f in (f for top in FIELDS for f in (top, *top.children) if not f.in_items):
        if f.kind == "records" or f.kind in LIST_KINDS:
            storage = STORAGE.get(f.path)
            if storage is None and f.kind == "vocabs":
                storage = Storage(CLASSIFICATION)
            if storage is None:
                raise LookupError(f"{f.path}: a list needs its table in document.STORAGE")
            lists.append(RowList(f, storage))
    return tuple(lists)


ROW_LISTS = _lists()
CHILD_MODELS = tuple(dict.fromkeys(spec.model for spec in ROW_LISTS))
# The lists each table holds, in document order (several lists share a table).
LISTS_BY_TABLE = {
    model: tuple(spec for spec in ROW_LISTS if spec.model is model) for model in CHILD_MODELS
}
# Scalars: on ClusterOrganisation, a column or (one vocabulary label) a Term foreign key.
SCALARS = tuple(
    f for top in FIELDS for f in (top.children if top.kind == "group" else (top,))
    if f.kind in SCALAR_KINDS or f.path == "country_inferred_from"
)  # fmt: skip


def _scalar_columns() -> list[str]:
    return [f"{column(f.path)}__label" if f.kind == "vocab" else column(f.path) for f in SCALARS]


def _from_column(f: Declared, value):
    if f.path == "country_inferred_from":
        return value.split(",") if value else []
    if value == "" and f.kind not in ("name", "slug", "long"):
        return None
    return value


def _to_column(f: Declared, value):
    if f.path == "country_inferred_from":
        return ",".join(value)
    if value is None and f.kind not in ("int", "bool", "date", "vocab"):
        return ""
    return value


def _read_scalars(ids: list[int], using: str) -> tuple[dict[int, dict[str, list]], dict[int, dict]]:
    """The documents' scalars, with an empty list for each list: (the lists by
    organisation and path, the documents by organisation)."""
    names = ["pk", *_scalar_columns()]
    data: dict[int, dict] = {}
    lists: dict[int, dict[str, list]] = {}  # per organisation, each list of its document
    for values in m.ClusterOrganisation.objects.using(using).filter(pk__in=ids).values_list(*names):
        doc: dict = {}
        for f, value in zip(SCALARS, values[1:], strict=True):
            set_path(doc, f.path, _from_column(f, value))
        held = lists[values[0]] = {spec.path: [] for spec in ROW_LISTS}
        for path, items in held.items():
            set_path(doc, path, items)
        data[values[0]] = doc
    return lists, data


def _add_row(read, owners: "TableLists", row) -> None:
    """Put one row of a list table in the document it belongs to."""
    found = owners.of(row)
    if found is None:
        return  # a classification no field declares (any more)
    path, keys = found
    items = read[0][row[0]][path]
    if keys is None:
        items.append(row[-1])
    else:
        start = len(row) - len(keys)
        items.append({k: (None if v == "" else v) for k, v in zip(keys, row[start:], strict=True)})


def _read(ids: list[int], using: str) -> dict[int, dict]:
    """The documents of these organisations as data, one query per table (the ORM
    joining term labels and linked slugs), whatever the length of the lists."""
    if len(ids) == 1:  # an edit's one profile: the statements compiled once
        return _read_one(ids[0], using)
    read = _read_scalars(ids, using)
    for model, owners in TABLES.items():
        rows = (
            model.objects.using(using)
            .filter(organisation_id__in=ids)
            .order_by("organisation_id", "order")
            .values_list(*owners.columns)
        )
        for row in rows:
            _add_row(read, owners, row)
    return read[1]


@dataclass(frozen=True)
class TableLists:
    """The lists stored in one table: what one query reads, and which list a row is of."""

    columns: tuple[str, ...]
    # (vocabulary or `extra` values) → (document path, item keys; None: single values)
    by_tag: dict[tuple, tuple[str, tuple[str, ...] | None]]
    tag: slice

    def of(self, row: tuple):
        return self.by_tag.get(tuple(row[self.tag]))


def _tables() -> dict[type[models.Model], TableLists]:
    tables = {}
    for model, lists in LISTS_BY_TABLE.items():
        first = lists[0]
        if model is CLASSIFICATION:
            by_tag = {(s.declared.vocabulary,): (s.path, None) for s in lists}
            tag = slice(2, 3)
        else:
            size = len(first.storage.extra)
            by_tag = {
                tuple(s.storage.extra.values()): (
                    s.path,
                    None if s.storage.value else tuple(f.key for f in s.items),
                )
                for s in lists
            }
            tag = slice(2, 2 + size)
        tables[model] = TableLists(tuple(first.read_columns()), by_tag, tag)
    return tables


# A stand-in for the profile's id in the statements compiled once (`_one_profile`).
ONE = -7_000_000_001


@cache
def _one_profile(using: str) -> tuple[tuple[type[models.Model], str, list, list], ...]:
    """The statements reading one profile's lists, each compiled once by the ORM from
    the same querysets as `_read`. Compiling 15 querysets on every profile page cost
    more than running them (about 8 ms of a 34 ms page at 100,000 profiles;
    docs/performance.md, "Profile page")."""
    statements = []
    for model, owners in TABLES.items():
        query = (
            model.objects.using(using)
            .filter(organisation_id=ONE)
            .order_by("order")
            .values_list(*owners.columns)
            .query
        )
        sql, params = query.get_compiler(using).as_sql()
        fields = [query.resolve_ref(c).output_field for c in owners.columns]
        json_at = [i for i, f in enumerate(fields) if f.get_internal_type() == "JSONField"]
        statements.append((model, sql, list(params), json_at))
    return tuple(statements)


def _read_one(pk: int, using: str) -> dict[int, dict]:
    """`_read` of one organisation (none if there is no such one), by the compiled
    statements."""
    data = _read_scalars([pk], using)
    if not data[1]:
        return {}
    connection = connections[using]
    with connection.cursor() as cursor:
        for model, sql, params, json_at in _one_profile(using):
            cursor.execute(sql, [pk if p == ONE else p for p in params])
            for row in cursor.fetchall():
                if json_at:
                    row = list(row)
                    for i in json_at:
                        row[i] = JSON_FIELD.from_db_value(row[i], None, connection)
                _add_row(data, TABLES[model], row)
    return data[1]


def to_document(org: m.ClusterOrganisation | int, using: str | None = None) -> ProfileDoc:
    """The canonical document of one organisation."""
    pk = org if isinstance(org, int) else org.pk
    using = using or (org._state.db if not isinstance(org, int) else None) or "default"
    return ProfileDoc.model_validate(_read_one(pk, using)[pk])


def to_documents(
    ids: Iterable[int] | None = None, using: str = "default", chunk_size: int = 500
) -> Iterator[tuple[int, ProfileDoc]]:
    """(id, document) of the organisations `ids` (default: all), by slug, in chunks."""
    found = m.ClusterOrganisation.objects.using(using)
    if ids is None:
        pks = list(found.order_by("slug").values_list("pk", flat=True))
    else:
        pks = []
        for some in batches(list(ids)):
            pks += found.filter(pk__in=some).values_list("slug", "pk")
        pks = [pk for _slug, pk in sorted(pks)]
    for chunk in batches(pks, chunk_size):
        data = _read(chunk, using)
        for pk in chunk:
            yield pk, ProfileDoc.model_validate(data[pk])


# --- writing ---------------------------------------------------------------------


def apply_scalars(org: m.ClusterOrganisation, doc: ProfileDoc, resolver: TermResolver) -> None:
    """Set the organisation's columns from the document."""
    for f in SCALARS:
        value = get_value(doc, f.path)
        if f.kind == "vocab":
            setattr(
                org, f"{column(f.path)}_id", resolver.id_for(f.vocabulary, value) if value else None
            )
        else:
            setattr(org, column(f.path), _to_column(f, value))


def _rows(
    spec: RowList, org_id: int, items: list, resolver: TermResolver, profile_ids: dict
) -> list[tuple]:
    """Value tuples for `spec.write_columns()`, one per item (a hot loop on import)."""
    head = (org_id,)
    extra = tuple(spec.storage.extra.values())
    if spec.model is CLASSIFICATION or spec.declared.kind == "vocabs":
        vocabulary = spec.declared.vocabulary
        return [
            (*head, order, *extra, resolver.id_for(vocabulary, v)) for order, v in enumerate(items)
        ]
    if spec.storage.value:
        return [(*head, order, *extra, v) for order, v in enumerate(items)]
    rows = []
    plan = PLANS[spec.path]
    for order, item in enumerate(items):
        row = [*head, order, *extra]
        for key, how, vocabulary in plan:
            value = getattr(item, key)
            if how == TERM:
                row.append(resolver.id_for(vocabulary, value) if value else None)
            elif how == LINK:
                row.append(profile_ids[value] if value else None)
            elif value is None and how == TEXT:
                row.append("")  # an empty text column, not a NULL
            else:
                row.append(value)
        rows.append(tuple(row))
    return rows


TERM, LINK, TEXT, PLAIN = range(4)


def _plan(spec: RowList) -> tuple[tuple[str, int, str | None], ...]:
    """Per item field of a list of records: (key, how it is stored, vocabulary), worked
    out once (`_rows` runs for every item of every profile of an import)."""
    nullable = spec.nullable()
    plan = []
    for f in spec.items:
        how = (
            TERM
            if f.kind == "vocab"
            else LINK
            if f.path in LINKS
            else PLAIN
            if f.key in nullable
            else TEXT
        )
        plan.append((f.key, how, f.vocabulary))
    return tuple(plan)


PLANS = {spec.path: _plan(spec) for spec in ROW_LISTS}
TABLES = _tables()
JSON_FIELD = models.JSONField()


# Rows per INSERT statement. Many rows to a statement, not one statement per row:
# SQLite runs a statement's triggers, and FTS5 flushes its pending index, once per
# statement — row by row, the search index took longer to write than everything else.
ROWS_PER_INSERT = 200
# Values of these fields go to the database as they are; others (dates, JSON) are adapted.
PLAIN_FIELDS = {
    "BigAutoField", "BigIntegerField", "BooleanField", "CharField", "ForeignKey",
    "IntegerField", "PositiveIntegerField", "SlugField", "TextField", "FloatField",
}  # fmt: skip


class JsonText(str):
    """A JSON column's value already serialised (pydantic's `model_dump_json`, about five
    times faster than `json.dumps(model_dump())`): stored as it is."""


def _json(connection, text: JsonText):
    if connection.vendor == "postgresql":
        from psycopg.types.json import Jsonb

        return Jsonb(text, dumps=str)  # the text is the JSON: nothing to dump
    return str(text)


def insert_rows(
    using: str, model: type[models.Model], columns: list[str], rows: list[tuple]
) -> None:
    """INSERT many rows, each a tuple of values for `columns` (field names or attnames).

    Plain SQL over prepared values, for the bulk writes of import, demo and
    resolution: `bulk_create` builds a model instance per row and cost 11 times as
    much (docs/performance.md, "Write path": 200,000 list rows in 16.6 s, against 1.5 s
    this way)."""
    if not rows:
        return
    fields = [model._meta.get_field(c) for c in columns]
    connection = connections[using]
    quote = connection.ops.quote_name
    max_params = connection.features.max_query_params or 65535  # None: PostgreSQL's limit
    per_statement = max(1, min(ROWS_PER_INSERT, max_params // len(fields)))
    head = "INSERT INTO {} ({}) VALUES ".format(
        quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
    )
    one = "({})".format(", ".join(["%s"] * len(fields)))
    full = head + ", ".join([one] * per_statement)
    adapt = [i for i, f in enumerate(fields) if f.get_internal_type() not in PLAIN_FIELDS]
    if adapt:
        rows = [list(r) for r in rows]
        for row in rows:
            for i in adapt:
                if isinstance(row[i], JsonText):
                    row[i] = _json(connection, row[i])
                else:
                    row[i] = fields[i].get_db_prep_save(row[i], connection)
    with connection.cursor() as cursor:
        for batch in batches(rows, per_statement):
            sql = full if len(batch) == per_statement else head + ", ".join([one] * len(batch))
            cursor.execute(sql, [value for row in batch for value in row])


def insert_organisations(using: str, orgs: list[m.ClusterOrganisation]) -> None:
    """INSERT new organisations (with `insert_rows`), then read back their ids by slug.
    `bulk_create` cost 8.4 s per 20,000 organisations, against 4.7 s this way with the
    ids read back (docs/performance.md, "Write path")."""
    if not orgs:
        return
    model = m.ClusterOrganisation
    fields = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
    insert_rows(using, model, fields, [tuple(getattr(o, f) for f in fields) for o in orgs])
    by_slug = {o.slug: o for o in orgs}
    for slugs in batches(list(by_slug)):
        found = model.objects.using(using).filter(slug__in=slugs)
        for pk, slug in found.values_list("pk", "slug"):
            org = by_slug[slug]
            org.pk = pk
            org._state.adding, org._state.db = False, using  # written, and where


def update_organisations(using: str, orgs: list[m.ClusterOrganisation], names: list[str]) -> None:
    """UPDATE these columns of these organisations, by primary key: one statement run
    for every organisation (executemany).

    Plain SQL: `bulk_update` builds a CASE WHEN per column over every row of a batch,
    and resolving the collaborations of 20,000 profiles spent 232 s of its 346 s there
    (15.5 s per 1,000 organisations; docs/performance.md, "Write path")."""
    if not orgs:
        return
    model = m.ClusterOrganisation
    fields = [model._meta.get_field(n) for n in names]
    connection = connections[using]
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(model._meta.db_table),
        ", ".join(f"{quote(f.column)} = %s" for f in fields),
        quote(model._meta.pk.column),
    )
    rows = [
        [*(f.get_db_prep_save(getattr(org, f.attname), connection) for f in fields), org.pk]
        for org in orgs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def write_rows(
    using: str,
    docs: list[ProfileDoc],
    orgs: list[m.ClusterOrganisation],
    changed: list[set[str] | None],
    resolver: TermResolver,
    profile_ids: dict[str, int],
) -> None:
    """Replace the lists of these organisations (already saved) with their documents'.

    `changed[i]`: the paths of the lists that differ from what is stored (None: all,
    as for a new profile); other lists are left as they are."""
    for model, lists in LISTS_BY_TABLE.items():
        paths = {s.path for s in lists}
        touched = [o.pk for o, c in zip(orgs, changed, strict=True) if c is None or c & paths]
        replaced = [o.pk for o, c in zip(orgs, changed, strict=True) if c is not None and c & paths]
        for some in batches(replaced, 500):
            model.objects.using(using).filter(organisation_id__in=some).delete()
        wanted = set(touched)
        rows = [
            row
            for doc, org in zip(docs, orgs, strict=True)
            if org.pk in wanted
            for spec in lists
            for row in _rows(spec, org.pk, get_value(doc, spec.path), resolver, profile_ids)
        ]
        insert_rows(using, model, lists[0].write_columns(), rows)


def changed_lists(before: ProfileDoc, after: ProfileDoc) -> set[str]:
    """The paths of the lists whose items differ between two documents."""
    return {
        spec.path
        for spec in ROW_LISTS
        if get_value(before, spec.path) != get_value(after, spec.path)
    }


def facet_values(
    declared: Declared, using: str, ids: list[int] | None = None
) -> Iterator[tuple[int, object]]:
    """(organisation id, value) of one field for every profile (or those of `ids`), in
    page order: what the directory's facet index counts. A vocabulary label comes as
    (slug, label)."""
    vocab = declared.kind in ("vocab", "vocabs")
    if ids is not None and len(ids) == 1:  # an edit's one profile: the statement compiled once
        sql, params = _one_facet(declared, using)
        with connections[using].cursor() as cursor:
            cursor.execute(sql, [ids[0] if p == ONE else p for p in params])
            rows = cursor.fetchall()
    else:
        rows, owner = _facet_rows(declared, using)
        if ids is not None:
            rows = rows.filter(**{f"{owner}__in": ids})
        rows = rows.iterator(chunk_size=5000)
    for org_id, *values in rows:
        yield org_id, (tuple(values) if vocab else values[0])


def _facet_rows(declared: Declared, using: str) -> tuple[models.QuerySet, str]:
    """The rows of `facet_values` for every profile, by organisation and page order, and
    the name of their organisation's column."""
    vocab = declared.kind in ("vocab", "vocabs")
    if not declared.in_items and declared.path in {f.path for f in SCALARS}:
        name = column(declared.path)
        columns = [f"{name}__slug", f"{name}__label"] if vocab else [name]
        rows = m.ClusterOrganisation.objects.using(using).order_by("pk")
        return rows.values_list("pk", *columns), "pk"
    owner = declared.path.split(".")[0] if declared.in_items else declared.path
    spec = next(s for s in ROW_LISTS if s.path == owner)
    if spec.model is CLASSIFICATION:
        found = spec.model.objects.filter(term__vocabulary=declared.vocabulary)
        columns = ["term__slug", "term__label"]
    else:
        found = spec.model.objects.filter(**spec.storage.extra)
        name = declared.key if declared.in_items else spec.storage.value
        columns = [f"{name}__slug", f"{name}__label"] if vocab else [name]
    rows = found.using(using).order_by("organisation_id", "order")
    return rows.values_list("organisation_id", *columns), "organisation_id"


@cache
def _one_facet(declared: Declared, using: str) -> tuple[str, list]:
    """`facet_values`' statement for one profile, compiled once: the ORM composed about
    twenty of them for every edit (a third of the writer's time for the change log)."""
    rows, owner = _facet_rows(declared, using)
    query = rows.filter(**{owner: ONE}).query
    sql, params = query.get_compiler(using).as_sql()
    return sql, list(params)
