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

from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from clusterhub.core.batches import batches
from clusterhub.core.places import country_code
from clusterhub.directory.index import DirectoryIndex, get_index
from clusterhub.directory.text import words
from clusterhub.profiles.choices import LINKED, MatchStatus, Status
from clusterhub.profiles.document import to_documents
from clusterhub.profiles.models import ClusterOrganisation, CollaboratingCluster
from clusterhub.profiles.schema import ProfileDoc
from clusterhub.profiles.writing import Change, StaleVersion, Write, save_profiles

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
MATCH_KEYS = ("profile", "match_confidence", "match_status", "candidate")
UNRESOLVED = dict.fromkeys(MATCH_KEYS)


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
    # Worked out per ordinal as asked, not for all at once: an index is made by every
    # write, and folding 300,000 names cost half a second a write.
    _folded: dict[int, str] = field(default_factory=dict)
    _distinct: dict[int, str] = field(default_factory=dict)
    _common: frozenset[str] | None = None
    _candidates: dict[int, Candidate] = field(default_factory=dict)

    def candidate(self, ordinal: int) -> Candidate:
        found = self._candidates.get(ordinal)
        if found is None:
            index = self.index
            found = self._candidates[ordinal] = Candidate.of(
                int(index.ids[ordinal]),
                index.slugs[ordinal],
                self.folded(ordinal),
                index.countries[ordinal],
                index.facets["regions"].labels_of(ordinal),
            )
        return found

    def folded(self, ordinal: int) -> str:
        """The name's folded words."""
        found = self._folded.get(ordinal)
        if found is None:
            found = self._folded[ordinal] = " ".join(words(self.index.names[ordinal]))
        return found

    def distinct(self, ordinal: int) -> str:
        """The name without its common words."""
        found = self._distinct.get(ordinal)
        if found is None:
            found = self._distinct[ordinal] = self.distinctive(self.folded(ordinal))
        return found

    def named(self, name: str) -> list[int]:
        """The listed profiles whose folded name is `name`."""
        spans = sorted((self.index.name_words.docs_of(w) for w in set(name.split())), key=len)
        if not spans:
            return []
        having = spans[0]
        for docs in spans[1:]:
            having = within(having, docs)
        live = self.index.live
        return sorted(o for o in having.tolist() if live[o] and self.folded(o) == name)

    def common(self) -> frozenset[str]:
        if self._common is None:
            limit = max(COMMON_MIN, COMMON_SHARE * self.index.listed)
            self._common = GENERIC_WORDS | frozenset(self.index.name_words.frequent(limit))
        return self._common

    def distinctive(self, name: str) -> str:
        """The name without its common words (all of it if that leaves nothing)."""
        kept = [w for w in name.split() if w not in self.common()]
        return " ".join(kept) if kept else name

    def ordinals(self, name: str, excluded: set[int]) -> list[int]:
        """Profiles with the same name, or with its rarest uncommon word — and its next
        rarest words too while that leaves many. (A typo makes a word unknown, not
        another word, so the rarest known word is one the profile's name has.)"""
        uncommon = sorted(set(name.split()) - self.common())  # ties by word, as the index
        live = self.index.live
        found_words = (self.index.name_words.docs_of(w) for w in uncommon)
        spans = sorted((docs[live[docs]] for docs in found_words), key=len)
        spans = [docs for docs in spans if len(docs)]
        chosen = np.zeros(0, dtype=np.int64)
        for i, having in enumerate(spans):
            narrower = having if i == 0 else within(chosen, having)
            if i and not len(narrower):
                break
            chosen = narrower
            if len(chosen) <= NARROW_ENOUGH:
                break
        found = dict.fromkeys([*self.named(name), *chosen[:MAX_CANDIDATES].tolist()])
        # Profiles being written (`excluded`): what is written counts, not the index.
        return (
            [o for o in found if int(self.index.ids[o]) not in excluded]
            if excluded
            else list(found)
        )


def within(few: np.ndarray, many: np.ndarray) -> np.ndarray:
    """The organisations of `few` also in `many`, both ascending (a name word's, as the
    index keeps them): each of the few looked up by bisection. np.intersect1d sorts both
    again, and a name's common words ("cluster") are in most of the directory: resolving
    a name at 300,000 profiles took 31 ms that way, 0.05 ms this way."""
    if not len(many):
        return many
    at = np.minimum(np.searchsorted(many, few), len(many) - 1)
    return few[many[at] == few]


