"""Names of countries, regions and languages → ISO codes, from pycountry, phonenumbers and
Babel (CLDR).

Profile pages write places as English names ("Brazil", "Galicia", "Spanish").
The tables come from maintained packages; the few aliases below are only the
English spellings those packages do not carry.
"""

import gettext
import re
from functools import cache, lru_cache

import phonenumbers
import pycountry
from django.utils.translation import get_language

from clusterhub.core.folding import fold as fold_case_and_accents

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


@lru_cache(maxsize=4096)
def _country_in(code: str, language: str) -> str:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language).territories.get(code) or country_name(code)
    except (ValueError, UnknownLocaleError):
        return country_name(code)


def country_label(code: str) -> str:
    """A country's name for the reader: in the page's language (CLDR, through Babel);
    `country_name` stays the English one the documents, the API and the index hold."""
    language = get_language() or "en"
    return country_name(code) if language == "en" else _country_in(code, language)


# The interface's languages (issue 16 translates the pages into them): a country is also
# found by its name in each of them.
NAME_LANGUAGES = ("en", "es", "gl", "fr", "de", "it", "pt", "pl")


@cache
def country_names(code: str) -> tuple[str, ...]:
    """Every name a reader may type for a country: English, the names in its own official
    languages and in the interface's languages (CLDR, through Babel), ISO's short name."""
    from babel import Locale, UnknownLocaleError
    from babel.languages import get_official_languages

    # Not the official names: "Kingdom of Spain" would make "kingdom" find Spain.
    names = {country_name(code)}
    country = pycountry.countries.get(alpha_2=code)
    if country is not None:
        names.add(country.name)
    names.update(alias for alias, aliased in COUNTRY_ALIASES.items() if aliased == code)
    for language in (*NAME_LANGUAGES, *get_official_languages(code)):
        try:
            name = Locale.parse(language).territories.get(code)
        except (ValueError, UnknownLocaleError):
            continue
        if name:
            names.add(name)
    return tuple(sorted(names))


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


@lru_cache(maxsize=4096)
def _language_in(code: str, language: str) -> str:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language).languages.get(code) or language_name(code)
    except (ValueError, UnknownLocaleError):
        return language_name(code)


def language_label(code: str) -> str:
    """A language's name for the reader, in the page's language (CLDR, through Babel)."""
    language = get_language() or "en"
    return language_name(code) if language == "en" else _language_in(code, language)


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
def _subdivision_index() -> dict[str, frozenset[str]]:
    """Folded spelling → ISO 3166-2 codes of the subdivisions spelt so."""
    english = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["en"])
    index: dict[str, set[str]] = {}
    for sub in pycountry.subdivisions:
        for spelling in _subdivision_names(sub.name) | _subdivision_names(
            english.gettext(sub.name)
        ):
            index.setdefault(fold(spelling), set()).add(sub.code)
    return {k: frozenset(v) for k, v in index.items()}


def region_subdivisions(region: str) -> frozenset[str]:
    """ISO 3166-2 codes of the subdivisions of that name ("Galicia" → {"ES-GA"})."""
    return _subdivision_index().get(fold(region), frozenset())


@lru_cache(maxsize=8192)
def _region_in(region: str, language: str) -> str:
    codes = region_subdivisions(region)
    if len(codes) != 1:  # not a subdivision, or the name of several: as written
        return region
    subdivision = pycountry.subdivisions.get(code=next(iter(codes)))
    try:
        names = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[language])
    except OSError:  # no names in that language (Galician)
        return region
    translated = names.gettext(subdivision.name)
    if translated == subdivision.name:
        return region
    return re.sub(r"\s*\[[^\]]*\]", "", translated).strip() or region


def region_label(region: str) -> str:
    """A region as the reader names it when ISO 3166-2's names in the page's language
    (pycountry's catalogues) name it otherwise ("Bayern" is "Bavière" in French,
    "Lombardia" "Lombardía" in Spanish); else as the profile writes it."""
    language = get_language() or "en"
    return region if language == "en" else _region_in(region, language)


def region_countries(region: str) -> frozenset[str]:
    """Countries having a subdivision of that name (usually one)."""
    return frozenset(code.split("-")[0] for code in region_subdivisions(region))


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


