"""The timeline events of orders: what each carries and how it reads (registered in apps.py)."""

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kartei.core.formatting import money
from kartei.timeline.registry import EventType, register, register_family

from .models import Source, Status


def _placed(data: Mapping) -> dict:
    source = data.get("source")
    try:
        total = money(data.get("total"), data.get("currency") or "EUR")
    except (ValueError, TypeError, ArithmeticError):
        total = f"{data.get('total', '?')} {data.get('currency', '')}".strip()
    return {"number": data.get("number", "?"), "total": total,
            "source": str(Source(source).label) if source in Source.values else (source or "?")}  # fmt: skip


def _status(data: Mapping) -> dict:
    to = data.get("to")
    return {"number": data.get("number", "?"), "status": str(Status(to).label) if to in Status.values else (to or "?")}


EVENT_TYPES = [
    EventType(
        "order.placed",
        _("{actor} placed order {number} for {total} ({source})"),
        by_customer=_("The customer placed order {number} for {total} ({source})"),
        data=("number", "total", "currency", "source"),
        values=_placed,
    ),
    EventType(
        "order.status_changed",
        _("{actor} set order {number} to “{status}”"),
        by_customer=_("The customer set order {number} to “{status}”"),
        data=("number", "from", "to"),
        values=_status,
    ),
]


def register_event_types() -> None:
    register_family("order", pgettext_lazy("timeline filter", "Orders"))
    for event_type in EVENT_TYPES:
        register(event_type)
