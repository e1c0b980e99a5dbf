from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from kartei.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Manage API tokens. `kartei token create USERNAME` prints a new token on the last line."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token for a user and print it.")
        create.add_argument("username")
        create.add_argument("--name", default="", help="A note on what the token is for.")

    def handle(self, *args, action, username, name="", **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {username!r}. Create one with `kartei createsuperuser`.") from None
        token = api_token_create(user=user, name=name)
        self.stderr.write(f"API token for {username} (shown only now; store it safely):")
        self.stdout.write(token)
