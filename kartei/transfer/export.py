"""Customers out to a file Excel opens correctly: CSV (UTF-8 with a byte order mark, or the semicolons and decimal
commas of a German or Polish Excel) or XLSX, every field, streamed in chunks so memory stays flat whatever the
size. The same columns (in the user's language) are what the importer reads back."""

import csv
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import partial

from django.db.models import BooleanField, CharField, Count, DateTimeField, Max
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kartei.core.bulk import fewer_collections, unmapped_reads
from kartei.customers.models import Address, Customer, Kind, Language, Source, Status, Temperature
from kartei.customers.queries import CustomerFilter, customers_matching

CHUNK = 2000  # customers read at once (with their tags and addresses)

# (header, column) of the customer's own fields, in the file's order.
FIELDS = [
    (gettext_lazy("ID"), "id"),
    (gettext_lazy("Name"), "name"),
    (gettext_lazy("Kind"), "kind"),
    (gettext_lazy("Contact person"), "contact_person"),
    (gettext_lazy("Email"), "email"),
    (gettext_lazy("Phone"), "phone"),
    (gettext_lazy("VAT ID"), "vat_id"),
    (gettext_lazy("Status"), "status"),
    (gettext_lazy("Temperature"), "temperature"),
    (gettext_lazy("Discount %"), "discount_percent"),
    (gettext_lazy("Currency"), "preferred_currency"),
    (gettext_lazy("Language"), "preferred_language"),
    (gettext_lazy("Tags"), "tags"),
    (gettext_lazy("Marketing emails"), "marketing_consent"),
    (gettext_lazy("Marketing emails since"), "marketing_consent_at"),
    (gettext_lazy("System notifications"), "system_notifications"),
    (gettext_lazy("Active"), "is_active"),
    (gettext_lazy("Source"), "source"),
    (gettext_lazy("Joined"), "created_at"),
]
ADDRESS_FIELDS = [
    (gettext_lazy("Address label"), "label"),
    (gettext_lazy("Street and number"), "street"),
    (gettext_lazy("Postal code"), "postal_code"),
    (gettext_lazy("City"), "city"),
    (gettext_lazy("Country"), "country"),
]
CHOICES = {
    "kind": Kind,
    "status": Status,
    "temperature": Temperature,
    "preferred_language": Language,
    "source": Source,
}
TAG_SEPARATOR = ", "  # a tag name has no comma (typed tags are split at commas)

# A spreadsheet takes a cell beginning with one of these as a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_FIRST = frozenset(FORMULA_STARTS)  # each is one character


@dataclass(frozen=True)
class Dialect:
    """How a CSV file writes what a spreadsheet reads."""

    delimiter: str = ","
    decimal: str = "."


CSV = Dialect()
CSV_EXCEL_COMMA = Dialect(delimiter=";", decimal=",")  # Excel in German or Polish


def customers_to_export(f: CustomerFilter | None):
    """The customers a filter selects (the list as the page shows it), or with None every customer not in the
    trash, active or not."""
    return customers_matching(f) if f is not None else Customer.objects.filter(deleted_at__isnull=True)


def table(f: CustomerFilter | None) -> tuple[list[str], Iterator[list]]:
    """The header and (lazily read) rows of an export of the customers a filter selects, or of everyone."""
    customers = customers_to_export(f)
    groups = address_groups(customers)
    return headers(groups), rows(customers, groups)


def address_groups(customers) -> int:
    """How many address column groups the file needs: the most addresses one of the customers has."""
    with unmapped_reads():  # a pass over every customer, like the rows after it
        most = (
            Address.objects.filter(customer__in=customers.values("id"))
            .values("customer_id")
            .annotate(n=Count("id"))
            .aggregate(most=Max("n"))["most"]
        )
    return most or 0


def headers(groups: int) -> list[str]:
    names = [str(header) for header, _ in FIELDS]
    for n in range(1, groups + 1):
        names += [str(header) if n == 1 else f"{header} {n}" for header, _ in ADDRESS_FIELDS]
    return names


