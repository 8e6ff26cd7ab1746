"""Import and export of the whole directory; the CLI and any later UI call these."""

import gc
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from pydantic import ValidationError
from tqdm import tqdm

from clusterhub.accounts.privacy import hide_links, without_contacts
from clusterhub.calls.services import export as export_calls
from clusterhub.core.errors import InputError
from clusterhub.core.validation import format_validation_error
from clusterhub.news.services import export as export_news
from clusterhub.opportunities.services import export as export_opportunities
from clusterhub.profiles.choices import Status
from clusterhub.profiles.document import to_documents
from clusterhub.profiles.models import ClusterOrganisation
from clusterhub.profiles.schema import ProfileDoc
from clusterhub.profiles.writing import save_profiles

from . import eccp, formats

PAGE_SUFFIXES = {".txt", ".html", ".htm"}
DATA_SUFFIXES = {".json", ".jsonl", ".ndjson", ".csv"}
EXPORT_FORMATS = ("json", "jsonl", "csv", "jsonld")  # jsonld: profiles only
CHUNK = 1000


@dataclass
class ImportResult:
    path: Path
    created: int = 0
    updated: int = 0
    warnings: list[str] = field(default_factory=list)


def _validate(data, where: str, line: int | None = None) -> ProfileDoc:
    if not isinstance(data, dict):
        raise InputError(f"{where}: expected a JSON object, found {type(data).__name__}", line)
    try:
        return ProfileDoc.model_validate(data)
    except ValidationError as exc:
        name = data.get("slug") or data.get("name")
        label = f"{where} ({name})" if isinstance(name, str) else where
        raise InputError(f"{label}: {format_validation_error(exc)}", line) from None


def _json_documents(path: Path) -> Iterator[ProfileDoc]:
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputError(f"invalid UTF-8 at byte {exc.start}") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg} (column {exc.colno})", exc.lineno) from None
    items = data if isinstance(data, list) else [data]
    for i, item in enumerate(items, start=1):
        yield _validate(item, f"profile {i}")


def _jsonl_documents(path: Path) -> Iterator[ProfileDoc]:
    with path.open("rb") as stream:
        for number, raw in enumerate(stream, start=1):
            try:
                # pydantic parses the JSON itself, about twice as fast as json.loads and
                # then validating; on any failure the slow path below names the error.
                yield ProfileDoc.model_validate_json(raw)
                continue
            except ValidationError:
                pass
            try:
                text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(f"invalid UTF-8 at column {exc.start + 1}", number) from None
            if not text.strip():
                continue
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                raise InputError(f"invalid JSON: {exc.msg} (column {exc.colno})", number) from None
            yield _validate(data, "profile", number)


def _csv_documents(path: Path) -> Iterator[ProfileDoc]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        try:
            for line, data in formats.read_csv(stream):
                yield _validate(data, "row", line)
        except UnicodeDecodeError as exc:
            raise InputError(f"invalid UTF-8 at byte {exc.start}") from None


def _page_documents(path: Path, warnings: list[str]) -> Iterator[ProfileDoc]:
    doc, found = eccp.parse_file_with_warnings(path)
    warnings.extend(found)
    yield doc


def _reader(path: Path) -> Callable[[Path], Iterator[ProfileDoc]]:
    suffix = path.suffix.lower()
    if suffix == ".json":
        return _json_documents
    if suffix in (".jsonl", ".ndjson"):
        return _jsonl_documents
    if suffix == ".csv":
        return _csv_documents
    if suffix in PAGE_SUFFIXES:
        return _page_documents
    with path.open("rb") as stream:
        head = stream.read(512).lstrip()
    if head.startswith(b"["):
        return _json_documents
    if head.startswith(b"{"):
        return _jsonl_documents if b"\n{" in path.read_bytes()[:1_000_000] else _json_documents
    return _page_documents


