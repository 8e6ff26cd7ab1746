import sys

from django.core.management.base import BaseCommand

from clusterhub.accounts.models import ApiToken
from clusterhub.accounts.permissions import find_user


class Command(BaseCommand):
    help = "API tokens: `create --user EMAIL [--name NAME]` prints a new key (shown once); `list`; `revoke HINT`."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="issue a token and print its key")
        create.add_argument("--user", required=True, metavar="EMAIL")
        create.add_argument("--name", default="command line")
        listing = actions.add_parser("list", help="tokens, newest first")
        listing.add_argument("--user", metavar="EMAIL")
        revoke = actions.add_parser("revoke", help="revoke a token by its hint")
        revoke.add_argument("hint", help="the key's first characters, as `list` shows them")

    def fail(self, message: str):
        sys.stderr.write(f"clusterhub token: {message}\n")
        sys.exit(2)

    def handle(self, *args, action, **options):
        if action == "create":
            user = find_user(options["user"])
            if user is None:
                self.fail(f"--user: no active user with the email {options['user']!r}")
            _, key = ApiToken.issue(user, options["name"][:100])
            self.stdout.write(key)
        elif action == "list":
            tokens = ApiToken.objects.select_related("user")
            if options["user"]:
                tokens = tokens.filter(user__email__iexact=options["user"])
            for t in tokens:
                state = f"revoked {t.revoked_at:%Y-%m-%d}" if t.revoked_at else "active"
                self.stdout.write(f"{t.hint}…  {t.user.email}  {t.name}  {state}")
        else:
            revoked = ApiToken.revoke_by_hint(options["hint"])
            if not revoked:
                self.fail(f"no active token starts with {options['hint']!r}")
            self.stdout.write(f"{revoked} token(s) revoked.")