# Candidates with their confidence, and whether their name is the entry's word for word.
Ranked = list[tuple[Candidate, float, bool]]


def directory_of(using: str) -> Directory:
    """The Directory of the current index of `using`, kept while the index lasts: folding
    every name again on each save cost about a second at 100,000 profiles."""
    return get_index(using).derived("resolution", Directory)


def ranked(
    directory: Directory,
    name: str,
    location: str | None,
    newer: list[Candidate] = (),
    excluded: frozenset[int] = frozenset(),
) -> Ranked:
    """The best candidates for an entry (up to RANKED) with their confidence, best first.
    `newer`: the published profiles of the running write, which the index may not hold
    (or not as they are written); `excluded`: ids of every profile of that write."""
    folded = " ".join(words(name))
    ordinals = directory.ordinals(folded, excluded | {c.id for c in newer})
    own_words = set(folded.split())
    extra = [c for c in newer if own_words & set(c.name.split())]
    if not ordinals and not extra:
        return []
    names = [directory.folded(o) for o in ordinals] + [c.name for c in extra]
    distinct = [directory.distinct(o) for o in ordinals]
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


@dataclass
class Report:
    entries: int = 0
    linked: int = 0
    pending: int = 0
    unmatched: int = 0
    changed: int = 0

    def count(self, status: str) -> None:
        self.entries += 1
        if status in LINKED:
            self.linked += 1
        elif status == MatchStatus.PENDING:
            self.pending += 1
        else:
            self.unmatched += 1

    def summary(self) -> str:
        return _(
            "Collaborations: %(entries)s looked at, %(linked)s linked, %(pending)s awaiting "
            "confirmation, %(unmatched)s not in the directory (%(changed)s changed)."
        ) % vars(self)


# --- the step of every write (profiles.writing) ------------------------------------


def resolve_collaborations(write: Write) -> None:
    """The collaborations of the profiles being written, before their rows are:

    - entries sent without a resolution (the editor and ECCP pages carry the name and
      location only) keep the one stored for the same name and location;
    - a link or candidate that was not stored before must name a published profile
      (of the directory, or published by this write), else the entry starts over;
    - unless the write says not to (a bulk import resolves once at the end), entries
      still unresolved are resolved, and entries of other profiles that may name a
      profile this write publishes or renames are resolved again — changes of those
      profiles too, added to the write.
    """
    for change in write.changes:
        _keep_stored(change)
    _check_links(write)
    if not write.resolve:
        return
    directory = None
    newer = _published_candidates(write)
    excluded = frozenset(c.org.pk for c in write.changes if c.org is not None)
    rankings: dict[tuple, Ranked] = {}
    for i, change in enumerate(write.changes):
        if all(c.match_status is not None for c in change.doc.collaborating_clusters):
            continue
        directory = directory or directory_of(write.using)
        own = _own_id(change, i)
        entries = []
        for c in change.doc.collaborating_clusters:
            if c.match_status is None:
                key = (c.name, c.location)
                if key not in rankings:
                    rankings[key] = ranked(directory, c.name, c.location, newer, excluded)
                c = c.model_copy(update=decide(rankings[key], own).values())
            entries.append(c)
        change.doc = change.doc.model_copy(update={"collaborating_clusters": entries})
    towards = [c for c in newer if write.changes[c.position].becomes_public]
    if towards:
        _resolve_towards(write, directory or directory_of(write.using), towards, newer, excluded)


def _keep_stored(change: Change) -> None:
    stored = change.head
    if stored is None or all(c.match_status is not None for c in change.doc.collaborating_clusters):
        return
    previous = {
        (c.name, c.location): {k: getattr(c, k) for k in MATCH_KEYS}
        for c in stored.collaborating_clusters
        if c.match_status is not None
    }
    entries = [
        c.model_copy(update=previous.get((c.name, c.location), {})) if c.match_status is None else c
        for c in change.doc.collaborating_clusters
    ]
    change.doc = change.doc.model_copy(update={"collaborating_clusters": entries})


