"""Checks on text that every way in applies: documents, queries, addresses."""

import re

# C0 and C1 control characters but tab and the line breaks: a NUL byte fails on
# PostgreSQL (and SQLite stores it, which breaks a later copy to PostgreSQL), and none
# has a meaning in a profile, a query or an address.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def no_control_characters(value: str) -> str:
    """The value, or ValueError naming the first control character."""
    if found := CONTROL_RE.search(value):
        raise ValueError(f"control character U+{ord(found.group()):04X} is not allowed")
    return value


def web_address(value: str) -> str:
    """An http(s) address with a host, or ValueError: links users follow are never
    javascript:, data: or file: addresses."""
    from urllib.parse import urlsplit

    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError("give a web address starting with http:// or https://")
    return no_control_characters(value)
