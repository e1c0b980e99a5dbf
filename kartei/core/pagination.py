"""Keyset (cursor) pagination: a page ends with an opaque cursor naming the last row's sort value and id,
so the next page starts right after it whatever was added meanwhile, with no OFFSET and no COUNT."""

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core import signing
from django.db import connection
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

# Cursors are signed: a client can only send back one it was given, so a forged value (text where a date
# belongs, a number past 64 bits) never reaches a query.
_SALT = "kartei.cursor"


class BadCursor(ValueError):
    def __init__(self):
        super().__init__(str(_("This page link is out of date or damaged.")))


def encode_cursor(sort: str, value, pk: int) -> str:
    if isinstance(value, datetime):
        value = {"dt": value.isoformat()}
    elif isinstance(value, Decimal):
        value = {"dec": str(value)}
    return signing.dumps([sort, value, pk], salt=_SALT, compress=True)


def decode_cursor(cursor: str, sort: str):
    """(value, id) from a cursor made for the same sort; BadCursor for anything else."""
    try:
        cursor_sort, value, pk = signing.loads(cursor, salt=_SALT)
        if isinstance(value, dict):
            value = Decimal(value["dec"]) if "dec" in value else datetime.fromisoformat(value["dt"])
    except (signing.BadSignature, ValueError, TypeError, KeyError, InvalidOperation):
        raise BadCursor from None
    if cursor_sort != sort:
        raise BadCursor
    return value, pk


_LOOKUPS = {"<": "lt", ">": "gt", "<=": "lte", ">=": "gte"}


def _compare(queryset, key, op: str, value, pk: int):
    """Rows whose (key, id) is `op` (value, pk). Written "key <= value AND (key < value OR id < pk)" rather than
    "key < value OR (key = value AND id < pk)": the same rows, but the first part lets the (key, id) index start
    (or stop) at the cursor instead of scanning from the top."""
    id_lookup = {f"id__{_LOOKUPS[op]}": pk}
    if key is None:
        return queryset.filter(**id_lookup)
    strict = _LOOKUPS[op[0]]
    wide = {"sort_key__lte": value} if op[0] == "<" else {"sort_key__gte": value}
    return queryset.filter(Q(**wide) & (Q(**{f"sort_key__{strict}": value}) | Q(**id_lookup)))


def _ordered(queryset, *, sort: str, key, descending: bool, cursor: str | None):
    if isinstance(key, str):
        key = F(key)
    if key is not None:
        queryset = queryset.annotate(sort_key=key)
    if cursor:
        value, pk = decode_cursor(cursor, sort)
        queryset = _compare(queryset, key, "<" if descending else ">", value, pk)
    if key is None:
        ordering = ["-id"] if descending else ["id"]
    else:
        ordering = [F("sort_key").desc(), "-id"] if descending else [F("sort_key").asc(), "id"]
    return queryset.order_by(*ordering), key


def _walk(queryset, *, sort: str, key, descending: bool, cursor: str | None, until=None):
    """The rows after the cursor in this order, up to `until` (if given), and the key as an expression."""
    queryset, key = _ordered(queryset, sort=sort, key=key, descending=descending, cursor=cursor)
    if until is not None:
        queryset = _compare(queryset, key, ">=" if descending else "<=", *until)
    return queryset, key


def keyset_page(queryset, *, sort: str, key, descending: bool, cursor: str | None, limit: int, until=None):
    """One page of `queryset` ordered by the expression `key` then id, and the cursor of the next page
    (None on the last page). `key` None means: by id alone; a string names a field.

    `until` = (value, id) from keyset_bound stops the walk there: the rows after it are not looked at."""
    queryset, key = _walk(queryset, sort=sort, key=key, descending=descending, cursor=cursor, until=until)
    rows = list(queryset[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor(sort, getattr(last, "sort_key", None), last.pk)
    return rows, next_cursor


def keyset_bound(queryset, *, sort: str, key, descending: bool, cursor: str | None, size: int):
    """(value, id) of the `size`-th row of `queryset` after the cursor in this order, None if fewer rows follow:
    with keyset_page(until=...) it bounds how far a page may walk (an index-only walk when `queryset` is the
    whole table and the order has an index)."""
    queryset, key = _ordered(queryset, sort=sort, key=key, descending=descending, cursor=cursor)
    fields = ["id"] if key is None else ["sort_key", "id"]
    found = list(queryset.values_list(*fields)[size - 1 : size])
    if not found:
        return None
    return (None, found[0][0]) if key is None else found[0]


def keyset_values(queryset, *fields: str, sort: str, key, descending: bool, cursor: str | None, limit: int):
    """The first `limit` rows of `queryset` after the cursor in this order, as (key value, id, *fields) tuples
    (the key value None when the order is by id alone, as keyset_bound gives it): a walk that makes no model rows,
    for callers that pick from many."""
    queryset, key = _ordered(queryset, sort=sort, key=key, descending=descending, cursor=cursor)
    if key is None:
        return [(None, *row) for row in queryset.values_list("id", *fields)[:limit]]
    return list(queryset.values_list("sort_key", "id", *fields)[:limit])


def keyset_merged(
    querysets, *, rows_from, sort: str, key, descending: bool, cursor: str | None, limit: int, until=None
):
    """keyset_page over the rows of several querysets together, each walked on its own (its own index): the keys
    of a page of each, merged in order and cut, then those rows whole from `rows_from` in one query. For "any of
    these kinds" or "any of these customers", where one query with IN would read and sort every matching row
    before it could stop. Where the database allows, the walks go in one statement (UNION ALL)."""
    walks = []
    for queryset in querysets:
        walk, walk_key = _walk(queryset.select_related(None), sort=sort, key=key, descending=descending,
                               cursor=cursor, until=until)  # fmt: skip
        walks.append(walk.values_list("id") if walk_key is None else walk.values_list("sort_key", "id"))
    walks = [walk[: limit + 1] for walk in walks]
    if len(walks) > 1 and connection.features.supports_slicing_ordering_in_compound:
        order = [f"{'-' if descending else ''}{name}" for name in ("sort_key", "id")[key is None :]]
        rows = list(walks[0].union(*walks[1:], all=True).order_by(*order)[: limit + 1])
    else:
        rows = [row for walk in walks for row in walk]
    keys = sorted(((None, *row) if len(row) == 1 else row for row in rows), reverse=descending,
                  key=lambda pair: pair if key is not None else pair[1])  # fmt: skip
    next_cursor = encode_cursor(sort, *keys[limit - 1]) if len(keys) > limit else None
    wanted = [pk for _value, pk in keys[:limit]]
    found = rows_from.in_bulk(wanted)
    return [found[pk] for pk in wanted if pk in found], next_cursor
