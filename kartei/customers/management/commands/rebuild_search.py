from django.core.management.base import BaseCommand
from django.db import connection

from kartei.core.progress import Progress
from kartei.customers.models import Customer
from kartei.customers.search import search_index
from kartei.customers.search.installer import refresh_documents


class Command(BaseCommand):
    help = (
        "Check search against the customers and mend what is wrong: each customer's search document and sort "
        "keys, then the search index itself (after restoring a dump, say)."
    )

    def handle(self, *args, **options):
        index = search_index()
        total = Customer.objects.count()
        if index.install(connection, Progress(total, label="Building the search index", stream=self.stdout)):
            self.stdout.write("Built the search index.")
        stale = refresh_documents(connection, Progress(total, label="Checking search documents", stream=self.stdout))
        self.stdout.write(f"Updated {stale:,} customer{'' if stale == 1 else 's'}.")
        wrong = index.check(connection, Progress(total, label="Checking the search index", stream=self.stdout))
        if wrong:
            self.stdout.write(f"Mended the search index for {wrong:,} customer{'' if wrong == 1 else 's'}.")
        else:
            self.stdout.write("The search index matches the customers.")