def _shown_in_file() -> dict:
    """Column → what its values become in a file, in the active language, for the columns not written as stored:
    a choice's label, yes or no, a local date-time."""
    shown = {}
    for column, choices in CHOICES.items():
        labels = {value: str(label) for value, label in choices.choices}
        shown[column] = lambda value, labels=labels: labels.get(value, value)
    yes, no = _("yes"), _("no")
    for _header, column in FIELDS:
        field = Customer._meta.get_field(column)
        if isinstance(field, BooleanField):
            shown[column] = lambda value: yes if value else no
        elif isinstance(field, DateTimeField):
            shown[column] = partial(_local_time, zone=timezone.get_current_timezone())
    return shown


def _local_time(value: datetime | None, zone) -> datetime | None:
    return None if value is None else value.astimezone(zone).replace(tzinfo=None, microsecond=0)


def rows(customers, groups: int) -> Iterator[list]:
    """One list of values per customer, oldest first: text, numbers, booleans as yes/no, local date-times."""
    columns = [column for _, column in FIELDS]
    stored = [column for column in columns if column != "tags"]
    id_at, tags_at = stored.index("id"), columns.index("tags")
    shown = [(at, convert) for at, column in enumerate(columns) if (convert := _shown_in_file().get(column))]
    blank = [""] * len(ADDRESS_FIELDS)
    last = 0
    # The memory an export takes stays the same however many customers it writes.
    with unmapped_reads(), fewer_collections():
        while True:
            chunk = customers.filter(id__gt=last).order_by("id").values_list(*stored)[:CHUNK]
            if not chunk:
                return
            ids = [customer[id_at] for customer in chunk]
            tags, addresses = _tags_of(ids), _addresses_of(ids)
            for customer in chunk:
                values = list(customer)
                values.insert(tags_at, tags.get(customer[id_at], ""))
                for at, convert in shown:
                    values[at] = convert(values[at])
                own = addresses.get(customer[id_at], ())
                for n in range(groups):
                    values += own[n] if n < len(own) else blank
                yield values
            last = ids[-1]


def _of_customers(rows, ids: list[int]):
    """`rows` (of a table with a customer_id) narrowed to the customers `ids` (ascending): a range where they lie
    close together (a whole export: no long list of ids to send), else the ids themselves."""
    if ids[-1] - ids[0] < 2 * len(ids):
        return rows.filter(customer_id__gte=ids[0], customer_id__lte=ids[-1])
    return rows.filter(customer_id__in=ids)


def _tags_of(ids: list[int]) -> dict[int, str]:
    names = defaultdict(list)
    links = _of_customers(Customer.tags.through.objects, ids).order_by("customer_id", "tag__name")
    for customer_id, name in links.values_list("customer_id", "tag__name"):
        names[customer_id].append(name)
    return {customer_id: TAG_SEPARATOR.join(tags) for customer_id, tags in names.items()}


def _addresses_of(ids: list[int]) -> dict[int, list[list[str]]]:
    """Each customer's addresses, the default first."""
    found = defaultdict(list)
    columns = [column if column != "country" else "country_code" for _, column in ADDRESS_FIELDS]
    ordered = (
        _of_customers(Address.objects, ids)
        .annotate(country_code=Cast("country", CharField()))  # the code, without making a Country of each
        .order_by("customer_id", "-is_default", "id")
    )
    for customer_id, *values in ordered.values_list("customer_id", *columns):
        found[customer_id].append(values)
    return found


