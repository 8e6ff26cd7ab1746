from datetime import datetime

from babel import Locale
from babel.dates import format_date, format_skeleton, format_time
from babel.numbers import format_decimal
from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from clusterhub.core import places
from clusterhub.vocab import translations

register = template.Library()


@register.filter
def country_name(code: str | None) -> str:
    """In the reader's language."""
    return places.country_label(code) if code else ""


@register.filter
def value_label(value) -> str:
    """A facet value's label in the reader's language."""
    return translations.value_label(value.value, value.label)


def _locale() -> Locale:
    """The page's language as CLDR names it; English as Europe writes it (en_GB)."""
    language = get_language() or "en"
    return Locale.parse("en_GB" if language == "en" else language)


def _local(value):
    return (
        timezone.localtime(value)
        if isinstance(value, datetime) and timezone.is_aware(value)
        else value
    )


@register.filter
def day(value, style: str = "long") -> str:
    """A date as the reader's language writes it (CLDR, through Babel): "6 December 2026",
    "6 de diciembre de 2026"; `short`: "6 Dec 2026", "06.12.2026"."""
    if not value:
        return ""
    return format_date(_local(value), "long" if style == "long" else "medium", locale=_locale())


@register.filter
def moment(value, style: str = "short") -> str:
    """A date and time as the reader's language writes them: "6 Dec 2026, 14:05";
    `long`: the long date; `weekday`: "Sun 6 Dec, 14:05" (an agenda's slots)."""
    if not value:
        return ""
    value, locale = _local(value), _locale()
    if style == "weekday":
        date = format_skeleton("MMMEd", value, locale=locale)
    else:
        date = format_date(value, "long" if style == "long" else "medium", locale=locale)
    return locale.datetime_formats["medium"].format(clock(value), date)


@register.filter
def clock(value) -> str:
    """A time of day as the reader's language writes it ("14:05")."""
    return format_time(_local(value), "short", locale=_locale()) if value else ""


@register.filter
def number(value):
    """A count as the reader's language writes it: 12,345 · 12.345 · 12 345."""
    if isinstance(value, int) and not isinstance(value, bool):
        return format_decimal(value, locale=_locale())
    return value


@register.filter
def term(label: str) -> str:
    """A vocabulary label in the reader's language."""
    return translations.term_label(label) if label else ""


@register.filter
def labelled(value: str, label: str) -> str:
    """`value|labelled:label`: as value_label, for a (value, label) pair."""
    return translations.value_label(value, label)


@register.filter
def language_name(code: str | None) -> str:
    return places.language_label(code) if code else ""


@register.filter
def yes_no(value: bool | None) -> str:
    return {True: _("Yes"), False: _("No")}.get(value, _("Not stated"))


@register.filter
def years(values: list[int]) -> str:
    return ", ".join(str(v) for v in values)


@register.filter
def paragraphs(text: str | None):
    """Free text as HTML: blank-line paragraphs, "• " lines as list items; all escaped."""
    if not text:
        return ""
    parts = []
    for block in text.split("\n\n"):
        lines = block.split("\n")
        if all(line.startswith("• ") for line in lines):
            items = format_html_join("", "<li>{}</li>", ((line[2:],) for line in lines))
            parts.append(format_html("<ul>{}</ul>", items))
        else:
            body = format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines))
            parts.append(format_html("<p>{}</p>", body))
    return mark_safe("".join(parts))


@register.filter
def weblink(url: str | None):
    """A website as a link; pages often write it without a scheme."""
    if not url:
        return ""
    href = url if url.lower().startswith(("http://", "https://")) else f"https://{url}"
    return format_html('<a href="{}" rel="nofollow noopener">{}</a>', href, url)


@register.filter
def get_item(mapping: dict, key: str):
    return mapping.get(key)


def _list(values, inline: bool, show=str):
    css = mark_safe(' class="inline"') if inline else ""
    items = format_html_join("", "<li>{}</li>", ((show(v),) for v in values))
    return format_html("<ul{}>{}</ul>", css, items)


