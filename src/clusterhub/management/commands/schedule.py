import json as json_module
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from clusterhub.core.errors import InputError
from clusterhub.scheduling.problem import read_dzn
from clusterhub.scheduling.solver import solve


class Command(BaseCommand):
    help = (
        "Solve one B2B meeting scheduling instance (a MiniZinc .dzn file of the benchmark's "
        "format): every meeting in a slot and at a table, the fewest breaks, fairness D."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .dzn file")
        parser.add_argument(
            "--fairness", type=int, default=2, help="most breaks between any two participants (2)"
        )
        parser.add_argument("--time-limit", type=float, default=60.0, help="seconds (60)")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args, file, fairness, time_limit, json: bool, **options):
        if fairness < 0 or time_limit <= 0:
            sys.stderr.write(
                "clusterhub schedule: --fairness must be 0 or more and --time-limit positive\n"
            )
            sys.exit(2)
        try:
            problem = read_dzn(Path(file))
        except InputError as exc:
            sys.stderr.write(f"clusterhub schedule: {exc.located(file)}\n")
            sys.exit(2)
        except OSError as exc:
            sys.stderr.write(f"clusterhub schedule: {file}: {exc.strerror}\n")
            sys.exit(2)
        schedule = solve(problem, fairness, time_limit)
        if json:
            self.stdout.write(json_module.dumps(schedule.as_json()))
            return
        self.stdout.write(
            f"{schedule.status}: total breaks {schedule.total_breaks}, lower bound "
            f"{schedule.lower_bound}, {schedule.seconds:.1f} s"
        )
        if schedule.reason:
            self.stdout.write(schedule.reason)
        for m, (t, table) in enumerate(zip(schedule.slots, schedule.tables, strict=True)):
            a, b, _session = problem.meetings[m]
            self.stdout.write(f"meeting {m + 1}: participants {a} and {b}, slot {t}, table {table}")