def _check_links(write: Write) -> None:
    """Links and candidates new to an entry name a published profile, else the entry
    starts over: a draft is never linked (nor proposed) before it is published."""
    fresh: dict[int, list[int]] = {}  # change → positions of entries with a new link
    for i, change in enumerate(write.changes):
        stored = {
            (c.name, c.location, c.profile, c.candidate)
            for c in (change.head.collaborating_clusters if change.head else ())
        }
        positions = [
            k for k, c in enumerate(change.doc.collaborating_clusters)
            if (c.profile or c.candidate) and (c.name, c.location, c.profile, c.candidate) not in stored
        ]  # fmt: skip
        if positions:
            fresh[i] = positions
    if not fresh:
        return
    named = {
        slug
        for i, positions in fresh.items()
        for k in positions
        for slug in (write.changes[i].doc.collaborating_clusters[k].profile,
                     write.changes[i].doc.collaborating_clusters[k].candidate)
        if slug
    }  # fmt: skip
    in_write = {c.doc.slug: c for c in write.changes}
    public = {s for s in named if s in in_write and in_write[s].status == Status.PUBLISHED}
    for wanted in batches(list(named - set(in_write))):
        public.update(
            ClusterOrganisation.objects.using(write.using)
            .filter(slug__in=wanted, status=Status.PUBLISHED)
            .values_list("slug", flat=True)
        )
    for i, positions in fresh.items():
        change = write.changes[i]
        entries = list(change.doc.collaborating_clusters)
        for k in positions:
            c = entries[k]
            if any(
                s and (s not in public or s == change.doc.slug) for s in (c.profile, c.candidate)
            ):
                entries[k] = c.model_copy(update=UNRESOLVED)
        change.doc = change.doc.model_copy(update={"collaborating_clusters": entries})


@dataclass(frozen=True)
class BatchCandidate(Candidate):
    position: int = 0  # of its change in the write


def _own_id(change: Change, position: int) -> int:
    """The profile's id; a stand-in for a profile not created yet."""
    return change.org.pk if change.org is not None else -(position + 1)


def _published_candidates(write: Write) -> list[BatchCandidate]:
    """The profiles of the write that are published once it is done, as candidates."""
    result = []
    for i, change in enumerate(write.changes):
        if change.status != Status.PUBLISHED:
            continue
        doc = change.before if change.held else change.doc
        base = Candidate.of(_own_id(change, i), doc.slug, " ".join(words(doc.name)), doc.country,
                            list(doc.regions))  # fmt: skip
        result.append(BatchCandidate(base.id, base.slug, base.name, base.country, base.places, i))
    return result


def _resolve_towards(write, directory, towards, newer, excluded) -> None:
    """Entries of other profiles within reach of the names of `towards` are resolved
    again; those that change join the write."""
    rows = [
        r for r in _open_entries(write.using)
        if r[1] not in excluded
    ]  # fmt: skip
    if not rows:
        return
    names = [" ".join(words(r[2])) for r in rows]
    near = process.cdist(
        names, [c.name for c in towards], scorer=fuzz.WRatio, score_cutoff=SUGGEST * 100
    ).max(axis=1)
    nearby = [r for r, s in zip(rows, near, strict=True) if s]
    by_org: dict[int, set[int]] = {}
    for pk, org_id, *_rest in nearby:
        by_org.setdefault(org_id, set()).add(pk)
    if not by_org:
        return
    orgs = ClusterOrganisation.objects.using(write.using).select_for_update().in_bulk(list(by_org))
    stored = dict(to_documents(list(by_org), write.using))
    for org_id, doc in stored.items():
        entries = []
        for c in doc.collaborating_clusters:
            if c.match_status in (None, *OPEN[1:]):
                found = decide(ranked(directory, c.name, c.location, newer, excluded), org_id)
                c = c.model_copy(update=found.values())
            entries.append(c)
        resolved = doc.model_copy(update={"collaborating_clusters": entries})
        if resolved != doc:
            org = orgs[org_id]
            write.changes.append(
                Change(resolved, "resolve", before=doc, org=org, status=org.status,
                       status_before=org.status, keep_pending=True,
                       note=_("collaborations resolved"))
            )  # fmt: skip


