"""Deterministic synthetic cluster profiles for demos, tests and benchmarks.

Every generated profile has `synthetic: true`. Values are drawn from the shipped
vocabularies and ~60 countries (Europe weighted up, as on the ECCP). Collaborations
follow simple plausible rules — partners tend to share a sectoral industry, to sit
abroad, and to be in a country the cluster targets — independent of any
recommender's scoring.
"""

import gettext
import random
import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from functools import cache
from pathlib import Path

import phonenumbers
import pycountry
from django.utils.text import slugify

from clusterhub.core.places import country_name
from clusterhub.matching.index import related_sectors
from clusterhub.profiles.schema import ProfileDoc
from clusterhub.vocab.services import vocabularies

SEED_PAGE = Path(__file__).resolve().parent / "data" / "clag.txt"

EUROPE = (
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE "
    "NO IS CH GB TR RS ME MK AL BA UA MD GE AM"
).split()
WORLD = "IL TN MA EG US CA MX BR CL CO AR JP KR CN IN SG ZA AU NZ VN TH".split()
# Official languages for the "Languages spoken" field (English is added to most).
LANGUAGES = {
    "AT": "de", "BE": "fr nl", "BG": "bg", "HR": "hr", "CY": "el", "CZ": "cs", "DK": "da",
    "EE": "et", "FI": "fi sv", "FR": "fr", "DE": "de", "GR": "el", "HU": "hu", "IE": "ga",
    "IT": "it", "LV": "lv", "LT": "lt", "LU": "fr de", "MT": "mt", "NL": "nl", "PL": "pl",
    "PT": "pt", "RO": "ro", "SK": "sk", "SI": "sl", "ES": "es", "SE": "sv", "NO": "no",
    "IS": "is", "CH": "de fr it", "GB": "", "TR": "tr", "RS": "sr", "ME": "sr", "MK": "mk",
    "AL": "sq", "BA": "bs", "UA": "uk", "MD": "ro", "GE": "ka", "AM": "hy", "IL": "he",
    "TN": "ar fr", "MA": "ar fr", "EG": "ar", "US": "", "CA": "fr", "MX": "es", "BR": "pt",
    "CL": "es", "CO": "es", "AR": "es", "JP": "ja", "KR": "ko", "CN": "zh", "IN": "hi",
    "SG": "zh ms", "ZA": "af", "AU": "", "NZ": "", "VN": "vi", "TH": "th",
}  # fmt: skip
FIRST_NAMES = (
    "Ana Marta Laura Elena Sofia Clara Eva Julia Anna Maria Ingrid Katarzyna Zuzana Ioana "
    "Pedro Jan Lukas Marco Pierre Tomas Mikael Andrei Nikos Pablo David Peter Jonas Luca "
    "Hanna Lea Emma Olga Petra Irene Sara Noor Aylin Mateo Hugo Karl Erik Milan Janek"
).split()
LAST_NAMES = (
    "García Müller Rossi Dubois Novak Kowalski Jensen Silva Papadopoulos Horvat Nagy Popescu "
    "Virtanen Andersson Fischer Moreau Ferreira Costa Janssen Peeters Berg Smith Kelly Murphy "
    "Yilmaz Ivanova Petrov Lindqvist Schmidt Romano Lopez Martin Bianchi Sousa Kovač"
).split()
POSITIONS = (
    "Cluster Manager", "Managing Director", "International Project Manager",
    "ECCP Responsible Person", "Innovation Manager", "Communication Officer", "President",
)  # fmt: skip
NETWORKS = (
    ("Enterprise Europe Network", "https://een.ec.europa.eu"),
    ("European Cluster Collaboration Platform", "https://clustercollaboration.eu"),
    ("TCI Network", "https://www.tci-network.org"),
    ("European Cluster Alliance", None),
    ("Vanguard Initiative", None),
    ("EIT Digital", None),
    ("NEM Initiative", None),
)
EU_PROGRAMMES = (
    "COSME", "Horizon 2020", "Horizon Europe", "INTERREG", "Erasmus+",
    "Single Market Programme", "Digital Europe Programme", "LIFE",
)  # fmt: skip
FACILITY_TYPES = (
    "Incubator / accelerator", "Science and technology park", "Technology centre", "University",
    "Investor / financial intermediary",
)  # fmt: skip
NAME_PATTERNS = (
    "{region} {theme} Cluster",
    "{theme} Cluster {region}",
    "{region} {theme} Innovation Network",
    "{theme} Alliance of {region}",
    "{region} {theme} Competence Centre",
    "Cluster {theme} {region}",
)