def website_country(website: str | None) -> str | None:
    """The country of a website's country-code domain ("www.clag.es" → ES; ".eu", ".com"
    and the like say nothing)."""
    if not website:
        return None
    host = re.sub(r"^[a-z]+://", "", website.strip().lower()).split("/")[0].split(":")[0]
    tld = host.rsplit(".", 1)[-1] if "." in host else ""
    if len(tld) != 2 or tld in ("eu", "su"):
        return None
    code = "GB" if tld == "uk" else tld.upper()
    return code if pycountry.countries.get(alpha_2=code) else None


@cache
def _language_territories() -> dict[str, frozenset[str]]:
    """Language → the countries where it is official (CLDR, through Babel)."""
    from babel.core import get_global

    official = ("official", "de_facto_official", "official_regional")
    found: dict[str, set[str]] = {}
    for territory, languages in get_global("territory_languages").items():
        for language, info in languages.items():
            if info.get("official_status") in official and len(territory) == 2:
                found.setdefault(language.split("_")[0], set()).add(territory)
    return {k: frozenset(v) for k, v in found.items()}


def language_countries(code: str) -> frozenset[str]:
    return _language_territories().get(code, frozenset())


@cache
def _country_names_re() -> re.Pattern:
    names = sorted((n for n in _country_index() if len(n) > 3), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b")


def name_countries(name: str) -> set[str]:
    """Countries a name names ("Cluster Automotive Portugal" → PT)."""
    return {_country_index()[m.group()] for m in _country_names_re().finditer(fold(name))}


# How much each kind of evidence weighs when the page does not state its country. A
# region names one country (or, shared by several, splits its weight among them); the
# team's telephone prefixes and a name naming a country come next; a country-code
# domain, then a language official in few countries, say least.
EVIDENCE_WEIGHTS = {"region": 3.0, "telephone": 2.0, "name": 2.0, "website": 1.5, "language": 1.0}
# A language official in more countries than this says nothing (Spanish, French…).
NARROW_LANGUAGE = 3


def infer_country(
    regions=(), telephones=(), website: str | None = None, languages=(), name: str = ""
) -> tuple[str | None, list[str]]:
    """(country, the kinds of evidence naming it) from everything a page gives; (None,
    []) when it gives nothing, or when two countries are as likely (a region that
    exists in two countries, and nothing else to tell them apart)."""
    votes: dict[str, float] = {}
    kinds: dict[str, list[str]] = {}

    def vote(kind: str, countries) -> None:
        countries = set(countries)
        for country in countries:
            votes[country] = votes.get(country, 0.0) + EVIDENCE_WEIGHTS[kind] / len(countries)
            if kind not in kinds.setdefault(country, []):
                kinds[country].append(kind)

    for region in regions:
        vote("region", region_countries(region))
    for country in dict.fromkeys(c for c in map(telephone_country, telephones) if c):
        vote("telephone", [country])
    if country := website_country(website):
        vote("website", [country])
    for code in languages:
        found = language_countries(code)
        if 0 < len(found) <= NARROW_LANGUAGE:
            vote("language", found)
    if named := name_countries(name):
        vote("name", named)
    if not votes:
        return None, []
    ranked = sorted(votes.items(), key=lambda item: -item[1])
    if len(ranked) > 1 and abs(ranked[0][1] - ranked[1][1]) < 1e-9:
        return None, []
    best = ranked[0][0]
    return best, [k for k in EVIDENCE_WEIGHTS if k in kinds[best]]


def country_codes(values: list[str], field: str) -> list[str]:
    """ISO codes of countries given by code or name, in order, without repeats; Invalid
    naming the first value that is not a country (`field[position]`)."""
    from django.utils.translation import gettext as _

    from .errors import Invalid

    codes = []
    for position, value in enumerate(values):
        code = country_code(value)
        if code is None:
            raise Invalid(
                _("%(value)r is not a country") % {"value": value}, f"{field}[{position}]"
            )
        if code not in codes:
            codes.append(code)
    return codes


def country_choices() -> list[tuple[str, str]]:
    """(code, name) of every country, named and sorted for the reader: the choices of a
    form's country field."""
    from .alphabet import in_reader_order

    named = ((c.alpha_2, country_label(c.alpha_2)) for c in pycountry.countries)
    return in_reader_order(named, key=lambda choice: choice[1])


def language_choices() -> list[tuple[str, str]]:
    """(code, name) of every language with an ISO 639-1 code, named and sorted for the
    reader."""
    from .alphabet import in_reader_order

    codes = {lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2")}
    return in_reader_order(((c, language_label(c)) for c in codes), key=lambda c: c[1])
