"""Keyset (cursor) pagination: a page ends with an opaque cursor naming the last row's sort value and id,
so the next page starts right after it whatever was added meanwhile, with no OFFSET and no COUNT."""

import base64
import json
from datetime import datetime

from django.db.models import F, Q


class BadCursor(ValueError):
    pass


def encode_cursor(sort: str, value, pk: int) -> str:
    if isinstance(value, datetime):
        value = {"dt": value.isoformat()}
    raw = json.dumps([sort, value, pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str):
    """(value, id) from a cursor made for the same sort; BadCursor for anything else."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        cursor_sort, value, pk = json.loads(raw)
        if isinstance(value, dict):
            value = datetime.fromisoformat(value["dt"])
        if cursor_sort != sort or not isinstance(pk, int) or not (
            value is None or isinstance(value, (str, int, datetime))
        ):
            raise ValueError
    except (ValueError, TypeError, KeyError, json.JSONDecodeError, UnicodeDecodeError):
        raise BadCursor("This page link is out of date or damaged.") from None
    return value, pk


def keyset_page(queryset, *, sort: str, key, descending: bool, cursor: str | None, limit: int):
    """One page of `queryset` ordered by the expression `key` then id, and the cursor of the next page
    (None on the last page). `key` None means: by id alone; a string names a field."""
    if isinstance(key, str):
        key = F(key)
    if key is not None:
        queryset = queryset.annotate(sort_key=key)
    if cursor:
        value, pk = decode_cursor(cursor, sort)
        if key is None:
            queryset = queryset.filter(id__lt=pk) if descending else queryset.filter(id__gt=pk)
        elif descending:
            queryset = queryset.filter(Q(sort_key__lt=value) | Q(sort_key=value, id__lt=pk))
        else:
            queryset = queryset.filter(Q(sort_key__gt=value) | Q(sort_key=value, id__gt=pk))
    if key is None:
        ordering = ["-id"] if descending else ["id"]
    else:
        ordering = [F("sort_key").desc(), "-id"] if descending else [F("sort_key").asc(), "id"]
    rows = list(queryset.order_by(*ordering)[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor(sort, getattr(last, "sort_key", None), last.pk)
    return rows, next_cursor
