from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from clusterhub.ingest import places

register = template.Library()


@register.filter
def country_name(code: str | None) -> str:
    return places.country_name(code) if code else ""


@register.filter
def language_name(code: str | None) -> str:
    return places.language_name(code) if code else ""


@register.filter
def yes_no(value: bool | None) -> str:
    return {True: "Yes", False: "No"}.get(value, "Not stated")


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
