"""The timeline events of customers and notes: what each carries and how it reads (registered in apps.py)."""

from collections.abc import Mapping

from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext, pgettext_lazy

from kartei.timeline.registry import EventType, register, register_family

from .models import Source

# The fields a customer.updated event names, as the object of "Anna changed …" (German: accusative).
FIELD_NAMES = {
    "kind": pgettext_lazy("what changed", "the kind (company or person)"),
    "name": pgettext_lazy("what changed", "the name"),
    "vat_id": pgettext_lazy("what changed", "the VAT ID"),
    "contact_person": pgettext_lazy("what changed", "the contact person"),
    "email": pgettext_lazy("what changed", "the email address"),
    "phone": pgettext_lazy("what changed", "the phone number"),
    "status": pgettext_lazy("what changed", "the status"),
    "temperature": pgettext_lazy("what changed", "the temperature"),
    "discount_percent": pgettext_lazy("what changed", "the discount"),
    "preferred_currency": pgettext_lazy("what changed", "the currency"),
    "preferred_language": pgettext_lazy("what changed", "the language"),
    "marketing_consent": pgettext_lazy("what changed", "the consent to marketing emails"),
    "system_notifications": pgettext_lazy("what changed", "the system notifications"),
    "is_active": pgettext_lazy("what changed", "the active status"),
    "tags": pgettext_lazy("what changed", "the tags"),
    "addresses": pgettext_lazy("what changed", "the addresses"),
    "picture": pgettext_lazy("what changed", "the picture"),
}
# Up to this many changed fields are all named; beyond, the first few and "N other details".
NAMED_FIELDS = 3


def changed_fields(fields: list[str]) -> str:
    """'the email address and the phone number'; 'the name, the email address and 3 other details'."""
    if not fields:
        return pgettext("what changed", "the details")
    names = [str(FIELD_NAMES.get(field, field)) for field in fields]
    if len(names) > NAMED_FIELDS:
        others = len(names) - (NAMED_FIELDS - 1)
        names = names[: NAMED_FIELDS - 1] + [
            ngettext("%(count)d other detail", "%(count)d other details", others) % {"count": others}
        ]
    return get_text_list(names, pgettext("joins the last two items of a list", "and"))


def _created(data: Mapping) -> dict:
    source = data.get("source")
    return {"source": str(Source(source).label) if source in Source.values else (source or "?")}


def _updated(data: Mapping) -> dict:
    changes = data.get("changes")
    return {"fields": changed_fields(list(changes) if isinstance(changes, Mapping) else [])}


def _deleted_note(data: Mapping) -> dict:
    text = " ".join(str(data.get("text", "")).split())
    return {"text": text if len(text) <= 80 else text[:79].rstrip() + "…"}


EVENT_TYPES = [
    EventType(
        "customer.created",
        _("{actor} added the customer (source: {source})"),
        by_customer=_("The customer signed up (source: {source})"),
        data=("source",),
        values=_created,
    ),
    EventType(
        "customer.updated",
        _("{actor} changed {fields}"),
        by_customer=_("The customer changed {fields}"),
        data=("changes",),  # {field: [old, new]}, each value as text
        values=_updated,
    ),
    EventType("customer.deactivated", _("{actor} deactivated the customer")),
    EventType("customer.reactivated", _("{actor} reactivated the customer")),
    EventType("customer.deleted", _("{actor} moved the customer to the trash")),
    EventType("customer.restored", _("{actor} restored the customer from the trash")),
    EventType(
        "note.added",
        _("{actor} added a note"),
        by_customer=_("The customer left a note"),
        data=("priority",),
    ),
    EventType("note.updated", _("{actor} edited a note"), data=("priority",)),
    # The note is gone; its text stays on the timeline.
    EventType("note.deleted", _("{actor} deleted the note “{text}”"), data=("text",), values=_deleted_note),
]


def register_event_types() -> None:
    register_family("customer", pgettext_lazy("timeline filter", "Customer details"))
    register_family("note", pgettext_lazy("timeline filter", "Notes"))
    for event_type in EVENT_TYPES:
        register(event_type)