QUALIFIERS = ("North", "South", "East", "West", "Metropolitan", "Valley", "Coast", "Highlands")


@cache
def regions_of(country: str) -> tuple[str, ...]:
    """Readable top-level ISO 3166-2 names of a country ("Comunidad de Madrid")."""
    english = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["en"])
    names = []
    for sub in pycountry.subdivisions.get(country_code=country) or ():
        if sub.parent_code or re.search(r"overseas|dependency|outlying", sub.type, re.I):
            continue
        name = re.sub(r"\s*\[[^\]]*\]", "", english.gettext(sub.name)).strip()
        if "," in name:
            head, tail = (p.strip() for p in name.split(",", 1))
            name = f"{tail} {head}"
        names.append(name)
    return tuple(sorted(set(names))) or (country_name(country),)


def _theme(sector: str) -> str:
    return re.split(r",| and ", sector)[0].strip()


def _phone(rng: random.Random, country: str) -> str:
    code = phonenumbers.country_code_for_region(country)
    return f"+{code} {rng.randint(100, 999)} {rng.randint(100, 999)} {rng.randint(100, 999)}"


def _pick(rng: random.Random, values, low: int, high: int) -> list:
    return rng.sample(list(values), k=min(len(values), rng.randint(low, high)))


class DemoGenerator:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        vocab = {name: v.labels for name, v in vocabularies().items()}
        self.vocab = vocab
        self.countries = EUROPE + WORLD
        self.country_weights = [
            4 if c in EUROPE[:27] else 2 if c in EUROPE else 1 for c in self.countries
        ]
        # A stream of its own, so that the values drawn before it came stay as they were.
        self.ecosystems = random.Random(f"{seed}-industrial-ecosystems")
        self.sector_stream = random.Random(f"{seed}-related-sectors")
        self.related = related_sectors()
        self.slugs: set[str] = set()
        self.names: set[str] = set()
        self.themes: set[tuple[str, str]] = set()

    def _sectors(self, drawn: list[str]) -> list[str]:
        """The first sector drawn (it names the cluster) and, instead of the others, as
        many sectors related to it along a value chain (matching's related_sectors.txt):
        no "Coal Mining" beside video production. Drawn from a stream of their own, so
        that the values drawn after them stay as they were."""
        related = sorted(self.related.get(drawn[0], {}))
        more = self.sector_stream.sample(related, k=min(len(related), len(drawn) - 1))
        return [drawn[0], *more]

    def _slug(self, name: str) -> str:
        base = slugify(name)[:190] or "cluster"
        slug, n = base, 1
        while slug in self.slugs:
            n += 1
            slug = f"{base}-{n}"
        self.slugs.add(slug)
        return slug

    def _name(self, region: str, theme: str) -> str:
        """A name no other generated cluster has, nor one of the same words in another
        order: real directories seldom hold two clusters of one name, and namesakes would
        make every mention of them ambiguous. A second cluster of one region and theme
        gets a qualifier ("North", …)."""
        name = self.rng.choice(NAME_PATTERNS).format(region=region, theme=theme)
        if (region, theme) in self.themes:
            base = f"{name} {self.rng.choice(QUALIFIERS)}"
            name, number = base, 2
            while name in self.names:
                name, number = f"{base} {number}", number + 1
        self.themes.add((region, theme))
        self.names.add(name)
        return name

    def profile(self) -> dict:
        rng, vocab = self.rng, self.vocab
        country = rng.choices(self.countries, self.country_weights)[0]
        regions = _pick(rng, regions_of(country), 1, 1 if rng.random() < 0.85 else 2)
        sectors = self._sectors(_pick(rng, vocab["sectoral_industries"], 1, 3))
        theme = _theme(sectors[0])
        name = self._name(regions[0], theme)
        slug = self._slug(name)
        domain = f"{slug[:40].strip('-')}.example"
        total = int(rng.lognormvariate(4.0, 0.8)) + 15
        research = max(1, int(total * rng.uniform(0.03, 0.35)))
        large = int(total * rng.uniform(0.0, 0.15))
        other = int(total * rng.uniform(0.0, 0.1))
        sme = max(0, total - research - large - other)
        abroad = [c for c in WORLD if c != country]
        europe = [c for c in EUROPE if c != country]
        team = []
        for i in range(rng.randint(1, 4)):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            team.append(
                {
                    "first_name": first,
                    "last_name": last,
                    "position": POSITIONS[0] if i == 0 else rng.choice(POSITIONS[1:]),
                    "telephone": _phone(rng, country),
                    "email": f"{slugify(first)}.{slugify(last)}@{domain}",
                }
            )
        languages = ["en", *LANGUAGES.get(country, "").split()]
        services = _pick(rng, vocab["support_services"], 2, 6)
        label = rng.choices([None, "Bronze", "Silver", "Gold"], [50, 30, 12, 8])[0]
        return {
            "name": name,
            "slug": slug,
            "established": date(rng.randint(1990, 2022), rng.randint(1, 12), rng.randint(1, 28)),
            "management_team_size": rng.choices(vocab["management_team_sizes"], [50, 30, 15, 5])[0],
            "regions": regions,
            "country": country,
            "cluster_excellence_label": label,
            "other_labels": [f"National cluster label of {country_name(country)}"]
            if rng.random() < 0.2
            else [],
            "networks": [{"name": n, "website": w} for n, w in _pick(rng, NETWORKS, 0, 2)],
            "management_team": team,
            "languages": languages,
            "sectoral_industries": sectors,
            "technology_fields": _pick(rng, vocab["technology_fields"], 1, 4),
            "s3_priority_areas": _pick(rng, vocab["s3_priority_areas"], 1, 3),
            "emerging_industries": _pick(rng, vocab["emerging_industries"], 0, 2),
            "industrial_ecosystems": _pick(self.ecosystems, vocab["industrial_ecosystems"], 0, 2),
            "members": {
                "total": total,
                "sme": sme,
                "large_companies": large,
                "research_organisations": research,
                "other_actors": other,
            },
            "entrepreneurship_facilities": [
                {
                    "name": f"{regions[0]} {kind.split(' / ')[0].title()}",
                    "website": None,
                    "type": kind,
                }
                for kind in _pick(rng, FACILITY_TYPES, 0, 2)
            ],
            "major_players": [
                {
                    "name": f"{rng.choice(LAST_NAMES)} {theme} {rng.choice(['S.A.', 'GmbH', 'Ltd', 'SpA', 'AB', 'Group'])}",
                    "website": None,
                    "type": "Larger Company",
                }
                for _ in range(rng.randint(0, 3))
            ],
            "mission": (
                f"{name} brings together {total} members of the {theme.lower()} value chain in "
                f"{' and '.join(regions)} to grow their competitiveness through innovation, "
                f"internationalisation and skills."
            ),
            "objectives": [
                f"Increase the innovation capacity of {theme.lower()} SMEs.",
                f"Open markets abroad for members, in {country_name(rng.choice(abroad))} in particular.",
                "Foster collaboration between companies, research organisations and public authorities.",
            ][: rng.randint(1, 3)],
            "formalised_strategy": rng.random() < 0.8,
            "internationalisation_strategy": rng.random() < 0.6,
            "services": [
                {
                    "service": s,
                    "details": f"We offer {s[0].lower()}{s[1:]} to our members in the {theme.lower()} sector.",
                }
                for s in services
            ],
            "international": {
                "target_countries": sorted(_pick(rng, abroad, 0, 4)),
                "activities": _pick(rng, vocab["cooperation_activities"], 0, 2),
            },
            "transnational": {
                "target_countries": sorted(_pick(rng, europe, 0, 5)),
                "activities": _pick(rng, vocab["cooperation_activities"], 0, 2),
            },
            "collaborating_clusters": [],
            "programmes": self._programmes(regions[0]),
            "project_references": f"Joint {theme.lower()} projects with partner clusters.",
            "success_story": (
                f"Since its creation the cluster has helped its members in {regions[0]} win new "
                f"customers abroad.\n\nA joint {theme.lower()} demonstrator gathered members and "
                "research organisations."
            ),
            "why_partner": f"An active {theme.lower()} ecosystem with {total} members and open doors.",
            "website": f"https://{domain}",
            "synthetic": True,
        }

    def _programmes(self, region: str) -> list[dict]:
        rng = self.rng
        result = []
        for _ in range(rng.randint(0, 3)):
            level = rng.choice(["european", "national", "regional"])
            start = rng.randint(2008, 2023)
            years = list(range(start, start + rng.randint(1, 3)))
            if level == "european":
                result.append(
                    {
                        "level": level,
                        "programme": rng.choice(EU_PROGRAMMES),
                        "project": f"Project {rng.choice(LAST_NAMES).upper()}",
                        "years": years,
                    }
                )
            else:
                funder = (
                    "Ministry of Economy" if level == "national" else f"{region} Development Agency"
                )
                result.append(
                    {
                        "level": level,
                        "programme": f"Cluster support programme {start}",
                        "years": years,
                        "funder": funder,
                        "description": "Support to cluster organisations and their members.",
                    }
                )
        return result

    def collaborate(self, profiles: list[dict], known: list[dict] = ()) -> None:
        """Give profiles plausible collaborations among each other and with the `known`
        (real) profiles, which are named but not changed."""
        rng = self.rng
        generated = len(profiles)
        profiles = [*profiles, *known]
        by_sector: dict[str, list[int]] = defaultdict(list)
        by_country: dict[str, list[int]] = defaultdict(list)
        for i, p in enumerate(profiles):
            for s in p["sectoral_industries"]:
                by_sector[s].append(i)
            by_country[p["country"]].append(i)
        for i, p in enumerate(profiles[:generated]):
            wanted = rng.choices([0, 1, 2, 3, 4, 6], [25, 20, 20, 15, 12, 8])[0]
            if not wanted or len(profiles) < 2:
                continue
            targets = (
                p["international"]["target_countries"] + p["transnational"]["target_countries"]
            )
            pool: set[int] = set()
            for s in p["sectoral_industries"]:
                bucket = by_sector[s]
                pool.update(rng.sample(bucket, k=min(len(bucket), 15)))
            for c in targets:
                bucket = by_country.get(c, [])
                pool.update(rng.sample(bucket, k=min(len(bucket), 5)))
            pool.update(rng.randrange(len(profiles)) for _ in range(5))
            pool.discard(i)
            candidates = sorted(pool)
            weights = []
            for j in candidates:
                q = profiles[j]
                w = 1.0
                if set(q["sectoral_industries"]) & set(p["sectoral_industries"]):
                    w += 4
                if q["country"] in targets:
                    w += 3
                if q["country"] == p["country"]:
                    w *= 0.5
                weights.append(w)
            chosen: list[int] = []
            while candidates and len(chosen) < wanted:
                k = rng.choices(range(len(candidates)), weights)[0]
                chosen.append(candidates.pop(k))
                weights.pop(k)
            p["collaborating_clusters"] = [self._as_written(profiles[j]) for j in chosen]
            if rng.random() < 0.1:  # a partner outside the directory
                p["collaborating_clusters"].append(self._outside(p))

    def _as_written(self, partner: dict) -> dict:
        """A partner named as people write it: mostly exactly, sometimes with a typo, in
        capitals, without a generic word, or with the country alone."""
        rng = self.rng
        name = partner["name"]
        location = f"{partner['regions'][0]}, {country_name(partner['country'])}"
        kind = rng.choices(("exact", "typo", "capitals", "shorter", "country"), [72, 8, 7, 7, 6])[0]
        if kind == "typo":
            longest = max(name.split(), key=len)
            if len(longest) > 5:
                i = rng.randrange(1, len(longest) - 1)
                name = name.replace(longest, longest[:i] + longest[i + 1 :], 1)
        elif kind == "capitals":
            name = name.upper()
        elif kind == "shorter":
            kept = [w for w in name.split() if w not in {"Cluster", "Network", "Innovation"}]
            name = " ".join(kept) or name
        elif kind == "country":
            location = country_name(partner["country"])
        return {"name": name, "location": location}

    def _outside(self, profile: dict) -> dict:
        rng = self.rng
        country = rng.choice(self.countries)
        return {
            "name": f"{rng.choice(LAST_NAMES)} {_theme(profile['sectoral_industries'][0])} Association",
            "location": country_name(country),
        }


def synthetic_profiles(count: int, seed: int, known: list[ProfileDoc] = ()) -> list[ProfileDoc]:
    """`count` synthetic profiles, identical for the same seed; their collaborations may
    name the `known` profiles too."""
    generator = DemoGenerator(seed)
    generator.slugs.update(doc.slug for doc in known)
    profiles = [generator.profile() for _ in range(count)]
    generator.collaborate(profiles, [doc.model_dump() for doc in known if doc.country])
    return [ProfileDoc.model_validate(p) for p in profiles]


def demo_documents(count: int, seed: int) -> Iterator[ProfileDoc]:
    """The real seed profile (CLAG), then `count` synthetic ones, some naming it."""
    from .eccp import parse_file

    seed_doc = parse_file(SEED_PAGE)
    yield seed_doc
    yield from synthetic_profiles(count, seed, known=[seed_doc])
