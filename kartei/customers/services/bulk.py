"""Many customers at once (demo data, imports), without an ORM object per row, each ending up exactly like a
customer entered by hand: derived fields, search entry, tags, notes and its "created" event.

Preparing (the derived fields: pure Python, no database) and writing are two steps, so a caller with much to
write can prepare the next batch in another process while this one writes (see kartei/customers/demo.py)."""

from contextlib import contextmanager, nullcontext
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from kartei.core import bulk
from kartei.timeline.actors import actor_user
from kartei.timeline.models import Event
from kartei.timeline.services import events_bulk_record

from ..models import Address, Customer, Note
from ..search import search_index
from .derived import derived_fields, tag_names_of


@dataclass
class PreparedCustomers:
    """Customers ready to be written by customers_bulk_write: the rows of each table (kartei.core.bulk.Table
    rows: plain lists, so they can be made in another process). Where a row names its customer, it holds the
    customer's place in the batch until the batch is written and the customers get their ids. `search_entries`:
    [place, entry] for the search index, where it takes its entries from the bulk path (SearchIndex.bulk_entry)."""

    source: str
    customers: list[list]
    tag_links: list[list]
    addresses: list[list]
    notes: list[list]
    search_entries: list[list]


def _tables() -> dict[str, bulk.Table]:
    return {
        "customers": bulk.Table(Customer, with_ids=True),
        "tag_links": bulk.Table(Customer.tags.through),
        "addresses": bulk.Table(Address),
        "notes": bulk.Table(Note),
    }


def customers_bulk_prepare(rows: list[dict], *, source: str) -> PreparedCustomers:
    """The rows, completed with their derived fields and laid out for their tables (no database access). Rows as
    customers_bulk_insert takes them."""
    tables = _tables()
    index = search_index()
    at = {name: tables["customers"].position(name) for name in ("deleted_at", "is_active", "status", "temperature")}
    now = timezone.now()
    prepared = PreparedCustomers(source=source, customers=[], tag_links=[], addresses=[], notes=[], search_entries=[])
    for place, row in enumerate(rows):
        customer = {"preferred_currency": settings.KARTEI_DEFAULT_CURRENCY, "created_at": now, **row["customer"]}
        customer.update(
            row.get("derived") or derived_fields(customer, row["addresses"]),
            source=source,
            tag_names=tag_names_of(row["tags"]),
            updated_at=now,
        )
        stored = tables["customers"].row(customer)
        prepared.customers.append(stored)
        entry = index.bulk_entry(
            customer["search_document"],
            deleted=stored[at["deleted_at"]] is not None,
            active=stored[at["is_active"]],
            status=stored[at["status"]],
            temperature=stored[at["temperature"]],
            tag_ids=[t.pk for t in row["tags"]],
        )
        if entry is not None:
            prepared.search_entries.append([place, entry])
        prepared.tag_links += [tables["tag_links"].row({"customer_id": place, "tag_id": t.pk}) for t in row["tags"]]
        prepared.addresses += [tables["addresses"].row({"customer_id": place, **a}) for a in row["addresses"]]
        prepared.notes += [
            tables["notes"].row(
                {"customer_id": place, "text": text, "priority": priority, "created_at": now, "updated_at": now}
            )
            for text, priority in row.get("notes", ())
        ]
    return prepared


def customers_bulk_insert(*, actor, rows: list[dict], source: str) -> list[int]:
    """Insert many already-cleaned customers at once; each gets the derived fields, search entry and "created"
    event that customer_create gives. The new ids, in order.

    Each row: {"customer": {field: value} (what customer_create's cleaning gives; fields left out get their
    default; an "id" in every row or in none), "addresses": [dict], "tags": [Tag], "notes": [(text, priority)]},
    and optionally "derived": what derived.derived_fields gives for it, if computed already (in another process).
    Many batches go inside customers_bulk_session()."""
    return customers_bulk_write(actor=actor, customers=customers_bulk_prepare(rows, source=source))


