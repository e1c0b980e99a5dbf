"""`kartei export customers --format csv|xlsx -o FILE`: every customer not in the trash, to a file."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from kartei.transfer import export


class Command(BaseCommand):
    help = "Export every customer (not those in the trash) to a CSV or XLSX file."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["customers"])
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("-o", "--output", required=True, help="the file to write")
        parser.add_argument(
            "--excel-comma", action="store_true", help="CSV with semicolons and decimal commas (German, Polish Excel)"
        )
        parser.add_argument("--language", choices=["en", "de", "pl"], default="en", help="of headers and values")

    def handle(self, *args, what, format, output, excel_comma, language, **options):
        with translation.override(language):
            header, values = export.table(None)
            dialect = export.CSV_EXCEL_COMMA if excel_comma else export.CSV
            try:
                if format == "xlsx":
                    count = export.write_xlsx(output, header, values)
                else:
                    with open(output, "w", encoding="utf-8", newline="") as file:
                        count = export.write_csv(file, header, values, dialect)
            except OSError as error:
                raise CommandError(f"Cannot write {output}: {error.strerror}") from None
        self.stdout.write(f"Exported {count:,} customers to {output}.")
