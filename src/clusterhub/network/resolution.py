"""Resolving "Which clusters do you collaborate with?" entries to directory profiles.

An entry is a name and a location as someone typed them ("Cap Digital", "Paris,
France"). It is compared with the published profiles by fuzzy matching of the name
(rapidfuzz's WRatio: typos, word order, a name inside a longer one) and by the
location (the country, then the city or region). The confidence decides:

- at or above AUTO_LINK, and clearly ahead of the runner-up: linked automatically;
- at or above SUGGEST: pending, the candidate waits for a moderator or an owner;
- below: unmatched, the entry stays as text.

Only the words of a name that few profiles share pick the candidates ("Digital" in
"Cap Digital", not "Cluster"), so an entry is compared with a few dozen names, not with
the whole directory.
"""

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
from django.db import connections, transaction
from rapidfuzz import fuzz, process

from clusterhub.directory.index import DirectoryIndex, bump_version, get_index
from clusterhub.directory.text import words
from clusterhub.ingest.places import country_code
from clusterhub.profiles.document import update_rows
from clusterhub.profiles.models import ClusterOrganisation, CollaboratingCluster, MatchStatus

AUTO_LINK = 0.92
SUGGEST = 0.60
# A runner-up this close to the best candidate makes the choice a person's.
AMBIGUOUS_MARGIN = 0.05
# Location: the same country as written keeps the name's score; no country written,
# a little less; another country, much less (a namesake elsewhere is likely).
SAME_COUNTRY, NO_COUNTRY, OTHER_COUNTRY = 1.0, 0.92, 0.65
# The city or region written is one of the candidate's regions or in its name.
PLACE_BONUS = 0.04
# Name words in more than this share of profiles (and at least COMMON_MIN of them) are
# common ("cluster", "innovation"): they neither pick candidates nor count in the score.
COMMON_SHARE = 0.02
COMMON_MIN = 20
# Words that name a kind of organisation, not one, whatever the directory's size.
GENERIC_WORDS = frozenset(
    "cluster clusters network association alliance innovation competence centre center "
    "platform pole the of and for de do da del des la le di".split()
)
MAX_CANDIDATES = 2000
# Words are intersected, rarest first, until the candidates are this few.
NARROW_ENOUGH = 200
# The place bonus is looked at for the best few; decisions need the best three (the
# best two once the entry's own profile is left out).
SCORED_PLACES = 10
RANKED = 3

# Statuses a later resolution may change. A person's decisions (confirmed, rejected)
# stay until a person changes them; so do automatic links.
OPEN = ("", MatchStatus.PENDING, MatchStatus.UNMATCHED)


@dataclass(frozen=True)
class Candidate:
    """A published profile an entry may name."""

    id: int
    slug: str
    name: str  # folded words, space-separated
    country: str | None
    places: frozenset[str]  # folded words of its regions and name

    @classmethod
    def of(cls, id: int, slug: str, name: str, country: str | None, regions: list[str]):
        """`name`: folded words, space-separated."""
        places = frozenset(name.split() + [w for r in regions for w in words(r)])
        return cls(id, slug, name, country or None, places)


@dataclass
class Resolution:
    profile: Candidate | None  # linked
    candidate: Candidate | None  # pending a person's confirmation
    confidence: float | None
    status: str

    def values(self) -> dict:
        """The entry's match keys, as in the document."""
        return {
            "profile": self.profile.slug if self.profile else None,
            "candidate": self.candidate.slug if self.candidate else None,
            "match_confidence": None if self.confidence is None else round(self.confidence, 3),
            "match_status": self.status,
        }


@dataclass
class Location:
    country: str | None
    places: frozenset[str]

    @classmethod
    def parse(cls, text: str | None) -> "Location":
        """ "Paris, France" → FR and {"paris"}; the country is the last part naming one."""
        parts = [p.strip() for p in (text or "").split(",") if p.strip()]
        country = None
        for i in range(len(parts) - 1, -1, -1):
            country = country_code(parts[i])
            if country:
                parts = parts[:i] + parts[i + 1 :]
                break
        return cls(country, frozenset(w for p in parts for w in words(p)))