def neutralised(text: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_cell(value, dialect: Dialect) -> str:
    if value.__class__ is str:  # most cells: checked first
        return "'" + value if value[:1] in FORMULA_FIRST else value
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return _plain_number(value).replace(".", dialect.decimal)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return neutralised(str(value))


def _plain_number(value: Decimal) -> str:
    """12.50 -> "12.5", 10.00 -> "10"."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class _Echo:
    """A file-like that hands back what is written to it (csv.writer writing into a streamed response)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: list[str], values: Iterable[list], dialect: Dialect = CSV) -> Iterator[str]:
    """The file as text lines, starting with a byte order mark, so Excel reads it as UTF-8."""
    writer = csv.writer(_Echo(), delimiter=dialect.delimiter, lineterminator="\r\n")
    yield "\ufeff" + writer.writerow([neutralised(h) for h in header])
    for row in values:
        # Text that needs nothing done (most cells) is passed on as it is, without a call.
        yield writer.writerow([v if v.__class__ is str and v[:1] not in FORMULA_FIRST else csv_cell(v, dialect)
                               for v in row])  # fmt: skip


def write_csv(file, header: list[str], values: Iterable[list], dialect: Dialect = CSV) -> int:
    """The CSV into a text file opened with newline=""; the number of customers written."""
    lines = csv_lines(header, values, dialect)
    file.write(next(lines))
    count = 0
    for count, line in enumerate(lines, start=1):  # noqa: B007 (the last count is the answer)
        file.write(line)
    return count


def write_xlsx(file, header: list[str], values: Iterable[list]) -> int:
    """An Excel workbook of one sheet into `file` (a path or a binary file), written row by row (xlsxwriter's
    constant memory mode). Text is written as text, so nothing in it becomes a formula. The number of customers
    written."""
    import xlsxwriter

    count = 0
    with xlsxwriter.Workbook(file, {"constant_memory": True, "strings_to_formulas": False}) as book:
        sheet = book.add_worksheet(_("Customers")[:31])
        bold = book.add_format({"bold": True})
        when = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        sheet.freeze_panes(1, 0)
        sheet.write_row(0, 0, header, bold)
        for count, row in enumerate(values, start=1):
            for col, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, Decimal):
                    sheet.write_number(count, col, float(value))
                elif isinstance(value, datetime):
                    sheet.write_datetime(count, col, value, when)
                elif isinstance(value, int):
                    sheet.write_number(count, col, value)
                else:
                    sheet.write_string(count, col, str(value))
    return count


# The sample file offered on the import page: the columns people fill most, two customers as examples.
SAMPLE_COLUMNS = ("name", "kind", "contact_person", "email", "phone", "vat_id", "status", "temperature",
                  "discount_percent", "tags", "marketing_consent")  # fmt: skip
SAMPLE_CUSTOMERS = [
    {"name": "Bäckerei Müller GmbH", "kind": Kind.COMPANY, "contact_person": "Jürgen Müller",
     "email": "info@mueller.example.com", "phone": "+49 30 1234567", "vat_id": "DE136695976",
     "status": Status.CURRENT, "temperature": Temperature.HOT, "discount_percent": Decimal("12.5"),
     "tags": "VIP, Bäcker", "marketing_consent": True,
     "address": ["", "Hauptstraße 1", "10115", "Berlin", "DE"]},
    {"name": "Ewa Nowak", "kind": Kind.PERSON, "contact_person": "", "email": "ewa@salon.example.pl",
     "phone": "+48 512 345 678", "vat_id": "", "status": Status.POTENTIAL, "temperature": Temperature.WARM,
     "discount_percent": None, "tags": "Fryzjer", "marketing_consent": False,
     "address": ["", "ul. Piotrkowska 1", "90-001", "Łódź", "PL"]},
]  # fmt: skip


def sample() -> tuple[list[str], list[list]]:
    """The sample file's header and rows, in the active language."""
    names = {column: str(header) for header, column in FIELDS}
    header = [names[c] for c in SAMPLE_COLUMNS] + [str(h) for h, _ in ADDRESS_FIELDS]
    shown = _shown_in_file()
    examples = [[shown[c](customer[c]) if c in shown else customer[c] for c in SAMPLE_COLUMNS] + customer["address"]
                for customer in SAMPLE_CUSTOMERS]  # fmt: skip
    return header, examples
