import secrets
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Max

from kartei.core.progress import Progress
from kartei.customers.demo import demo_rows
from kartei.customers.models import Customer, Source
from kartei.customers.services import customers_bulk_finished, customers_bulk_insert


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
            actor, _ = get_user_model().objects.get_or_create(username=username, defaults={"is_staff": True})
            password = secrets.token_urlsafe(9)
            actor.set_password(password)
            actor.is_active = True
            actor.save()
        if if_empty and Customer.objects.exists():
            customers = 0
        start = (Customer.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        began = time.monotonic()
        progress = Progress(customers, label="Adding demo customers", stream=self.stdout)
        for rows in demo_rows(customers, start=start, seed=seed):
            progress.advance(len(customers_bulk_insert(actor=actor, rows=rows, source=Source.MANUAL)))
        if customers:
            customers_bulk_finished()
        progress.finish()
        self.stdout.write(f"Added {progress.done:,} demo customers in {time.monotonic() - began:.0f} s.")
        if password:
            self.stdout.write(f"Log in as:  {username}  /  {password}")
