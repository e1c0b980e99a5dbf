from django.conf import settings
from django.core.management.base import BaseCommand

from kartei.customers.services import trash_purge


class Command(BaseCommand):
    help = f"Delete for good the customers that have been in the trash for more than {settings.KARTEI_TRASH_DAYS} days."

    def handle(self, *args, **options):
        self.stdout.write(f"{trash_purge()} customers deleted for good.")