def _open_entries(using: str):
    rows = CollaboratingCluster.objects.using(using).filter(match_status__in=OPEN)
    return rows.values_list("pk", "organisation_id", "name", "location")


def unlink(orgs: list[ClusterOrganisation], using: str) -> list[ProfileDoc]:
    """Before these profiles are deleted: the documents of the other profiles whose
    entries link to one of them, or propose one, with those entries unmatched (which
    the next resolution looks at again)."""
    ids = [o.pk for o in orgs]
    naming = set(
        CollaboratingCluster.objects.using(using)
        .filter(profile_id__in=ids)
        .values_list("organisation_id", flat=True)
    ) | set(
        CollaboratingCluster.objects.using(using)
        .filter(candidate_id__in=ids)
        .values_list("organisation_id", flat=True)
    )
    naming -= set(ids)
    slugs = {o.slug for o in orgs}
    docs = []
    for _pk, doc in to_documents(naming, using):
        entries = [
            c.model_copy(update={**UNRESOLVED, "match_status": MatchStatus.UNMATCHED.value})
            if {c.profile, c.candidate} & slugs
            else c
            for c in doc.collaborating_clusters
        ]
        docs.append(doc.model_copy(update={"collaborating_clusters": entries}))
    return docs


def resolve_all(using: str = "default", progress=None, author=None) -> Report:
    """Resolve every entry not linked or decided yet, across the directory: the end of
    a bulk import, and `clusterhub resolve-collaborations`. The entries are resolved
    from their rows; the profiles whose entries change are then read whole and written
    through the write path, a thousand at a time, each with its revision."""
    report = Report()
    directory = directory_of(using)
    rows = list(
        CollaboratingCluster.objects.using(using)
        .filter(match_status__in=OPEN)
        .values_list(
            "organisation_id", "order", "name", "location", "match_status", "profile_id",
            "candidate_id", "match_confidence",
        )
    )  # fmt: skip
    if progress is not None:
        progress.total = len(rows)
    rankings: dict[tuple, Ranked] = {}
    # organisation → entry's order → (its name and location, its new match keys)
    updates: dict[int, dict[int, tuple[tuple, dict]]] = {}
    for org_id, order, name, location, status, profile_id, candidate_id, confidence in rows:
        key = (name, location or None)
        if key not in rankings:
            rankings[key] = ranked(directory, name, location or None)
        found = decide(rankings[key], org_id)
        report.count(found.status)
        new = (
            found.profile.id if found.profile else None,
            found.candidate.id if found.candidate else None,
            found.values()["match_confidence"],
            found.status,
        )
        if new != (profile_id, candidate_id, confidence, status):
            updates.setdefault(org_id, {})[order] = ((name, location or None), found.values())
            report.changed += 1
        if progress is not None:
            progress.update(1)
    for chunk in batches(sorted(updates), 1000):
        for attempt in range(2):
            read, docs = _resolved_chunk(using, chunk, updates)
            try:
                save_profiles(
                    docs, action="resolve", author=author, keep_pending=True, resolve=False,
                    stored=read, note=_("collaborations resolved"), using=using,
                )  # fmt: skip
                break
            except StaleVersion:  # an edit came in between: read those profiles again
                if attempt:
                    raise
    return report


def _resolved_chunk(using: str, owners: list[int], updates: dict):
    """The documents of these profiles as read (slug → version, document), and each
    with its entries' new resolution (by the entries' order, which is their position;
    an entry edited meanwhile is left for the next resolution)."""
    versions = dict(
        ClusterOrganisation.objects.using(using).filter(pk__in=owners).values_list("pk", "version")
    )
    read, docs = {}, []
    # Every document in full, from its rows: its revision records it whole.
    for org_id, doc in to_documents(owners, using):
        read[doc.slug] = (versions[org_id], doc)
        changed = updates[org_id]
        entries = [
            c.model_copy(update=changed[i][1])
            if i in changed and changed[i][0] == (c.name, c.location)
            else c
            for i, c in enumerate(doc.collaborating_clusters)
        ]
        docs.append(doc.model_copy(update={"collaborating_clusters": entries}))
    return read, docs


def resolve_entry(
    directory: Directory, name: str, location: str | None, own_id: int | None = None
) -> Resolution:
    return decide(ranked(directory, name, location), own_id)
