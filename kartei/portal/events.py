"""The timeline events of quick-order links (registered in apps.py)."""

from django.utils.translation import gettext_lazy as _

from kartei.timeline.registry import EventType, register

EVENT_TYPES = [
    EventType("quick_order_link.created", _("{actor} made a new quick-order link")),
    EventType("quick_order_link.revoked", _("{actor} revoked the quick-order link")),
]


def register_event_types() -> None:
    for event_type in EVENT_TYPES:
        register(event_type)
