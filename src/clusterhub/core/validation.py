"""pydantic's validation errors as the one-line messages users get, and the helper
every page's form goes through to validate with a service's input model."""

import re

from pydantic import ValidationError

from .http import refusals


def format_validation_error(exc) -> str:
    """A pydantic ValidationError as one line: `key.path: message; …`."""
    return "; ".join(f"{path}: {message}" for path, message in validation_errors(exc))


def error_path(loc: tuple) -> str:
    """A pydantic error location as a document path: `programmes[0].years[1]`."""
    path = ".".join(str(p) for p in loc) or "document"
    return re.sub(r"\.(\d+)", r"[\1]", path)


def validation_errors(exc) -> list[tuple[str, str]]:
    """(document path, message) of each error of a pydantic ValidationError."""
    return [(error_path(e["loc"]), e["msg"].removeprefix("Value error, ")) for e in exc.errors()]


def save_form(request, form, schema, write):
    """Validate `form` through the pydantic `schema` and call `write(data)`; each
    refusal goes on the form field it names. Returns what `write` returned, or None."""
    if not form.is_valid():
        return None
    try:
        data = schema.model_validate(form.cleaned_data)
    except ValidationError as exc:
        for path, message in validation_errors(exc):
            field = path.split("[")[0].split(".")[0]
            form.add_error(field if field in form.fields else None, message)
        return None
    with refusals(request, form) as outcome:
        saved = write(data)
    return None if outcome.failed else saved