def _long_date(value) -> str:
    """In English as the ECCP page writes dates ("Monday, 17 February, 2003"); in another
    language its own full date (CLDR)."""
    if (get_language() or "en") == "en":
        return date_format(value, "l, j F, Y")
    return format_date(value, "full", locale=_locale())


@register.simple_tag
def show(declared, value, inferred: str = ""):
    """A value of the document as the page shows it, by its field's kind; escaped."""
    kind, empty = declared.kind, declared.empty
    if value in (None, "", []) and kind not in ("bool",):
        return "" if declared.in_items else empty
    if kind == "date":
        return format_html('<time datetime="{}">{}</time>', value.isoformat(), _long_date(value))
    if kind == "country":
        note = format_html(' <small class="muted">{}</small>', inferred) if inferred else ""
        return format_html('{} <span class="code">({})</span>{}', country_name(value), value, note)
    if kind == "url":
        return weblink(value)
    if kind == "bool":
        return yes_no(value)
    if kind == "vocabs":
        return _list(value, False, translations.term_label)
    if kind == "vocab":
        return translations.term_label(value)
    if kind == "lines":
        if declared.path == "regions":  # a line of names, as the reader names them
            return _list(value, True, places.region_label)
        return _list(value, False)
    if kind == "countries":
        return _list(value, True, country_name)
    if kind == "languages":
        return _list(value, True, language_name)
    if kind == "telephone":
        return format_html('<a href="tel:{}">{}</a>', value.replace(" ", ""), value)
    if kind == "email":
        return format_html('<a href="mailto:{}">{}</a>', value, value)
    if kind == "years":
        return years(value)
    if kind == "long":
        return paragraphs(value)
    if kind == "texts":
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((paragraphs(v),) for v in value))
        )
    if kind == "int":
        return number(value)
    if kind == "choice":
        labels = dict(declared.spec.choices.choices) if declared.spec.choices else {}
        return str(labels.get(value, value))
    return str(value)


# The profile page's blocks, drawn here rather than by template tags node by node: a
# page has hundreds of values, and the template's loops and conditions around each cost
# more than the rest of the page (docs/performance.md, "Profile page").


@register.simple_tag
def listed(items, inferred: str = ""):
    """A definition list of the page's values: each label, and its value shown by kind."""
    rows = format_html_join(
        "",
        "\n      <dt>{}</dt>\n      <dd>{}</dd>",
        ((i.label, show(i.declared, i.value, inferred)) for i in items),
    )
    return format_html('<dl class="fields">{}\n    </dl>', rows)


FOLD_AFTER = 5  # rows shown of a long table; the rest behind "Show n more"


@register.simple_tag
def records(item, note: str = ""):
    """A list of records as a table (its heading, its columns), or "None listed."."""
    heading = format_html("<h3>{}</h3>", item.label)
    if not item.rows:
        return format_html('{}\n    <p class="muted">{}</p>', heading, item.empty)
    head = format_html_join("", '<th scope="col">{}</th>', ((c.label,) for c in item.columns))

    def table(rows, extra_class=""):
        body = format_html_join(
            "", "<tr>{}</tr>",
            ((format_html_join("", '<td data-label="{}">{}</td>',
                               ((c.label, show(c, v)) for c, v in row)),) for row in rows),
        )  # fmt: skip
        return format_html(
            '<table class="stack records{}">\n      <thead><tr>{}</tr></thead>\n'
            "      <tbody>{}</tbody>\n    </table>",
            extra_class, head, body,
        )  # fmt: skip

    # A long list shows its first rows and folds the rest (the page stays short).
    if len(item.rows) > FOLD_AFTER + 2:
        rest = len(item.rows) - FOLD_AFTER
        shown = format_html(
            '{}\n    <details class="more"><summary>{}</summary>{}</details>',
            table(item.rows[:FOLD_AFTER]),
            ngettext("Show %(n)d more", "Show %(n)d more", rest) % {"n": rest},
            table(item.rows[FOLD_AFTER:], " continued"),
        )
    else:
        shown = table(item.rows)
    note = format_html('\n    <p class="muted">{}</p>', note) if note else ""
    return format_html("{}\n    {}{}", heading, shown, note)