@transaction.atomic
def customers_bulk_write(*, actor, customers: PreparedCustomers, subject=None) -> list[int]:
    """Write customers prepared by customers_bulk_prepare, in one transaction. The new ids, in order. `subject`:
    what the customers came with (an import), for their "created" events."""
    if not customers.customers:
        return []
    tables = _tables()
    id_at = tables["customers"].position("id")
    given = [row[id_at] for row in customers.customers]
    ids = given if all(given) else bulk.reserve_ids(Customer, len(given))
    for row, pk in zip(customers.customers, ids, strict=True):
        row[id_at] = pk
    for name in ("tag_links", "addresses", "notes"):
        at = tables[name].position("customer_id")
        for row in getattr(customers, name):
            row[at] = ids[row[at]]
    for row in customers.search_entries:
        row[0] = ids[row[0]]
    author, author_at = getattr(actor_user(actor), "pk", None), tables["notes"].position("author_id")
    for row in customers.notes:
        row[author_at] = author
    index = search_index()
    with connection.cursor() as cursor, index.bulk_writes(cursor, first_id=min(ids), entries=customers.search_entries):
        tables["customers"].insert(customers.customers)
        tables["tag_links"].insert(customers.tag_links)
        tables["addresses"].insert(customers.addresses)
        tables["notes"].insert(customers.notes)
        events_bulk_record(
            customer_ids=ids,
            kind="customer.created",
            actor=actor,
            subject=subject,
            data={"source": customers.source},
            at=timezone.now(),
        )
    if all(given):
        bulk.follow_ids(Customer)
    return ids


# A bulk insert of at least this many customers into a file with fewer than a tenth as many is a first load
# (moving to Kartei, demo data): the sort indexes are built once at the end instead of row by row.
FIRST_LOAD_MIN = 50_000


@contextmanager
def customers_bulk_session(*, adding: int, keep_indexes: tuple[str, ...] = ()):
    """Around all the batches (customers_bulk_write) of one bulk insert of about `adding` customers.

    A first load runs in one transaction that drops the customer table's sort indexes, the foreign keys of the
    tables it writes on PostgreSQL (and what the search index says to, SearchIndex.before_first_load) and builds
    them again at the end: at a million customers, inserting each row into ten B-trees in random order costs
    several times as much as sorting once, and checking keys row by row more than in one join. It is all or
    nothing: if it fails, the file is as it was. Other loads keep the indexes and commit batch by batch; a load that
    looks customers up as it goes keeps the indexes it looks them up by (`keep_indexes`, by name). Either way the
    planner's statistics are brought up to date at the end, so the first search after a load is as fast as the
    hundredth (PostgreSQL's autovacuum may not have run yet, or be off)."""
    first_load = adding >= FIRST_LOAD_MIN and Customer.objects.all()[: adding // 10].count() < adding // 10
    index = search_index()
    written = (Customer, Customer.tags.through, Address, Note, Event)
    with index.bulk_connection():
        with transaction.atomic() if first_load else nullcontext():
            if first_load:
                with connection.cursor() as cursor:
                    built_at_the_end = _sort_indexes(keep_indexes) + bulk.foreign_keys(written)
                    for drop, _ in built_at_the_end:
                        cursor.execute(drop)
                    index.before_first_load(cursor)
            yield
            if first_load:
                with connection.cursor() as cursor:
                    for _, create in built_at_the_end:
                        cursor.execute(create)
                    index.after_first_load(cursor)
        with connection.cursor() as cursor:
            index.after_bulk_write(cursor, [m._meta.db_table for m in written])


def _sort_indexes(keep: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """(DROP, CREATE) of the customer table's own indexes (its Meta.indexes but those named in `keep`; constraints
    stay)."""
    editor = connection.schema_editor()
    editor.deferred_sql = []  # used outside its `with` block, for the statements only
    return [(str(i.remove_sql(Customer, editor)), str(i.create_sql(Customer, editor)))
            for i in Customer._meta.indexes if i.name not in keep]  # fmt: skip
