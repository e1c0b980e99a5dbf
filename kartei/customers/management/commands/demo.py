import secrets
import time

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Max

from kartei.accounts.models import Role
from kartei.accounts.services import staff_create, staff_set_password, staff_update
from kartei.core.progress import Progress
from kartei.customers.demo import prepared_demo_batches
from kartei.customers.models import Customer, Source
from kartei.customers.services import customers_bulk_session, customers_bulk_write


class Command(BaseCommand):
    help = "Add realistic demo customers (German, Polish and English) and a demo login."

    def add_arguments(self, parser):
        parser.add_argument("--customers", type=int, default=500, help="How many customers to add (default 500).")
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--username", default="demo", help="The demo login to create or reset.")
        parser.add_argument("--no-login", action="store_true", help="Do not create or reset the demo login.")
        parser.add_argument("--if-empty", action="store_true", help="Add customers only if there are none yet.")

    def handle(self, *args, customers, seed, username, no_login, if_empty, **options):
        if customers < 0 or customers > 10_000_000:
            raise CommandError("Choose between 0 and 10,000,000 customers.")
        actor = None
        password = None
        if not no_login:
            password = secrets.token_urlsafe(9)
            try:
                actor = self._demo_owner(username, password)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
        if if_empty and Customer.objects.exists():
            customers = 0
        start = (Customer.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        began = time.monotonic()
        progress = Progress(customers, label="Adding demo customers", stream=self.stdout)
        if customers:
            with customers_bulk_session(adding=customers):
                for batch in prepared_demo_batches(customers, start=start, seed=seed, source=Source.MANUAL):
                    progress.advance(len(customers_bulk_write(actor=actor, customers=batch)))
        progress.finish()
        self.stdout.write(f"Added {progress.done:,} demo customers in {time.monotonic() - began:.0f} s.")
        if password:
            self.stdout.write(f"Log in as:  {username}  /  {password}")

    def _demo_owner(self, username: str, password: str):
        """The demo login, an active owner (it shows every page, staff management included), with a new
        password."""
        data = {"role": Role.OWNER, "is_active": True}
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            return staff_create(actor=None, data={"name": "Demo", "username": username, "password": password, **data})
        staff_update(actor=None, user=user, data=data)
        staff_set_password(actor=None, user=user, password=password)
        return user
