from .models import Event


def event_record(*, customer, kind: str, actor=None, data: dict | None = None) -> Event:
    """Record a timeline event; called by every service that changes a customer, inside its transaction."""
    return Event.objects.create(customer=customer, kind=kind, actor=actor, data=data or {})
