from django.core.management.base import BaseCommand
from django.db import transaction

from kartei.customers.models import Customer
from kartei.customers.search import customer_document, customer_sort_keys


class Command(BaseCommand):
    help = (
        "Recompute every customer's search document and sort keys (after an upgrade that changes how search "
        "folds words)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=5000)

    def handle(self, *args, batch, **options):
        fields = ("id", "name", "contact_person", "email", "phone", "vat_id", "city", "country")
        derived = ("search_document", "sort_name", "sort_city")
        last, changed = 0, 0
        while True:
            rows = list(Customer.objects.filter(id__gt=last).order_by("id").only(*fields, *derived)[:batch])
            if not rows:
                break
            stale = []
            for customer in rows:
                fresh = (customer_document(customer), *customer_sort_keys(customer))
                if fresh != tuple(getattr(customer, f) for f in derived):
                    customer.search_document, customer.sort_name, customer.sort_city = fresh
                    stale.append(customer)
            with transaction.atomic():
                Customer.objects.bulk_update(stale, derived)
            changed += len(stale)
            last = rows[-1].pk
        self.stdout.write(f"Updated {changed:,} customer{'' if changed == 1 else 's'}.")