def read_documents(path: Path, warnings: list[str] | None = None) -> Iterator[ProfileDoc]:
    """The validated documents of one file, in any supported format; what a page lacks
    without being wrong goes into `warnings`."""
    if not path.is_file():
        raise InputError(_("no such file") if not path.exists() else _("not a regular file"))
    reader = _reader(path)
    if reader is _page_documents:
        return _page_documents(path, [] if warnings is None else warnings)
    return reader(path)


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; directories give their importable files, sorted."""
    files = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in PAGE_SUFFIXES | DATA_SUFFIXES
            )
        else:
            files.append(path)
    return files


def chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class GarbageCollectionPaused:
    """Python's cyclic garbage collector off during a bulk write, run every `every`
    ticks instead: triggered by the millions of short-lived objects of an import, it
    scanned every live object again and again — 30 % of the import time (measured at
    20,000 profiles)."""

    def __init__(self, every: int):
        self.every, self.ticks = every, 0

    def __enter__(self):
        self.was_enabled = gc.isenabled()
        gc.disable()
        return self

    def tick(self) -> None:
        self.ticks += 1
        if self.ticks % self.every == 0:
            gc.collect()

    def __exit__(self, *exc):
        if self.was_enabled:
            gc.enable()


def import_file(
    path: Path, progress: bool = False, status: str = Status.PUBLISHED, author=None
) -> ImportResult:
    """Create or update every profile of one file; all or nothing. New profiles get
    `status` (published: imported directory data is public); profiles already there
    keep theirs, and an edit of theirs waiting for review keeps waiting. Collaborations
    are left for `resolve_all`, once every file is in."""
    result = ImportResult(path)
    bar = tqdm(
        desc=path.name,
        unit=" profiles",
        disable=None if progress else True,
        file=sys.stderr,
        leave=False,
    )
    try:
        with transaction.atomic(), GarbageCollectionPaused(every=10) as collector:
            for chunk in chunks(read_documents(path, result.warnings), CHUNK):
                slugs = [doc.slug for doc in chunk]
                known = set(
                    ClusterOrganisation.objects.filter(slug__in=slugs).values_list(
                        "slug", flat=True
                    )
                )
                save_profiles(
                    chunk, action="import", author=author, new_status=status,
                    keep_pending=True, resolve=False, note=_("imported from %(file)s") % {"file": path.name},
                )  # fmt: skip
                fresh = set(slugs) - known
                result.created += len(fresh)
                result.updated += len(set(slugs)) - len(fresh)
                bar.update(len(chunk))
                collector.tick()
    finally:
        bar.close()
    return result


def export(fmt: str, out, ids=None, base_url: str = "", include_contacts: bool = False) -> int:
    """Write every published profile (or those of `ids`) to the text stream `out`;
    returns the count. Open data: no telephones or emails, and collaborations linked to
    published profiles only — unless an administrator asks for the contacts
    (`include_contacts`, `clusterhub export --include-contacts`), who gets the documents
    as stored."""
    count = 0
    published = set(
        ClusterOrganisation.objects.filter(status=Status.PUBLISHED).values_list("slug", flat=True)
    )

    def documents() -> Iterator[dict]:
        nonlocal count
        for _pk, doc in to_documents(ids):
            count += 1
            if not include_contacts:
                doc = hide_links(without_contacts(doc), published)
            yield doc.model_dump(mode="json")

    if ids is None:  # open data: what the directory shows
        ids = ClusterOrganisation.objects.filter(status=Status.PUBLISHED).values_list(
            "pk", flat=True
        )
    writers = {
        "xlsx": formats.write_xlsx,
        "json": formats.write_json,
        "jsonl": formats.write_jsonl,
        "csv": formats.write_csv,
        "jsonld": lambda docs, stream: formats.write_jsonld(docs, stream, base_url),
    }
    writers[fmt](documents(), out)
    return count


def export_to_file(path: Path, write: Callable) -> int:
    """Call `write(stream)` on a temporary file beside `path` and put it in place once
    done: a failed export leaves no half file. Returns what `write` returns (the count)."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
            count = write(stream)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count


# The other kinds of open data: flat records (core.records), published ones only.
RECORD_EXPORTS = {
    "opportunities": export_opportunities,
    "calls": export_calls,
    "news": export_news,
}
KINDS = ("clusters", *RECORD_EXPORTS)
