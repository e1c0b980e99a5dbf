from django.core.management.base import BaseCommand
from django.db import transaction

from kartei.customers.models import Customer
from kartei.customers.search import customer_document


class Command(BaseCommand):
    help = "Recompute every customer's search document (after an upgrade that changes how search folds words)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=5000)

    def handle(self, *args, batch, **options):
        fields = ("id", "name", "contact_person", "email", "phone", "vat_id", "country", "search_document")
        last, changed = 0, 0
        while True:
            rows = list(Customer.objects.filter(id__gt=last).order_by("id").only(*fields)[:batch])
            if not rows:
                break
            stale = []
            for customer in rows:
                document = customer_document(customer)
                if document != customer.search_document:
                    customer.search_document = document
                    stale.append(customer)
            with transaction.atomic():
                Customer.objects.bulk_update(stale, ["search_document"])
            changed += len(stale)
            last = rows[-1].pk
        self.stdout.write(f"{changed:,} search documents updated.")
