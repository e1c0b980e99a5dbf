"""Bulk inserts without ORM objects: rows as plain dicts, written with COPY on PostgreSQL and executemany on
SQLite, with each model field's default where a row leaves it out. For the bulk paths of the services (demo
data, imports), which keep the services' invariants themselves."""

import datetime as dt
import enum
import gc
import json
import threading
from collections.abc import Iterable
from contextlib import contextmanager

from django.db import connection, models


@contextmanager
def unmapped_reads():
    """On SQLite, the file read through SQLite's page cache instead of mapped into memory: a pass over every
    customer (a load, an export) would otherwise map the whole file into the process, where it counts as the
    process's memory. Nothing changes on PostgreSQL."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA mmap_size")
        mmap_size = cursor.fetchone()[0]
        cursor.execute("PRAGMA mmap_size = 0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA mmap_size = {int(mmap_size)}")


# Python collects its youngest objects after this many new ones (instead of 700) while a bulk pass runs.
BULK_COLLECTION_THRESHOLD = 50_000
_bulk_passes = {"running": 0, "threshold": gc.get_threshold()}
_bulk_passes_lock = threading.Lock()


@contextmanager
def fewer_collections():
    """Python's cycle collector run less often while a bulk pass (an import, an export) makes and drops many
    small objects: what the process held before (Django, the modules loaded) is set aside from collections, and
    young objects are collected in larger groups. An import of 200,000 rows spent a tenth of its CPU time in
    collections. Worker processes forked inside inherit it; passes in several threads at once (exports served
    side by side) share it, and the last one to end puts the collector back as it was."""
    with _bulk_passes_lock:
        if not _bulk_passes["running"]:
            _bulk_passes["threshold"] = gc.get_threshold()
            gc.freeze()
            gc.set_threshold(BULK_COLLECTION_THRESHOLD, *_bulk_passes["threshold"][1:])
        _bulk_passes["running"] += 1
    try:
        yield
    finally:
        with _bulk_passes_lock:
            _bulk_passes["running"] -= 1
            if not _bulk_passes["running"]:
                gc.set_threshold(*_bulk_passes["threshold"])
                gc.unfreeze()


def reserve_ids(model, count: int) -> list[int]:
    """`count` new primary keys for `model`'s rows, in ascending order, for rows the caller inserts in its
    transaction (which on SQLite holds the write lock, so max(id) stays ours)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return sorted(row[0] for row in cursor.fetchall())
        cursor.execute(
            f"SELECT max(coalesce((SELECT max(id) FROM {table}), 0), "
            f"coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
            [table],
        )
        first = cursor.fetchone()[0] + 1
    return list(range(first, first + count))


