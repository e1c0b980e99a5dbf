from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kartei.customers.demo import demo_add


class Command(BaseCommand):
    help = "Add realistic demo customers (German, Polish and English) and a demo login."

    def add_arguments(self, parser):
        parser.add_argument("--customers", type=int, default=500, help="How many customers to add (default 500).")
        parser.add_argument("--products", type=int, default=0, help="Generated products besides the demo catalog.")
        parser.add_argument(
            "--orders", type=int, help="Orders from the current customers (default: 200 when adding customers)."
        )
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--username", default="demo", help="The demo login to create or reset.")
        parser.add_argument("--no-login", action="store_true", help="Do not create or reset the demo login.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only into a new installation (no customers, no staff); otherwise change nothing.",
        )

    def handle(self, *args, customers, products, orders, seed, username, no_login, if_empty, **options):
        if customers < 0 or customers > 10_000_000:
            raise CommandError("Choose between 0 and 10,000,000 customers.")
        if orders is None:
            orders = 200 if customers else 0
        if not 0 <= products <= 99_999 or not 0 <= orders <= 10_000_000:
            raise CommandError("Choose between 0 and 99,999 products and between 0 and 10,000,000 orders.")
        try:
            added = demo_add(customers=customers, seed=seed, username=username, login=not no_login,
                             if_empty=if_empty, products=products, orders=orders, stream=self.stdout)  # fmt: skip
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if added is None:
            self.stdout.write("Kartei already holds customers or staff: no demo data added, no login changed.")
            return
        self.stdout.write(f"Added {added.customers:,} demo customers in {added.seconds:.0f} s.")
        if added.orders:
            self.stdout.write(f"Added {added.orders:,} demo orders.")
        if added.password:
            self.stdout.write(f"Log in as:  {added.username}  /  {added.password}")
