"""The `clusterhub` console script: Django's management commands under one name.

Commands are spelled with hyphens on the command line (`parse-eccp`) and with
underscores as Django modules (`parse_eccp`).
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    argv[0] = "clusterhub"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterhub.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
