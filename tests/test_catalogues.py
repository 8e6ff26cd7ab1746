"""The interface's catalogues: one for each language the settings list, each entry
translated (none fuzzy), with the placeholders of its source, and every string the code
and templates mark for translation is in them (makemessages, run on a copy, finds no
string the committed catalogues lack and none they hold in vain)."""

import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "clusterhub"
# Python's %(name)s (with a format such as .3f or 04X), a bare %s, and {name}.
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%[sd]|\{\w*\}")
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def catalogue(path: Path):
    with path.open("rb") as stream:
        return read_po(stream)


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_entry_is_translated_with_its_placeholders(language):
    path = PACKAGE / "locale" / language / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"{language} is in LANGUAGES but has no catalogue at {path}"
    found = catalogue(path)
    assert not found.fuzzy, f"{path}: the header is marked fuzzy"
    problems = []
    for message in found:
        if not message.id:
            continue
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {sources[0]!r}")
        if not all(strings):
            problems.append(f"untranslated: {sources[0]!r}")
            continue
        # Each form keeps the plural's placeholders (a singular may leave out the count).
        for string in strings:
            if set(placeholders(string)) - set(placeholders(sources[-1])) or (
                len(sources) == 1 and placeholders(string) != placeholders(sources[0])
            ):
                problems.append(f"placeholders differ: {sources[0]!r} → {string!r}")
    assert not problems, f"{path}:\n" + "\n".join(problems)


def test_the_catalogues_hold_every_marked_string_and_no_other(tmp_path, settings):
    if not shutil.which("xgettext"):
        pytest.fail("xgettext is missing: `make test` installs Debian's gettext package")
    copy = tmp_path / "clusterhub"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("static", "locale", "__pycache__"))
    (copy / "locale").mkdir()  # extracted afresh, not merged into the committed ones
    settings.LOCALE_PATHS = [copy / "locale"]
    languages = TRANSLATED or ["es"]
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(copy)
        call_command("makemessages", locale=languages, verbosity=0, no_obsolete=True,
                     add_location="file")  # fmt: skip
    for language in languages:
        committed = PACKAGE / "locale" / language / "LC_MESSAGES" / "django.po"
        extracted = copy / "locale" / language / "LC_MESSAGES" / "django.po"
        have = {m.id for m in catalogue(committed) if m.id} if committed.exists() else set()
        want = {m.id for m in catalogue(extracted) if m.id}
        missing, unused = sorted(map(str, want - have)), sorted(map(str, have - want))
        assert not missing and not unused, (
            f"{language}: run `make catalogues` and translate — "
            f"{len(missing)} missing ({missing[:5]}), {len(unused)} no longer used ({unused[:5]})"
        )
