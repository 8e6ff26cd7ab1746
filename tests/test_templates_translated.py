"""Every text a template shows is marked for translation: `make catalogues` can only
collect what is marked, so a page would stay in English for every reader.

The template language is taken out (tags, variables, comments, and what
`{% blocktranslate %}` wraps); what is left is read as HTML, and any text or shown
attribute (title, alt, placeholder, aria-label) with a word in it is unmarked text. Words
no language translates (Clusterhub, JSON…) and code samples are allowed.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import clusterhub

PACKAGE = Path(clusterhub.__file__).parent
SHOWN_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "aria-description", "label"}
# Names and formats, the same in every language.
UNTRANSLATED_WORDS = {
    "Clusterhub", "CSV", "JSON", "JSONL", "LD", "XLSX", "API", "OpenAPI", "GeoJSON", "Atom",
    "RSS", "ECCP", "iCalendar", "PDF", "ZIP", "UTC", "Lines",
}  # fmt: skip
WORD = re.compile(r"[^\W\d_]{2,}")
# A literal given to an included template or a filter: {% include … with x="Text" %},
# |default:"Text". Marked, it reads with x=_("Text").
TAG = re.compile(r"{%.*?%}|{{.*?}}", re.S)
LITERAL_ARGUMENT = re.compile(r'(?:\s\w+=|\|default:)"([^"]*[A-Za-z]{2,}[^"]*)"')


def _untranslated(text: str) -> bool:
    return any(w not in UNTRANSLATED_WORDS for w in WORD.findall(text))


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skipped = 0  # inside <script>, <style> or <code>
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "code"):
            self.skipped += 1
        self.found += [f"{tag} {k}={v!r}" for k, v in attrs
                       if k in SHOWN_ATTRIBUTES and v and _untranslated(v)]  # fmt: skip

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code"):
            self.skipped -= 1

    def handle_data(self, data):
        if not self.skipped and _untranslated(data):
            self.found.append(" ".join(data.split()))


def _without_template_language(source: str) -> str:
    source = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", "", source, flags=re.S)
    source = re.sub(r"{%\s*blocktranslate\b.*?{%\s*endblocktranslate\s*%}", "", source, flags=re.S)
    return re.sub(r"{%.*?%}|{{.*?}}", "", source, flags=re.S)


def unmarked(source: str) -> list[str]:
    reader = _Reader()
    reader.feed(_without_template_language(source))
    reader.close()
    literals = [
        text
        for tag in TAG.findall(source)
        for text in LITERAL_ARGUMENT.findall(tag)
        if not re.search(r"[/:]|\.html$", text)  # a template's or a URL's name
    ]
    return reader.found + literals


def test_the_check_finds_unmarked_text():
    assert unmarked('<h1>Sign in</h1><p title="Help">{% translate "Yes" %}</p>') == [
        "Sign in",
        "p title='Help'",
    ]
    assert unmarked('{% include "f.html" with submit="Send" %}{{ x|default:"never" }}') == [
        "Send",
        "never",
    ]
    marked = (
        '{% load i18n %}<h1>{% translate "Sign in" %}</h1>{% blocktranslate with n=x %}Hi '
        '{{ n }}{% endblocktranslate %} (JSON) <code>Bearer key</code>{% include "f.html" '
        'with submit=_("Send") %}'
    )
    assert unmarked(marked) == []


def test_every_template_marks_its_text():
    found = {
        str(path.relative_to(PACKAGE)): texts
        for path in sorted(PACKAGE.rglob("templates/**/*.html"))
        if (texts := unmarked(path.read_text(encoding="utf-8")))
    }
    assert not found, found
