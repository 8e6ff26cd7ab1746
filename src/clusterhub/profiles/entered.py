"""Web addresses, emails and telephones as a person enters them: checked, and written one
way (`https://…`, `+34 986 11 22 33`). Only values that are new or changed are checked:
an imported page keeps what its source held until someone edits that value, so an old
number never blocks saving another section."""

from collections.abc import Iterator

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _

from clusterhub.core.errors import Invalid
from clusterhub.core.validation import error_path

from .fields import FIELDS, Declared
from .schema import ProfileDoc

_url = URLValidator(schemes=["http", "https"])


class InvalidValues(Invalid):
    """Several entered values refused at once: `errors` holds (location, message) for each;
    the message and field are the first's (what the API answers)."""

    def __init__(self, errors: list[tuple[tuple, str]]):
        super().__init__(errors[0][1], error_path(errors[0][0]))
        self.errors = errors


def web_address(value: str, region: str | None) -> str:
    address = value.strip()
    if "://" not in address:  # "www.clag.es" as people type it
        address = f"https://{address}"
    try:
        _url(address)
    except ValidationError:
        raise ValueError(
            _("“%(value)s” is not a web address (like https://example.org)") % {"value": value}
        ) from None
    return address


def email_address(value: str, region: str | None) -> str:
    address = value.strip()
    try:
        validate_email(address)
    except ValidationError:
        raise ValueError(
            _("“%(value)s” is not an email address (like name@example.org)") % {"value": value}
        ) from None
    return address


def telephone(value: str, region: str | None) -> str:
    """In international form; a number without its country code is read as one of the
    profile's country."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValueError(
            _("“%(value)s” is not a telephone number (write it with the country code, "
              "like +34 986 11 22 33)") % {"value": value}
        )  # fmt: skip
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


CHECKS = {"url": web_address, "email": email_address, "telephone": telephone}


def _values(declared: tuple[Declared, ...], data: dict, at: tuple = ()) -> Iterator[tuple]:
    """(location, kind) of every web address, email and telephone `data` holds."""
    for f in declared:
        value = data.get(f.key) if isinstance(data, dict) else None
        if f.kind == "records":
            for i, item in enumerate(value or []):
                yield from _values(f.children, item, (*at, f.key, i))
        elif f.children:
            yield from _values(f.children, value or {}, (*at, f.key))
        elif f.kind in CHECKS and value:
            yield (*at, f.key), f.kind


def _get(data, loc: tuple):
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def entered(doc: ProfileDoc, before: dict | None = None) -> ProfileDoc:
    """`doc` with its new or changed web addresses, emails and telephones checked and
    written one way; `before`: the stored document (JSON), None for a new profile.
    Raises InvalidValues naming every value refused."""
    data = doc.model_dump(mode="json")
    region = data.get("country")
    errors, changed = [], False
    for loc, kind in list(_values(FIELDS, data)):
        value = _get(data, loc)
        if before is not None and value == _get(before, loc):
            continue
        try:
            written = CHECKS[kind](value, region)
        except ValueError as exc:
            errors.append((loc, str(exc)))
            continue
        if written != value:
            parent = _get(data, loc[:-1])
            parent[loc[-1]] = written
            changed = True
    if errors:
        raise InvalidValues(errors)
    return ProfileDoc.model_validate(data) if changed else doc