@dataclass
class Directory:
    """The published profiles an entry can be resolved to, from the directory's index,
    with what resolving needs worked out once per index (`directory_of`)."""

    index: DirectoryIndex
    _folded: list[str] | None = None
    _distinct: list[str] | None = None
    _by_name: dict[str, list[int]] | None = None
    _common: frozenset[str] | None = None
    _candidates: dict[int, Candidate] = field(default_factory=dict)

    def candidate(self, ordinal: int) -> Candidate:
        found = self._candidates.get(ordinal)
        if found is None:
            index = self.index
            found = self._candidates[ordinal] = Candidate.of(
                int(index.ids[ordinal]),
                index.slugs[ordinal],
                self.folded()[ordinal],
                index.countries[ordinal],
                index.facets["regions"].labels_of(ordinal),
            )
        return found

    def folded(self) -> list[str]:
        """Per ordinal, the name's folded words."""
        if self._folded is None:
            self._folded = [" ".join(words(name)) for name in self.index.names]
        return self._folded

    def distinct(self) -> list[str]:
        """Per ordinal, the name without its common words."""
        if self._distinct is None:
            self._distinct = [self.distinctive(name) for name in self.folded()]
        return self._distinct

    def by_name(self) -> dict[str, list[int]]:
        if self._by_name is None:
            by_name: dict[str, list[int]] = {}
            for ordinal, name in enumerate(self.folded()):
                by_name.setdefault(name, []).append(ordinal)
            self._by_name = by_name
        return self._by_name

    def common(self) -> frozenset[str]:
        if self._common is None:
            name_words = self.index.name_words
            limit = max(COMMON_MIN, COMMON_SHARE * self.index.size)
            counts = np.diff(name_words.indptr)
            frequent = np.array(name_words.words)[counts > limit].tolist()
            self._common = GENERIC_WORDS | frozenset(frequent)
        return self._common

    def distinctive(self, name: str) -> str:
        """The name without its common words (all of it if that leaves nothing)."""
        kept = [w for w in name.split() if w not in self.common()]
        return " ".join(kept) if kept else name

    def ordinals(self, name: str, newer: set[int]) -> list[int]:
        """Profiles with the same name, or with its rarest uncommon word — and its next
        rarest words too while that leaves many. (A typo makes a word unknown, not
        another word, so the rarest known word is one the profile's name has.)"""
        uncommon = sorted(set(name.split()) - self.common())  # ties by word, as the index
        found_words = (self.index.name_words.docs_of(w) for w in uncommon)
        spans = sorted((docs for docs in found_words if docs is not None), key=len)
        chosen = np.zeros(0, dtype=np.int64)
        for i, having in enumerate(spans):
            narrower = having if i == 0 else np.intersect1d(chosen, having)
            if i and not len(narrower):
                break
            chosen = narrower
            if len(chosen) <= NARROW_ENOUGH:
                break
        found = dict.fromkeys([*self.by_name().get(name, ()), *chosen[:MAX_CANDIDATES].tolist()])
        # Profiles saved since the index was built (`newer`): their saved names count.
        return [o for o in found if int(self.index.ids[o]) not in newer] if newer else list(found)


# Candidates with their confidence, and whether their name is the entry's word for word.
Ranked = list[tuple[Candidate, float, bool]]

_directories: dict[str, Directory] = {}


def directory_of(using: str) -> Directory:
    """The Directory of the current index of `using`, kept while the index lasts: folding
    every name again on each save cost about a second at 100,000 profiles."""
    index = get_index(using)
    directory = _directories.get(using)
    if directory is None or directory.index is not index:
        directory = _directories[using] = Directory(index)
    return directory


