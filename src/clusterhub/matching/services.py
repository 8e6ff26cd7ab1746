"""The partner finder: for one cluster, every other published cluster scored, with reasons.

Each reason is a number from 0 to 1 per candidate, computed for all candidates at once
from the matching index; the score is their weighted mean, times 100. The weights
depend on what the user looks for (the intent). Only the proposals shown get their
reasons put in words. One function, `recommend`, serves the page, the API and the CLI.
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass

import numpy as np
from babel.numbers import format_percent
from django.utils.translation import get_language, gettext_noop, to_locale
from django.utils.translation import gettext as _

from clusterhub.core.errors import NotFound
from clusterhub.core.places import country_label
from clusterhub.directory.index import FacetColumn
from clusterhub.directory.services import select
from clusterhub.network.services import partners_of
from clusterhub.vocab.translations import term_label

from .index import MatchingIndex, get_matching_index, link_label, related_sectors
from .query import Partner, PartnerQuery, PartnerResult, Reason

# Weights of the reasons by intent: what the user said they look for.
BALANCED = {
    "same_sector": 3.0,
    "related_sector": 1.5,
    "technology_fields": 1.0,
    "s3_priority_areas": 0.75,
    "emerging_industries": 0.5,
    "geography": 3.0,
    "text": 1.5,
    "programmes": 0.5,
    "composition": 0.5,
}
WEIGHTS = {
    "balanced": BALANCED,
    "country": BALANCED,
    "same_sector_abroad": BALANCED | {"same_sector": 5.0, "related_sector": 0.5},
    "complementary": BALANCED
    | {"same_sector": 0.5, "related_sector": 4.0, "technology_fields": 1.5, "composition": 2.0},
    "programme": BALANCED | {"programmes": 3.0},
}
# Composition: research-heavy and SME-heavy memberships complement each other.
RESEARCH_HEAVY = 0.2
SME_HEAVY = 0.75
# Text similarity (cosine) at which the text reason counts fully.
TEXT_FULL = 0.5
TEXT_SHOWN = 0.1
# Programmes most profiles took part in say little about two of them.
PROGRAMME_COMMON_SHARE = 0.2
# Geography: located in a country the cluster targets counts more than the reverse.
LOCATED_IN_TARGET, TARGETS_OWN_COUNTRY = 0.6, 0.4


class NotRecommendable(NotFound):
    """No published profile has this slug."""


def _labels(column: FacetColumn, values) -> str:
    """The values' labels, in the reader's language."""
    return ", ".join(term_label(column.labels[v]) for v in values)


def _percent(share: float) -> str:
    """A share as the reader writes a percentage ("23 %" in French, "23%" in English)."""
    return format_percent(share, locale=to_locale(get_language() or "en"))


Explain = Callable[[int], str | None]


@dataclass
class Component:
    values: np.ndarray  # 0 to 1 per candidate ordinal
    explain: Explain  # the reason in words for one candidate


class Scorer:
    """Every reason for one cluster (`target`, an ordinal) against all the others."""

    def __init__(self, mi: MatchingIndex, target: int):
        self.mi, self.index, self.target = mi, mi.directory, target
        self.size = mi.size

    def components(self) -> dict[str, Component]:
        return {
            # One sector in common is the main thing; more, the better.
            "same_sector": self._shared(
                "sectoral_industries", gettext_noop("both in %(values)s"), first=0.5
            ),
            "related_sector": self._related(),
            "technology_fields": self._shared(
                "technology_fields", gettext_noop("shares the technology fields %(values)s")
            ),
            "s3_priority_areas": self._shared(
                "s3_priority_areas", gettext_noop("shares the S3 priority areas %(values)s")
            ),
            "emerging_industries": self._shared(
                "emerging_industries", gettext_noop("both in the emerging industries %(values)s")
            ),
            "geography": self._geography(),
            "text": self._text(),
            "programmes": self._programmes(),
            "composition": self._composition(),
        }  # fmt: skip

    def _shared(
        self,
        facet: str,
        phrase: str,
        skip: set[int] = frozenset(),
        full: int | None = None,
        first: float = 0.0,
    ) -> Component:
        """Values shared with the candidate (`phrase`, a message marked for translation,
        names them); counts fully when `full` (default: all of this cluster's values) are
        shared. `first`: what sharing one value counts already
        (the others share the rest)."""
        column = self.index.facets[facet]
        mine = [v for v in column.values_of(self.target) if v not in skip]
        counts = np.zeros(self.size)
        for v in mine:
            counts += column.has(v, self.size)

        def explain(other: int) -> str | None:
            shared = [v for v in column.values_of(other) if v in mine]
            return _(phrase) % {"values": _labels(column, shared)} if shared else None

        share = np.minimum(1.0, counts / max(1, full or len(mine)))
        return Component(np.where(counts > 0, first + (1 - first) * share, 0.0), explain)

    def _related(self) -> Component:
        column = self.index.facets["sectoral_industries"]
        relations = related_sectors()
        mine = [column.labels[v] for v in column.values_of(self.target)]
        by_label = {label: i for i, label in enumerate(column.labels)}
        linked: dict[int, tuple[str, str]] = {}  # related sector → (my sector, why)
        for sector in mine:
            for other, why in relations.get(sector, {}).items():
                if other not in mine and other in by_label:
                    linked.setdefault(by_label[other], (sector, why))
        counts = np.zeros(self.size)
        for v in linked:
            counts += column.has(v, self.size)

        def explain(other: int) -> str | None:
            parts = [
                _("in %(sector)s, next to your %(own)s in the value chain (%(link)s)")
                % {
                    "sector": term_label(column.labels[v]),
                    "own": term_label(linked[v][0]),
                    "link": link_label(linked[v][1]),
                }
                for v in column.values_of(other)
                if v in linked
            ]
            return "; ".join(parts) or None

        return Component(np.minimum(1.0, counts / max(1, len(mine))), explain)

    def _geography(self) -> Component:
        countries = self.index.facets["country"]
        targets = self.index.facets["target_countries"]
        own = self.index.countries[self.target]
        mine = [targets.values[v] for v in targets.values_of(self.target)]
        located = np.zeros(self.size, dtype=bool)
        for code in mine:
            if code in countries.lookup:
                located |= countries.has(countries.lookup[code], self.size)
        targeting = np.zeros(self.size, dtype=bool)
        if own and own in targets.lookup:
            targeting = targets.has(targets.lookup[own], self.size)
        values = LOCATED_IN_TARGET * located + TARGETS_OWN_COUNTRY * targeting

        def explain(other: int) -> str | None:
            parts = []
            if located[other]:
                parts.append(
                    _("you target %(country)s, where it is located")
                    % {"country": country_label(self.index.countries[other])}
                )
            if targeting[other]:
                parts.append(
                    _("it targets %(country)s, where you are located")
                    % {"country": country_label(own)}
                )
            return "; ".join(parts) or None

        return Component(values, explain)  # fmt: skip

    def _text(self) -> Component:
        text = self.mi.text
        similarity = text.similarity(self.target, self.size)
        similarity[self.target] = 0

        def explain(other: int) -> str | None:
            if similarity[other] < TEXT_SHOWN:
                return None
            shared = text.shared_words(self.target, other)
            if not shared:
                return None
            return _("similar descriptions (%(words)s)") % {"words": ", ".join(shared)}

        return Component(np.minimum(1.0, similarity / TEXT_FULL), explain)

    def _programmes(self) -> Component:
        column = self.index.facets["programmes"]
        if column.all_counts is None:
            column.all_counts = np.bincount(column.entries, minlength=len(column.values))
        common = {
            v
            for v in column.values_of(self.target)
            if column.all_counts[v] > PROGRAMME_COMMON_SHARE * self.size
            or column.values[v] == "other"
        }
        return self._shared(
            "programmes", gettext_noop("both took part in %(values)s"), skip=common, full=2
        )

    def _composition(self) -> Component:
        sme, research = self.mi.sme_share, self.mi.research_share
        mine_sme, mine_research = sme[self.target], research[self.target]
        with np.errstate(invalid="ignore"):
            if mine_research >= RESEARCH_HEAVY:
                values = sme >= SME_HEAVY
            elif mine_sme >= SME_HEAVY:
                values = research >= RESEARCH_HEAVY
            else:
                values = np.zeros(self.size, dtype=bool)

        def explain(other: int) -> str | None:
            if not values[other]:
                return None
            if mine_research >= RESEARCH_HEAVY:
                return _(
                    "SME-heavy (%(its)s of its members are SMEs), beside your research-heavy "
                    "membership (%(yours)s research organisations)"
                ) % {"its": _percent(sme[other]), "yours": _percent(mine_research)}
            return _(
                "research-heavy (%(its)s of its members are research organisations), beside "
                "your SME-heavy membership (%(yours)s SMEs)"
            ) % {"its": _percent(research[other]), "yours": _percent(mine_sme)}

        return Component(values.astype(np.float64), explain)


def _points(intent: str) -> dict[str, float]:
    """Per reason, the points it adds when it counts fully: the scores sum to 100."""
    weights = WEIGHTS[intent]
    total = sum(weights.values())
    return {kind: w * 100 / total for kind, w in weights.items()}


def scores(components: dict[str, Component], intent: str) -> np.ndarray:
    """The score, 0 to 100, of every candidate."""
    return sum(components[k].values * p for k, p in _points(intent).items())


def reasons(components: dict[str, Component], intent: str, other: int) -> list[Reason]:
    full = _points(intent)
    result = []
    for kind, component in components.items():
        points = float(component.values[other]) * full[kind]
        if points > 0 and (text := component.explain(other)):
            result.append(Reason(kind=kind, text=text, points=round(points, 1)))
    return sorted(result, key=lambda r: -r.points)


def recommend(
    slug: str, query: PartnerQuery, using: str = "default", among: Collection[int] | None = None
) -> PartnerResult:
    """The best new partners for the published profile `slug`, and its existing
    collaborations, each with its score and reasons; only organisations of the ids
    `among` if given (the other participants of an event)."""
    mi = get_matching_index(using)
    index = mi.directory
    target = index.ordinal_of(slug)  # the index lists the published profiles
    if target is None:
        raise NotRecommendable(_("no published profile %(slug)r") % {"slug": slug}, "slug")
    org = int(index.ids[target])
    components = Scorer(mi, target).components()
    score = scores(components, query.intent)
    allowed = select(query, using, index=index, among=among).final.copy()
    allowed[target] = False
    if query.intent == "same_sector_abroad":
        countries, own = index.facets["country"], index.countries[target]
        if own in countries.lookup:
            allowed &= ~countries.has(countries.lookup[own], mi.size)
        allowed &= components["same_sector"].values > 0
    elif query.intent == "complementary":
        allowed &= (components["related_sector"].values > 0) | (
            components["composition"].values > 0
        )
    known_ids = partners_of(org, using)
    if among is not None:
        known_ids = set(known_ids) & set(among)
    existing = index.ordinals(np.array(sorted(known_ids), dtype=np.int64))
    is_existing = np.zeros(mi.size, dtype=bool)
    is_existing[existing] = True
    proposable = np.flatnonzero(allowed & ~is_existing & (score > 0))  # no reason, no proposal
    top = proposable[np.lexsort((index.name_rank[proposable], -score[proposable]))][: query.limit]

    def partner(o: int, collaborating: bool) -> Partner:
        return Partner(
            slug=index.slugs[o],
            name=index.names[o],
            country=index.countries[o],
            score=round(float(score[o]), 1),
            reasons=reasons(components, query.intent, o),
            collaborating=collaborating,
            synthetic=bool(index.synthetic[o]),
        )

    known = existing[np.lexsort((index.name_rank[existing], -score[existing]))]
    return PartnerResult(
        slug=slug,
        name=index.names[target],
        intent=query.intent,
        candidates=int(allowed.sum()),
        partners=[partner(o, False) for o in top.tolist()],
        existing=[partner(o, True) for o in known.tolist()],
    )
