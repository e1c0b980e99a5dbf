from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kartei.accounts import queries
from kartei.accounts.services import api_token_create, api_token_revoke


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--expires takes a date such as 2027-01-31, not {value!r}.") from None


def _when(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "-"


class Command(BaseCommand):
    help = (
        "Manage API tokens. `kartei token create USERNAME` prints a new token on the last line; "
        "`kartei token list [USERNAME]` shows them; `kartei token revoke PREFIX` (or ID) stops one."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token for a user and print it.")
        create.add_argument("username")
        create.add_argument("--name", default="", help="A note on what the token is for.")
        expiry = create.add_mutually_exclusive_group()
        expiry.add_argument(
            "--expires", metavar="YYYY-MM-DD", help="The last day the token works (in TIME_ZONE); none by default."
        )
        expiry.add_argument("--days", type=int, metavar="N", help="The token works for N days from now.")
        listing = sub.add_parser("list", help="List tokens (never the tokens themselves, which are not stored).")
        listing.add_argument("username", nargs="?", help="Only this user's tokens.")
        revoke = sub.add_parser("revoke", help="Revoke a token: it stops working at once, for good.")
        revoke.add_argument("token", metavar="PREFIX", help="The prefix `list` shows (kt_…), or the token's id.")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _create(self, *, username, name="", expires=None, days=None, **options):
        user = self._user(username)
        expires_at = None
        if expires is not None:
            # Works through the day given: it expires when the next day begins.
            expires_at = timezone.make_aware(datetime.combine(_date(expires) + timedelta(days=1), time.min))
        elif days is not None:
            if days < 1 or days > 36_500:
                raise CommandError("--days takes a number from 1 to 36500.")
            expires_at = timezone.now() + timedelta(days=days)
        try:
            token = api_token_create(user=user, name=name, expires_at=expires_at)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        until = f", valid until {_when(expires_at)}" if expires_at else ""
        self.stderr.write(f"API token for {username}{until} (shown only now; store it safely):")
        self.stdout.write(token)

    def _list(self, *, username=None, **options):
        if username is not None:
            self._user(username)
        header = ("ID", "PREFIX", "USER", "NAME", "CREATED", "LAST USED", "EXPIRES", "REVOKED")
        rows = [header]
        for t in queries.api_tokens(username=username):
            rows.append((str(t.pk), t.prefix, t.user.username, t.name or "-", _when(t.created_at),
                         _when(t.last_used_at), _when(t.expires_at), _when(t.revoked_at)))  # fmt: skip
        if len(rows) == 1:
            self.stdout.write("No tokens.")
            return
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        for row in rows:
            self.stdout.write("  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True)).rstrip())

    def _revoke(self, *, token, **options):
        matches = list(queries.api_tokens_matching(token.strip())[:2])
        if not matches:
            raise CommandError(f"No token with the prefix or id {token!r}. `kartei token list` shows them.")
        if len(matches) > 1:
            raise CommandError(f"Several tokens start with {token!r}; revoke by id (`kartei token list` shows it).")
        was_revoked = matches[0].revoked_at is not None
        revoked = api_token_revoke(token=matches[0])
        if was_revoked:
            self.stdout.write(f"Token {revoked.prefix}… of {revoked.user.username} was already revoked.")
        else:
            self.stdout.write(f"Revoked token {revoked.prefix}… of {revoked.user.username}.")

    def _user(self, username: str):
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {username!r}. Create one with `kartei createsuperuser`.") from None