def ranked(
    directory: Directory, name: str, location: str | None, newer: list[Candidate] = ()
) -> Ranked:
    """The best candidates for an entry (up to RANKED) with their confidence, best first.
    `newer`: profiles saved in the running transaction, which the index may not hold."""
    folded = " ".join(words(name))
    ordinals = directory.ordinals(folded, {c.id for c in newer})
    own_words = set(folded.split())
    extra = [c for c in newer if own_words & set(c.name.split())]
    if not ordinals and not extra:
        return []
    names = [directory.folded()[o] for o in ordinals] + [c.name for c in extra]
    distinct = [directory.distinct()[o] for o in ordinals]
    distinct += [directory.distinctive(c.name) for c in extra]
    countries = [directory.index.countries[o] for o in ordinals] + [c.country for c in extra]
    # The lower of two scores: whole names, and names without their common words (so
    # "Cluster Twist" is not close to every "… Cluster …").
    scores = np.minimum(
        process.cdist([folded], names, scorer=fuzz.WRatio)[0],
        process.cdist([directory.distinctive(folded)], distinct, scorer=fuzz.WRatio)[0],
    ) / 100  # fmt: skip
    place = Location.parse(location)
    if place.country is None:
        scores *= NO_COUNTRY
    else:
        scores *= [
            NO_COUNTRY if c is None else SAME_COUNTRY if c == place.country else OTHER_COUNTRY
            for c in countries
        ]
    best = []
    for i in np.argsort(-scores, kind="stable")[:SCORED_PLACES].tolist():
        c = directory.candidate(ordinals[i]) if i < len(ordinals) else extra[i - len(ordinals)]
        bonus = PLACE_BONUS if place.places & c.places else 0.0
        best.append((c, min(1.0, float(scores[i]) + bonus), c.name == folded))
    return sorted(best, key=lambda item: (-item[1], not item[2]))[:RANKED]


def decide(ranking: Ranked, own_id: int | None = None) -> Resolution:
    """The resolution of an entry of organisation `own_id` from its ranked candidates."""
    ranking = [item for item in ranking if item[0].id != own_id]
    if not ranking:
        return Resolution(None, None, None, MatchStatus.UNMATCHED)
    best, confidence, same_name = ranking[0]
    # The profile of exactly the name written is ahead of those only resembling it (the
    # same region and sector in other words); another of exactly that name is a rival.
    rivals = [s for _, s, same in ranking[1:] if same or not same_name]
    if rivals and rivals[0] > confidence - AMBIGUOUS_MARGIN:
        confidence = min(confidence, AUTO_LINK - 0.01)  # two alike: a person chooses
    if confidence >= AUTO_LINK:
        return Resolution(best, None, confidence, MatchStatus.LINKED)
    if confidence >= SUGGEST:
        return Resolution(None, best, confidence, MatchStatus.PENDING)
    return Resolution(None, None, None, MatchStatus.UNMATCHED)  # no one to be sure about


def resolve_entry(
    directory: Directory, name: str, location: str | None, own_id: int | None = None
) -> Resolution:
    return decide(ranked(directory, name, location), own_id)


_deferred = contextvars.ContextVar("resolution_deferred", default=False)


@contextmanager
def deferred():
    """Saves in this block leave their collaborations unresolved: a bulk import resolves
    the whole directory once at the end (`resolve_all`) instead of after every batch."""
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)


def is_deferred() -> bool:
    return _deferred.get()


@dataclass
class Report:
    entries: int = 0
    linked: int = 0
    pending: int = 0
    unmatched: int = 0
    changed: int = 0

    def count(self, status: str) -> None:
        self.entries += 1
        if status in (MatchStatus.LINKED, MatchStatus.CONFIRMED):
            self.linked += 1
        elif status == MatchStatus.PENDING:
            self.pending += 1
        else:
            self.unmatched += 1

    def summary(self) -> str:
        return (
            f"Collaborations: {self.entries} looked at, {self.linked} linked, "
            f"{self.pending} awaiting confirmation, {self.unmatched} not in the directory "
            f"({self.changed} changed)."
        )


