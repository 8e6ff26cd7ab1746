import sys

from django.core.management.base import BaseCommand

from clusterhub.directory.management.commands.search import build_query
from clusterhub.matching.query import INTENTS, PartnerQuery
from clusterhub.matching.services import NotRecommendable, recommend


class Command(BaseCommand):
    help = (
        "Propose partners for a published cluster profile, with the reasons. Filters are "
        "KEY=VALUE with the directory's keys (country, sectoral_industries, "
        "cluster_excellence_label, …)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the profile to find partners for")
        parser.add_argument("--intent", choices=list(INTENTS), help="what you look for")
        parser.add_argument("--filter", action="append", default=[], metavar="KEY=VALUE")
        parser.add_argument("--limit", type=int, help="how many partners (10)")
        parser.add_argument("--json", action="store_true", help="print the API's JSON object")

    def handle(self, *args, slug, intent, filter, limit, json: bool, **options):
        query = build_query(
            "", filter, model=PartnerQuery, command="recommend", intent=intent, limit=limit
        )
        try:
            result = recommend(slug, query)
        except NotRecommendable:
            sys.stderr.write(f"clusterhub recommend: no published profile {slug!r}\n")
            sys.exit(2)
        if json:
            sys.stdout.write(result.model_dump_json(indent=2) + "\n")
            return
        self.stdout.write(
            f"Partners for {result.name} ({INTENTS[result.intent].lower()}), "
            f"{len(result.partners)} of {result.candidates} candidates:"
        )
        for i, partner in enumerate(result.partners, start=1):
            self.stdout.write(
                f"{i:>3}. {partner.name} [{partner.slug}], {partner.country or '?'}: "
                f"{partner.score:.1f}"
            )
            for reason in partner.reasons:
                self.stdout.write(f"       {reason.points:>4.1f}  {reason.text}")
        if result.existing:
            names = ", ".join(p.name for p in result.existing)
            self.stdout.write(f"Already collaborating (not proposed): {names}")
