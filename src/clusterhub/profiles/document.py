"""The one mapping between the canonical document and the database.

`to_document(org)` reads a profile back as a `ProfileDoc`; `save_documents(docs)`
writes many at once (create or update by slug). Both are driven by the same
declarative tables below, so a key added to the document is mapped in one place.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import models, transaction
from django.utils import timezone

from clusterhub.vocab.models import Term
from clusterhub.vocab.services import TermResolver

from . import models as m
from .schema import ProfileDoc

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
    foreign keys to Term. `extra` is set on each row and tells rows sharing a
    table apart.
    """

    key: str
    model: type[models.Model]
    value: str | None = None
    fields: tuple[str, ...] = ()
    terms: dict[str, str] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def related_name(self) -> str:
        return self.model._meta.get_field("organisation").remote_field.related_name

    def belongs(self, row, labels: dict[int, tuple[str, str]]) -> bool:
        if any(getattr(row, k) != v for k, v in self.extra.items()):
            return False
        if self.value in self.terms:
            return labels[getattr(row, f"{self.value}_id")][0] == self.terms[self.value]
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
    RowList("collaborating_clusters", m.CollaboratingCluster, fields=("name", "location")),
    RowList(
        "programmes",
        m.Programme,
        fields=("level", "programme", "project", "years", "funder", "description", "link"),
    ),
)
CHILD_MODELS = tuple(dict.fromkeys(spec.model for spec in ROW_LISTS))
RELATED_NAMES = tuple(dict.fromkeys(spec.related_name for spec in ROW_LISTS))


def profile_queryset():
    """Organisations with every list prefetched: a fixed number of queries per page."""
    return m.ClusterOrganisation.objects.prefetch_related(*RELATED_NAMES)


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


def _set_path(data: dict, key: str, value) -> None:
    *parents, last = key.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    data[last] = value


def _from_db(name: str, value):
    if name in NULLABLE_STRINGS or (value == "" and name not in SCALARS):
        return value or None
    return value


def to_document(
    org: m.ClusterOrganisation, labels: dict[int, tuple[str, str]] | None = None
) -> ProfileDoc:
    """The canonical document of one organisation (use `profile_queryset()` to load it)."""
    labels = term_labels() if labels is None else labels
    data = {name: _from_db(name, getattr(org, name)) for name in SCALARS}
    for key in SCALAR_TERMS:
        term_id = getattr(org, f"{key}_id")
        data[key] = labels[term_id][1] if term_id else None
    data["members"] = {c: getattr(org, f"members_{c}") for c in MEMBER_COUNTS}
    rows_by_name = {name: list(getattr(org, name).all()) for name in RELATED_NAMES}
    for spec in ROW_LISTS:
        items = []
        for row in rows_by_name[spec.related_name]:
            if not spec.belongs(row, labels):
                continue
            names = (spec.value,) if spec.value else spec.fields
            values = {}
            for name in names:
                if name in spec.terms:
                    term_id = getattr(row, f"{name}_id")
                    values[name] = labels[term_id][1] if term_id else None
                else:
                    values[name] = _from_db(name, getattr(row, name))
            items.append(values[spec.value] if spec.value else values)
        _set_path(data, spec.key, items)
    return ProfileDoc.model_validate(data)


def to_documents(queryset=None, chunk_size: int = 500) -> Iterator[ProfileDoc]:
    """Every organisation of `queryset` (default: all, by slug), loaded in chunks."""
    queryset = (queryset if queryset is not None else m.ClusterOrganisation.objects).order_by(
        "slug"
    )
    labels = term_labels()
    pks = list(queryset.values_list("pk", flat=True))
    for start in range(0, len(pks), chunk_size):
        chunk = pks[start : start + chunk_size]
        by_pk = profile_queryset().in_bulk(chunk)
        for pk in chunk:
            yield to_document(by_pk[pk], labels)


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
    spec: RowList, org_id: int, items: list, resolver: TermResolver
) -> Iterator[models.Model]:
    for order, item in enumerate(items):
        values = {spec.value: item} if spec.value else item.model_dump()
        row = {}
        for name, value in values.items():
            if name in spec.terms:
                row[f"{name}_id"] = resolver.id_for(spec.terms[name], value) if value else None
            else:
                row[name] = "" if value is None else value
        yield spec.model(organisation_id=org_id, order=order, **spec.extra, **row)


def save_documents(docs: Iterable[ProfileDoc]) -> list[m.ClusterOrganisation]:
    """Create or update (by slug) the organisations of `docs`, all or nothing.

    Lists are replaced whole: the rows of an updated organisation are deleted and
    written again in the document's order.
    """
    by_slug = {doc.slug: doc for doc in docs}  # a slug given twice: the last one wins
    if not by_slug:
        return []
    with transaction.atomic():
        resolver = TermResolver()
        existing = m.ClusterOrganisation.objects.in_bulk(list(by_slug), field_name="slug")
        now = timezone.now()
        created, updated = [], []
        for slug, doc in by_slug.items():
            org = existing.get(slug)
            if org is None:
                org = m.ClusterOrganisation(created_at=now)
                created.append(org)
            else:
                updated.append(org)
            _apply_scalars(org, doc, resolver)
            org.updated_at = now
        if updated:
            fields = [
                f.name
                for f in m.ClusterOrganisation._meta.concrete_fields
                if not f.primary_key and f.name != "created_at"
            ]
            m.ClusterOrganisation.objects.bulk_update(updated, fields, batch_size=500)
            ids = [org.pk for org in updated]
            for model in CHILD_MODELS:
                model.objects.filter(organisation_id__in=ids).delete()
        m.ClusterOrganisation.objects.bulk_create(created, batch_size=500)
        rows: dict[type[models.Model], list[models.Model]] = {model: [] for model in CHILD_MODELS}
        orgs = created + updated
        for org in orgs:
            data = by_slug[org.slug]
            for spec in ROW_LISTS:
                rows[spec.model].extend(_rows(spec, org.pk, _get_path(data, spec.key), resolver))
        for model, batch in rows.items():
            model.objects.bulk_create(batch, batch_size=1000)
    return orgs


def save_document(doc: ProfileDoc) -> m.ClusterOrganisation:
    return save_documents([doc])[0]
