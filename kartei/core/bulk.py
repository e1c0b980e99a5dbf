"""Bulk inserts without ORM objects: rows as plain dicts, written with COPY on PostgreSQL and executemany on
SQLite, with each model field's default where a row leaves it out. For the bulk paths of the services (demo
data, imports), which keep the services' invariants themselves."""

import enum
from collections.abc import Iterable

from django.db import connection, models


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


def insert(model, rows: Iterable[dict], *, with_ids: bool = False) -> int:
    """Insert the rows (field attnames -> values, as the model takes them) into `model`'s table; fields a row
    leaves out get their default. `with_ids`: every row has its "id" (from reserve_ids); otherwise the database
    numbers them. How many rows were written."""
    fields = [f for f in model._meta.concrete_fields if with_ids or not f.primary_key]
    position = {f.attname: i for i, f in enumerate(fields)}
    converters = [(i, convert) for i, f in enumerate(fields) if (convert := _converter(f)) is not None]
    template = [None if f.primary_key else f.get_default() for f in fields]
    written = 0

    def values(row: dict) -> list:
        nonlocal written
        written += 1
        out = template.copy()
        for name, value in row.items():
            out[position[name]] = value
        for i, convert in converters:
            out[i] = convert(out[i])
        return out

    table = model._meta.db_table
    columns = ", ".join(connection.ops.quote_name(f.attname) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(values(row))
        else:
            sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' for _ in fields)})"
            cursor.cursor.executemany(sql, map(values, rows))
    return written


def _plain(value):
    """A choice (a str enum) as its value: drivers would write an enum's name."""
    return value.value if isinstance(value, enum.Enum) else value


def _converter(field):
    """How a value of `field` is made what this database's driver writes; None: as it is."""
    if isinstance(field, models.DateTimeField) and connection.vendor == "sqlite":
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.JSONField):
        return lambda value: field.get_db_prep_save(value, connection)
    if field.choices:
        return _plain
    return None
