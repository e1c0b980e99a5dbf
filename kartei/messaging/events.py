"""The timeline's events about messages (registered in apps.py)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kartei.timeline.registry import EventType, register, register_family

EVENT_TYPES = [
    EventType("message.sent", _("{actor} sent the message “{subject}”"), data=("subject",)),
    EventType("message.failed", _("The message “{subject}” could not be sent"), data=("subject",)),
    EventType(
        "message.received",
        _("{actor} replied"),
        by_customer=_("The customer replied"),
        data=("text", "sender"),
        body="text",
    ),
    EventType("message.reply_links_revoked", _("{actor} stopped the reply links of earlier messages")),
]


def register_event_types() -> None:
    register_family("message", pgettext_lazy("timeline filter", "Messages"))
    for event_type in EVENT_TYPES:
        register(event_type)
