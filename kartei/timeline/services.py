"""Recording timeline events. Every service that changes a customer calls event_record inside its transaction."""

from collections.abc import Mapping

from django.db import models

from .actors import actor_fields
from .models import Event
from .registry import event_types


def event_record(
    *, customer, kind: str, actor, subject: models.Model | None = None, data: Mapping | None = None
) -> Event:
    """Record that `actor` did `kind` to `customer` (and to `subject`, such as a note, if given).

    `actor`: the acting user, timeline.actors.CUSTOMER, or timeline.actors.SYSTEM (None also means the system).
    `data`: only the keys the kind declares. An unregistered kind or an undeclared key is a programming error:
    ValueError, and the caller's transaction rolls back."""
    event_type = event_types.get(kind)
    data = dict(data or {})
    undeclared = sorted(set(data) - set(event_type.data))
    if undeclared:
        raise ValueError(f"The event type {kind!r} carries {list(event_type.data)}, not {undeclared}.")
    if subject is not None and subject.pk is None:
        raise ValueError("The subject of an event must be saved.")
    actor_type, user = actor_fields(actor)
    return Event.objects.create(
        customer=customer, kind=kind, actor_type=actor_type, actor=user, subject=subject, data=data
    )