def _open_entries(using: str):
    rows = CollaboratingCluster.objects.using(using).filter(match_status__in=OPEN)
    return rows.values_list(
        "pk", "organisation_id", "name", "location", "match_status", "candidate_id",
        "match_confidence", "profile_id",
    )  # fmt: skip


def _write(using: str, changes: list[tuple], report: Report) -> None:
    """UPDATE the resolved entries; their organisations' documents changed, so their
    version moves (an edit opened before must not overwrite the links unseen)."""
    columns = ("profile", "match_confidence", "match_status", "candidate", "id")
    update_rows(using, CollaboratingCluster, columns, [c[1:] for c in changes])
    org_ids = sorted({c[0] for c in changes})
    table = ClusterOrganisation._meta.db_table
    with connections[using].cursor() as cursor:
        for start in range(0, len(org_ids), 500):
            batch = org_ids[start : start + 500]
            cursor.execute(
                f"UPDATE {table} SET version = version + 1 WHERE id IN "
                f"({', '.join(['%s'] * len(batch))})",
                batch,
            )
    if changes:
        bump_version(using)
    report.changed += len(changes)


def _resolve_rows(
    using: str, directory: Directory, rows, report: Report, progress=None, newer=()
) -> None:
    rankings: dict[tuple, Ranked] = {}  # many entries name the same cluster alike
    changes = []
    for pk, org_id, name, location, status, candidate_id, confidence, profile_id in rows:
        key = (name, location)
        if key not in rankings:
            rankings[key] = ranked(directory, name, location, newer)
        result = decide(rankings[key], org_id)
        linked = result.profile.id if result.profile else None
        proposed = result.candidate.id if result.candidate else None
        report.count(result.status)
        new = (linked, result.values()["match_confidence"], result.status, proposed)
        if new != (profile_id, confidence, status, candidate_id):
            changes.append((org_id, *new, pk))
        if progress is not None:
            progress.update(1)
    with transaction.atomic(using=using):
        _write(using, changes, report)


def resolve_all(using: str = "default", progress=None) -> Report:
    """Resolve every entry not linked or confirmed yet, across the directory."""
    report = Report()
    directory = directory_of(using)
    rows = list(_open_entries(using))
    if progress is not None:
        progress.total = len(rows)
    _resolve_rows(using, directory, rows, report, progress)
    return report


def resolve_documents(docs: dict, using: str) -> None:
    """Fill in the resolution of the entries that have none, in documents about to be
    saved (so the saved document, its revision and its version include it)."""
    directory = None
    for slug, doc in docs.items():
        if all(c.match_status is not None for c in doc.collaborating_clusters):
            continue
        directory = directory or directory_of(using)
        own = ClusterOrganisation.objects.using(using).filter(slug=slug).values_list("pk")
        own_id = own[0][0] if own else None
        entries = [
            c
            if c.match_status is not None
            else c.model_copy(update=resolve_entry(directory, c.name, c.location, own_id).values())
            for c in doc.collaborating_clusters
        ]
        docs[slug] = doc.model_copy(update={"collaborating_clusters": entries})


def resolve_towards(organisations: list[ClusterOrganisation], using: str) -> Report:
    """Entries elsewhere that may name these (new or renamed) published profiles: those
    within reach of one of their names are resolved again, these profiles included."""
    report = Report()
    published = [o for o in organisations if o.is_public]
    if not published:
        return report
    directory = directory_of(using)
    newer = []
    for org in published:
        regions = list(org.regions.values_list("name", flat=True))
        name = " ".join(words(org.name))
        newer.append(Candidate.of(org.pk, org.slug, name, org.country, regions))
    rows = list(_open_entries(using))
    if not rows:
        return report
    names = [" ".join(words(r[2])) for r in rows]
    near = process.cdist(
        names, [c.name for c in newer], scorer=fuzz.WRatio, score_cutoff=SUGGEST * 100
    ).max(axis=1)
    nearby = [r for r, s in zip(rows, near, strict=True) if s]
    _resolve_rows(using, directory, nearby, report, newer=newer)
    return report
