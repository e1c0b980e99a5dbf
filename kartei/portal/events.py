"""The timeline events of quick-order links (registered in apps.py)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kartei.timeline.registry import EventType, register, register_family

EVENT_TYPES = [
    EventType("quick_order_link.created", _("{actor} made a new quick-order link")),
    EventType("quick_order_link.revoked", _("{actor} revoked the quick-order link")),
]


def register_event_types() -> None:
    register_family("quick_order_link", pgettext_lazy("timeline filter", "Quick-order link"))
    for event_type in EVENT_TYPES:
        register(event_type)
