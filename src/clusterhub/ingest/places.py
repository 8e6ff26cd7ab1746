"""Names of countries, regions and languages → ISO codes, from pycountry and phonenumbers.

Profile pages write places as English names ("Brazil", "Galicia", "Spanish").
The tables come from maintained packages; the few aliases below are only the
English spellings those packages do not carry.
"""

import gettext
import re
from functools import cache

import phonenumbers
import pycountry

from clusterhub.folding import fold as fold_case_and_accents

# English names used on profile pages that the ISO tables spell otherwise.
COUNTRY_ALIASES = {
    "turkey": "TR",
    "russia": "RU",
    "kosovo": "XK",
    "macedonia": "MK",
    "the netherlands": "NL",
    "holland": "NL",
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "usa": "US",
    "united states of america": "US",
    "south korea": "KR",
    "north korea": "KP",
    "ivory coast": "CI",
    "cape verde": "CV",
    "swaziland": "SZ",
    "vatican": "VA",
    "palestine": "PS",
    "laos": "LA",
    "syria": "SY",
    "czechia": "CZ",
}
LANGUAGE_ALIASES = {
    "slovene": "sl",
    "castilian": "es",
    "flemish": "nl",
    "farsi": "fa",
    "gaelic": "gd",
    "greek": "el",
    "valencian": "ca",
}


def fold(text: str) -> str:
    """Folded, punctuation dropped: "Île-de-France" → "ile de france"."""
    return " ".join(re.sub(r"[^\w]+", " ", fold_case_and_accents(text)).split())


@cache
def _country_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name", "alpha_2", "alpha_3"):
            if value := getattr(country, attr, None):
                index.setdefault(fold(value), country.alpha_2)
        # "Korea, Republic of" is also written "Republic of Korea".
        if "," in country.name:
            head, tail = (p.strip() for p in country.name.split(",", 1))
            index.setdefault(fold(f"{tail} {head}"), country.alpha_2)
    for alias, code in COUNTRY_ALIASES.items():
        index.setdefault(fold(alias), code)
    return index


def country_code(name: str) -> str | None:
    """ISO 3166-1 alpha-2 code for an English country name or code, else None."""
    return _country_index().get(fold(name))


@cache
def country_name(code: str) -> str:
    if code == "XK":
        return "Kosovo"
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


@cache
def _language_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for language in pycountry.languages:
        code = getattr(language, "alpha_2", None)
        if not code:
            continue
        for attr in ("name", "common_name", "inverted_name"):
            if value := getattr(language, attr, None):
                index.setdefault(fold(value), code)
                # "Modern Greek (1453-)" is written "Greek"; "Spanish; Castilian" → "Spanish".
                short = re.split(r"[;(]", value)[0].removeprefix("Modern ").strip()
                index.setdefault(fold(short), code)
        index.setdefault(code, code)
    for alias, code in LANGUAGE_ALIASES.items():
        index.setdefault(alias, code)
    return index


def language_code(name: str) -> str | None:
    """ISO 639-1 code for an English language name or code, else None."""
    return _language_index().get(fold(name))


@cache
def language_name(code: str) -> str:
    language = pycountry.languages.get(alpha_2=code)
    return language.name if language else code


def _subdivision_names(name: str) -> set[str]:
    """Spellings of an ISO 3166-2 name: "Galicia [Galicia]", "Madrid, Comunidad de"."""
    names = {name}
    for bracketed in re.findall(r"\[([^\]]+)\]", name):
        names.add(bracketed)
    plain = re.sub(r"\s*\[[^\]]*\]", "", name).strip()
    names.add(plain)
    if "," in plain:
        head, tail = (p.strip() for p in plain.split(",", 1))
        names |= {head, f"{tail} {head}"}
    return names


@cache
def _region_index() -> dict[str, frozenset[str]]:
    english = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["en"])
    index: dict[str, set[str]] = {}
    for sub in pycountry.subdivisions:
        for spelling in _subdivision_names(sub.name) | _subdivision_names(
            english.gettext(sub.name)
        ):
            index.setdefault(fold(spelling), set()).add(sub.country_code)
    return {k: frozenset(v) for k, v in index.items()}


def region_countries(region: str) -> frozenset[str]:
    """Countries having a subdivision of that name (usually one)."""
    return _region_index().get(fold(region), frozenset())


def telephone_country(telephone: str) -> str | None:
    """Country of an international telephone number ("+ 34 981 …" → "ES")."""
    digits = re.sub(r"[^\d+]", "", telephone)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if not digits.startswith("+"):
        return None
    try:
        number = phonenumbers.parse(digits, None)
    except phonenumbers.NumberParseException:
        return None
    region = phonenumbers.region_code_for_number(number)
    if region and region != "ZZ":
        return region
    regions = phonenumbers.region_codes_for_country_code(number.country_code)
    return regions[0] if len(regions) == 1 else None


def infer_country(regions: list[str], telephones: list[str]) -> tuple[str | None, str | None]:
    """(country, how) from region names, else telephone prefixes; (None, None) if unknown."""
    candidates: set[str] | None = None
    for region in regions:
        found = set(region_countries(region))
        if found:
            candidates = found if candidates is None else (candidates & found) or candidates
    phone_countries = [c for c in (telephone_country(t) for t in telephones) if c]
    if candidates and len(candidates) == 1:
        return next(iter(candidates)), "region"
    if candidates:
        for country in phone_countries:
            if country in candidates:
                return country, "region"
    if phone_countries:
        return phone_countries[0], "telephone"
    return None, None
