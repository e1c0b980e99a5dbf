"""The timeline's own events: comments (registered in apps.py)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .registry import EventType, register, register_family

EVENT_TYPES = [
    EventType("comment.added", _("{actor} wrote a comment"), data=("text", "mentions"), body="text"),
    EventType("comment.deleted", _("{actor} deleted a comment")),
    EventType("attachment.added", _("{actor} attached {names}"), data=("names",)),
]


def register_event_types() -> None:
    register_family("comment", pgettext_lazy("timeline filter", "Comments"))
    register_family("attachment", pgettext_lazy("timeline filter", "Files"))
    for event_type in EVENT_TYPES:
        register(event_type)
