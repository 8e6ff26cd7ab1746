import sys

from django.core.management.base import BaseCommand
from pydantic import ValidationError

from clusterhub.core.validation import format_validation_error
from clusterhub.directory.query import FACETS, DirectoryQuery
from clusterhub.directory.services import search


def parse_filters(filters: list[str]) -> list[tuple[str, str]]:
    pairs = []
    for item in filters:
        key, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"--filter {item!r}: expected KEY=VALUE")
        pairs.append((key.strip(), value.strip()))
    return pairs


def build_query(
    text: str, filters: list[str], model=DirectoryQuery, command: str = "search", **options
):
    """The query (`model`) of a command line; exits 2 with one line when it is wrong."""
    try:
        pairs = [("q", text), *parse_filters(filters)]
        pairs += [(k, str(v)) for k, v in options.items() if v is not None]
        return model.from_pairs(pairs)
    except ValueError as exc:
        message = format_validation_error(exc) if isinstance(exc, ValidationError) else exc
        sys.stderr.write(f"clusterhub {command}: {message}\n")
        sys.exit(2)


class Command(BaseCommand):
    help = (
        "Search the directory from the shell. Filters are KEY=VALUE with the API's keys "
        f"({', '.join(FACETS)}, members_min, established_from, …); repeat a key for OR."
    )

    def add_arguments(self, parser):
        parser.add_argument("text", nargs="?", default="", help="words to search for")
        parser.add_argument("--filter", action="append", default=[], metavar="KEY=VALUE")
        parser.add_argument(
            "--sort", choices=["relevance", "name", "members", "established", "updated"]
        )
        parser.add_argument("--page", type=int)
        parser.add_argument("--page-size", type=int, dest="page_size")
        parser.add_argument("--json", action="store_true", help="print the API's JSON object")

    def handle(self, *args, text, filter, sort, page, page_size, json: bool, **options):
        query = build_query(text, filter, sort=sort, page=page, page_size=page_size)
        result = search(query)
        if json:
            sys.stdout.write(result.model_dump_json(indent=2) + "\n")
            return
        self.stdout.write(f"{result.total} organisation(s)")
        for i, item in enumerate(result.items, start=(query.page - 1) * query.page_size + 1):
            where = ", ".join(filter_none([item.country, *item.regions]))
            self.stdout.write(f"{i:>4}. {item.name} [{item.slug}] — {where}")
        for key, facet in result.facets.items():
            top = ", ".join(f"{v.label} ({v.count})" for v in facet.values[:5])
            if top:
                self.stdout.write(f"  {FACETS[key]}: {top}")


def filter_none(values):
    return [v for v in values if v]
