from django import template
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clusterhub.core import places

register = template.Library()


@register.filter
def country_name(code: str | None) -> str:
    """In the reader's language."""
    return places.country_label(code) if code else ""


@register.filter
def value_label(value) -> str:
    """A facet value's label in the reader's language (countries, so far)."""
    return places.value_label(value.value, value.label)


@register.filter
def labelled(value: str, label: str) -> str:
    """`value|labelled:label`: as value_label, for a (value, label) pair."""
    return places.value_label(value, label)


@register.filter
def language_name(code: str | None) -> str:
    return places.language_name(code) if code else ""


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


def _list(values, inline: bool, show=str, lang: bool = False):
    css = mark_safe(' class="inline"') if inline else ""
    if lang:
        items = format_html_join("", '<li lang="{}">{}</li>', ((v, show(v)) for v in values))
    else:
        items = format_html_join("", "<li>{}</li>", ((show(v),) for v in values))
    return format_html("<ul{}>{}</ul>", css, items)


INLINE = frozenset({"regions"})


@register.simple_tag
def show(declared, value, inferred: str = ""):
    """A value of the document as the page shows it, by its field's kind; escaped."""
    kind, empty = declared.kind, declared.spec.empty
    if value in (None, "", []) and kind not in ("bool",):
        return "" if declared.in_items else empty
    if kind == "date":
        return format_html(
            '<time datetime="{}">{}</time>', value.isoformat(), date_format(value, "l, j F, Y")
        )
    if kind == "country":
        note = format_html(' <small class="muted">{}</small>', inferred) if inferred else ""
        return format_html('{} <span class="code">({})</span>{}', country_name(value), value, note)
    if kind == "url":
        return weblink(value)
    if kind == "bool":
        return yes_no(value)
    if kind in ("lines", "vocabs"):
        return _list(value, declared.path in INLINE)
    if kind == "countries":
        return _list(value, True, country_name)
    if kind == "languages":
        return _list(value, True, language_name, lang=True)
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
