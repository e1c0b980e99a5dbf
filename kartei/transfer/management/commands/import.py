"""`kartei import customers FILE [--dry-run] [--on-duplicate skip|fill|overwrite] [--json] [--sheet NAME]` and
`kartei import undo ID`."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from kartei.transfer.models import Import, OnDuplicate
from kartei.transfer.reading import FileProblem
from kartei.transfer.services import customers_import, import_undo


class Command(BaseCommand):
    help = "Import customers from a CSV or spreadsheet file, or undo an import."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["customers", "undo"])
        parser.add_argument("target", help="the file to import, or the ID of the import to undo")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument("--on-duplicate", choices=OnDuplicate.values, default=OnDuplicate.SKIP)
        parser.add_argument("--json", action="store_true", help="print the result as JSON on the last line")
        parser.add_argument(
            "--keep-unmapped", action="store_true", help="keep the columns Kartei has no field for in a note"
        )
        parser.add_argument("--language", choices=["en", "de", "pl"], default="en", help="of the reasons given")
        parser.add_argument("--sheet", default="", help="of a workbook, the sheet to read (else its first)")

    def handle(self, *args, what, target, dry_run, on_duplicate, json, language, keep_unmapped, sheet, **options):
        with translation.override(language):
            if what == "undo":
                return self._undo(target)
            path = Path(target)
            if not path.is_file():
                raise CommandError(f"There is no file {target}.")
            try:
                result = customers_import(
                    actor=None,
                    path=path,
                    on_duplicate=on_duplicate,
                    dry_run=dry_run,
                    keep_unmapped=keep_unmapped,
                    sheet=sheet,
                )
            except FileProblem as problem:
                raise CommandError(str(problem)) from None
        if json:
            self.stdout.write(_json(result.as_json()))
            return
        would = "would be " if dry_run else ""
        self.stdout.write(
            f"{result.created:,} customers {would}created, {result.updated:,} {would}updated, "
            f"{result.skipped:,} skipped, {len(result.rejected):,} rejected."
        )
        for rejected in result.rejected:
            self.stdout.write(f"  line {rejected['line']}: {rejected['reason']}")
        for position in sorted(result.guessed):
            header, field = result.columns[position]
            self.stdout.write(f"Column guessed: {header} read as {field}; check it.")
        if result.unmapped:
            self.stdout.write(f"Columns not read: {', '.join(result.unmapped)}")
        if result.import_id:
            self.stdout.write(f"Import {result.import_id}; undo it with: kartei import undo {result.import_id}")

    def _undo(self, target: str) -> None:
        run = Import.objects.filter(pk=int(target)).first() if target.isdigit() else None
        if run is None:
            raise CommandError(f"There is no import {target}.")
        try:
            result = import_undo(actor=None, run=run)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"{result.removed:,} customers removed, {result.restored:,} restored.")
        for name in result.kept:
            self.stdout.write(f"  kept, changed since the import: {name}")
        for name in result.ordered:
            self.stdout.write(f"  kept, ordered since the import: {name}")


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)
