"""What both databases' search indexes do, and the part of it they share: installing the index's tables,
triggers and functions from one place, versioned by the digest of their SQL, so any migration can run and
search stays in sync (see installer.py)."""

import hashlib
from contextlib import contextmanager

from django.db import transaction

from kartei.core.progress import NoProgress

from .tokens import IndexQuery

CUSTOMERS = "customers_customer"
TAG_LINKS = "customers_customer_tags"
# What the search data was built with: ("index", the digest of the index's SQL) and ("documents", the rules
# the search documents were written by, documents.RULES).
VERSION_TABLE = "customers_search_version"
FILL_BATCH = 50_000  # customer ids indexed per statement when the index is filled


class SearchIndex:
    """One database's search index. Subclasses give the SQL and the reads; `install` and `check` are here."""

    vendor = ""

    # ------------------------------------------------------------------ the index's database objects

    def create_statements(self) -> list[str]:
        """Everything the index needs, created where missing (idempotent)."""
        raise NotImplementedError

    def drop_statements(self) -> list[str]:
        """Everything the index is made of, dropped where present, under every name it ever had."""
        raise NotImplementedError

    def remove_sync(self, cursor) -> None:
        """Take off what keeps the index in sync with the customers (before a migration that may need it gone)."""
        raise NotImplementedError

    def fill(self, cursor, progress) -> None:
        """Index every customer, the index being empty."""
        raise NotImplementedError

    def check_and_repair(self, cursor, progress) -> int:
        """Compare the index with the customers table and mend what differs; how many customers' entries were
        wrong (SQLite checks the index as a whole: every customer's, if any was)."""
        raise NotImplementedError

    def has_sync(self, cursor) -> bool:
        """Whether everything that keeps the index in sync is in place."""
        raise NotImplementedError

    def version(self) -> str:
        return hashlib.sha256("\n".join(self.create_statements()).encode()).hexdigest()[:16]

    # ------------------------------------------------------------------ reads

    def ids(self, query: IndexQuery, *, descending: bool = True, after: int | None = None, limit: int) -> list[int]:
        """Ids of up to `limit` matching customers in id order (descending: newest first), after the id `after`."""
        raise NotImplementedError

    def count(self, query: IndexQuery, *, limit: int) -> int:
        """How many customers match, counted up to `limit`."""
        raise NotImplementedError

    def size(self, query: IndexQuery, *, sparse: int, dense: int, walk: int, fills: int) -> str:
        """Roughly how many customers match: "sparse" (at most `sparse`), "dense" (about `dense` or more, so a
        walk in another order meets a match every few rows) or "middle"."""
        raise NotImplementedError

    def matching_ids_sql(self, query: IndexQuery) -> tuple[str, list]:
        """SQL that selects the ids of the customers the index finds, for `id IN (...)`."""
        raise NotImplementedError

    @contextmanager
    def sorted_reads(self):
        """Around a read of a known set of ids sorted by some column."""
        yield

    @contextmanager
    def column_walks(self):
        """Around a walk of a sort column's index that checks each row until the page is full."""
        yield

    def email_key(self):
        """The expression the e-mail keys are looked up by (the lower-cased address, in byte order)."""
        raise NotImplementedError

    # ------------------------------------------------------------------ bulk writes

    def bulk_entry(self, document: str, *, deleted: bool, active: bool, status: str, temperature: str,
                   tag_ids: list[int]) -> str | None:  # fmt: skip
        """A new customer's entry in the index, made by the bulk write path where it prepares the rows (no
        database access), for bulk_writes to write; None where the index makes its own entries."""
        return None

    @contextmanager
    def bulk_writes(self, cursor, *, first_id: int, entries: list[list]):
        """Around a bulk insert of customers with ids from `first_id` on, in the caller's transaction. `entries`:
        [id, bulk_entry] of each of them, or empty where bulk_entry makes none."""
        yield

    @contextmanager
    def bulk_connection(self):
        """The connection set up for writing much (and reading little) while a bulk insert runs."""
        yield

    def before_first_load(self, cursor) -> None:
        """In a first load's transaction, before the customers are written: drop what is cheaper built at the end."""

    def after_first_load(self, cursor) -> None:
        """Build what before_first_load dropped."""

    def after_bulk_write(self, cursor, tables: list[str]) -> None:
        """Bring the planner's statistics up to date for the tables a bulk write filled."""
        raise NotImplementedError

    # ------------------------------------------------------------------ shared

    def install(self, connection, progress=None) -> bool:
        """Create what is missing; rebuild the index when its SQL changed since it was built (or it was built
        by a migration, before the version was kept). True when the index was rebuilt."""
        progress = progress or NoProgress()
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            if CUSTOMERS not in connection.introspection.table_names(cursor):
                return False  # migrated back to before the customers existed
            current = self.version()
            if stored_version(cursor, "index") == current:
                for sql in self.create_statements():
                    cursor.execute(sql)
                return False
            for sql in self.drop_statements():
                cursor.execute(sql)
            for sql in self.create_statements():
                cursor.execute(sql)
            self.fill(cursor, progress)
            progress.finish()
            store_version(cursor, "index", current)
            return True

    def check(self, connection, progress=None) -> int:
        progress = progress or NoProgress()
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            wrong = self.check_and_repair(cursor, progress)
        progress.finish()
        return wrong


def id_batches(cursor, table: str, *, after: int = 0, size: int = FILL_BATCH) -> list[tuple[int, int]]:
    """(low, high] id ranges, `size` ids each, that cover the table's rows with ids above `after`."""
    cursor.execute(f"SELECT min(id), max(id) FROM {table} WHERE id > %s", [after])
    low, high = cursor.fetchone()
    if low is None:
        return []
    return [(start, start + size) for start in range(low - 1, high, size)]


def stored_version(cursor, part: str) -> str | None:
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (part varchar(20) PRIMARY KEY, version varchar(64) NOT NULL)"
    )
    cursor.execute(f"SELECT version FROM {VERSION_TABLE} WHERE part = %s", [part])
    row = cursor.fetchone()
    return row[0] if row else None


def store_version(cursor, part: str, version: str) -> None:
    cursor.execute(f"DELETE FROM {VERSION_TABLE} WHERE part = %s", [part])
    cursor.execute(f"INSERT INTO {VERSION_TABLE} (part, version) VALUES (%s, %s)", [part, version])
