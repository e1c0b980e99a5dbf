"""Keeping what customers carry for search up to date when the rules that write it change."""

from django.db import transaction

from kartei.core.progress import NoProgress

from ..models import Address, Customer
from ..search.documents import customer_document, sort_keys


def search_documents_refresh(*, progress=None, batch: int = 5000) -> int:
    """Recompute what the customers carry for search and sorting (after an upgrade that changes how documents are
    written, or to check them) and save it where it differs; the search index follows. How many changed."""
    progress = progress or NoProgress()
    fields = ("id", "name", "contact_person", "email", "phone", "vat_id", "city", "country")
    derived = ("search_document", "sort_name", "sort_city")
    last, changed = 0, 0
    while True:
        rows = list(Customer.objects.filter(id__gt=last).order_by("id").only(*fields, *derived)[:batch])
        if not rows:
            progress.finish()
            return changed
        addresses: dict[int, list[Address]] = {}
        for address in Address.objects.filter(customer_id__in=[c.pk for c in rows]):
            addresses.setdefault(address.customer_id, []).append(address)
        stale = []
        for customer in rows:
            own = addresses.get(customer.pk, [])
            fresh = (customer_document(customer, own), *sort_keys(customer.name, customer.city))
            if fresh != tuple(getattr(customer, f) for f in derived):
                customer.search_document, customer.sort_name, customer.sort_city = fresh
                stale.append(customer)
        with transaction.atomic():
            Customer.objects.bulk_update(stale, derived)
        changed += len(stale)
        last = rows[-1].pk
        progress.advance(len(rows))
