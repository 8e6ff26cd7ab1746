from django.core.management.base import BaseCommand
from tqdm import tqdm

from clusterhub.network.resolution import AUTO_LINK, SUGGEST, resolve_all


class Command(BaseCommand):
    help = (
        "Resolve every 'Which clusters do you collaborate with?' entry not linked or "
        f"confirmed yet to a directory profile: linked at confidence {AUTO_LINK} or more, "
        f"pending a person's confirmation from {SUGGEST}, else left as text."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="no progress bar or summary")

    def handle(self, *args, quiet, **options):
        with tqdm(desc="Resolving collaborations", unit=" entries", disable=quiet) as bar:
            report = resolve_all(progress=bar)
        if not quiet:
            self.stdout.write(report.summary())