def follow_ids(model) -> None:
    """After rows were inserted with ids of the caller's choosing: new rows get ids after them (PostgreSQL's
    sequence does not see ids it did not hand out; SQLite's AUTOINCREMENT does)."""
    if connection.vendor == "postgresql":
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(s.seq, greatest((SELECT max(id) FROM {table}), "
                "coalesce(pg_sequence_last_value(s.seq), 1))) "
                "FROM (SELECT pg_get_serial_sequence(%s, 'id')::regclass AS seq) s",
                [table],
            )


def foreign_keys(models) -> list[tuple[str, str]]:
    """(DROP, ADD) statements of the foreign keys of the models' tables, on PostgreSQL, for a first load that
    drops them and adds them back at the end: adding one checks every row in one join, where a key in place
    checks each row by itself at commit (3 million lookups for a million customers). None on SQLite, which
    checks as rows are written."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
            [[model._meta.db_table for model in models]],
        )
        found = cursor.fetchall()
    name = connection.ops.quote_name
    return [
        (f"ALTER TABLE {table} DROP CONSTRAINT {name(key)}", f"ALTER TABLE {table} ADD CONSTRAINT {name(key)} {sql}")
        for table, key, sql in found
    ]


class Table:
    """A model's table as a bulk insert writes it: each row a list of the values of its columns, in order, made
    what this database's driver writes (rows can be made in another process and written here). Fields a row
    leaves out get their default; with `with_ids` the rows carry their primary key (from reserve_ids), otherwise
    the database numbers them."""

    def __init__(self, model, *, with_ids: bool = False):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if with_ids or not f.primary_key]
        self._positions = {f.attname: i for i, f in enumerate(self.fields)}
        self._converters = [(i, convert) for i, f in enumerate(self.fields) if (convert := _converter(f)) is not None]
        self._template = [None if f.primary_key else f.get_default() for f in self.fields]

    def position(self, attname: str) -> int:
        return self._positions[attname]

    def row(self, values: dict) -> list:
        """The row for `values` (field attnames -> values, as the model takes them)."""
        out = self._template.copy()
        for name, value in values.items():
            out[self._positions[name]] = value
        for i, convert in self._converters:
            out[i] = convert(out[i])
        return out

    def insert(self, rows: Iterable[list]) -> int:
        """Write rows made by row(). How many were written."""
        written = 0

        def counted(rows):
            nonlocal written
            for row in rows:
                written += 1
                yield row

        table = self.model._meta.db_table
        columns = ", ".join(connection.ops.quote_name(f.attname) for f in self.fields)
        # The driver's own cursor, so its errors are wrapped as Django's (IntegrityError …) by hand.
        with connection.cursor() as cursor, connection.wrap_database_errors:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in counted(rows):
                        copy.write_row(row)
            else:
                sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' for _ in self.fields)})"
                cursor.cursor.executemany(sql, counted(rows))
        return written

    def insert_each(self, values: dict, attname: str, items: list) -> int:
        """Write one row per item: `values` with `attname` set to the item (the same event for many customers).
        On SQLite in one statement that makes the rows itself (json_each), without a Python call per row."""
        made, at = self.row({**values, attname: None}), self.position(attname)
        if connection.vendor != "sqlite":
            return self.insert([*made[:at], item, *made[at + 1 :]] for item in items)
        columns = ", ".join(connection.ops.quote_name(f.attname) for f in self.fields)
        chosen = ", ".join("value" if i == at else "?" for i in range(len(self.fields)))
        sql = f"INSERT INTO {self.model._meta.db_table} ({columns}) SELECT {chosen} FROM json_each(?)"
        with connection.cursor() as cursor, connection.wrap_database_errors:
            cursor.cursor.execute(sql, [*made[:at], *made[at + 1 :], json.dumps(items)])
        return len(items)


def insert(model, rows: Iterable[dict], *, with_ids: bool = False) -> int:
    """Insert the rows (field attnames -> values) into `model`'s table (see Table). How many were written."""
    table = Table(model, with_ids=with_ids)
    return table.insert(map(table.row, rows))


def _plain(value):
    """A choice (a str enum) as its value: drivers would write an enum's name."""
    return value if value.__class__ is str else value.value if isinstance(value, enum.Enum) else value


def _sqlite_datetime(value):
    """A datetime as Django stores it on SQLite (UTC, no offset); the common case, UTC already, done quickly."""
    if value is not None and value.tzinfo is dt.UTC:
        return str(value.replace(tzinfo=None))
    return connection.ops.adapt_datetimefield_value(value)


def _repeating(convert):
    """`convert`, remembering the last value: bulk rows often repeat one (the same time, the same event data)."""
    last = [object(), None]

    def converted(value):
        if value is not last[0]:
            last[0], last[1] = value, convert(value)
        return last[1]

    return converted


def _converter(field):
    """How a value of `field` is made what this database's driver writes; None: as it is."""
    if isinstance(field, models.DateTimeField) and connection.vendor == "sqlite":
        return _repeating(_sqlite_datetime)
    if isinstance(field, models.JSONField):
        return _repeating(lambda value: field.get_db_prep_save(value, connection))
    if field.choices:
        return _plain
    return None
