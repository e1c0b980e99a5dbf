from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the .po translation files to .mo (in Python, so no system gettext is needed)."

    def handle(self, *args, **options):
        for po_path in sorted(Path(settings.LOCALE_PATHS[0]).glob("*/LC_MESSAGES/*.po")):
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file)
            with po_path.with_suffix(".mo").open("wb") as mo_file:
                write_mo(mo_file, catalog, use_fuzzy=False)
            self.stdout.write(
                f"compiled {po_path.relative_to(Path.cwd()) if po_path.is_relative_to(Path.cwd()) else po_path}"
            )
