"""Who did what an event records: a member of staff (a user), the customer themselves (through a no-login page),
or the system (an import, a scheduled job, demo data).

Services take `actor=` and pass it on to `event_record` unchanged: a User, or one of the markers below.

    event_record(customer=c, kind="note.added", actor=request.user, subject=note)
    event_record(customer=c, kind="customer.updated", actor=actors.CUSTOMER, data=...)
    event_record(customer=c, kind="customer.created", actor=actors.SYSTEM, data={"source": "import"})

None means the system too, so that a service called with no user (demo data, the CLI) records its events.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ActorType(models.TextChoices):
    STAFF = "staff", pgettext_lazy("who did it", "Staff")
    CUSTOMER = "customer", pgettext_lazy("who did it", "Customer")
    SYSTEM = "system", pgettext_lazy("who did it", "System")


# The markers for actors that are not a user.
CUSTOMER = ActorType.CUSTOMER
SYSTEM = ActorType.SYSTEM

# What an event with no user of its own calls its actor; staff are named by their name.
SYSTEM_NAME = "Kartei"
CUSTOMER_NAME = pgettext_lazy("who did it, in a sentence", "the customer")
UNKNOWN_STAFF_NAME = _("someone")  # a user since deleted


def actor_fields(actor) -> tuple[str, AbstractBaseUser | None]:
    """(actor_type, user) to store for `actor`: a user, CUSTOMER, SYSTEM or None (the system)."""
    if actor is None or actor == SYSTEM:
        return ActorType.SYSTEM, None
    if actor == CUSTOMER:
        return ActorType.CUSTOMER, None
    if isinstance(actor, AbstractBaseUser):
        if actor.pk is None:
            raise ValueError("The acting user must be saved.")
        return ActorType.STAFF, actor
    raise TypeError(f"actor must be a user, timeline.actors.CUSTOMER or timeline.actors.SYSTEM, not {actor!r}")


def actor_user(actor) -> AbstractBaseUser | None:
    """The user behind `actor`, None for the customer or the system (e.g. the author of a note)."""
    return actor_fields(actor)[1]


def actor_name(event) -> str:
    """How the timeline names the event's actor, in the active language: "Anna Nowak", "the customer", "Kartei",
    "someone" (a user deleted since)."""
    if event.actor_type == ActorType.CUSTOMER:
        return str(CUSTOMER_NAME)
    if event.actor_type == ActorType.STAFF:
        user = event.actor
        if user is None:
            return str(UNKNOWN_STAFF_NAME)
        return user.get_full_name().strip() or user.get_username()
    return SYSTEM_NAME


def actor_is_named(event) -> bool:
    """Whether the actor is named by a user's own name (written as the user wrote it, never re-capitalised)."""
    return event.actor_type == ActorType.STAFF and event.actor is not None


def actor_label(event) -> str:
    """The actor's name standing alone (a list, the API): "Anna Nowak", "The customer", "Kartei", "Someone"."""
    name = actor_name(event)
    return name if actor_is_named(event) else capfirst(name)


def actor_id(event) -> int | None:
    """The id of the actor in its kind: the user's, the customer's, none for the system or a deleted user."""
    if event.actor_type == ActorType.CUSTOMER:
        return event.customer_id
    if event.actor_type == ActorType.STAFF:
        return event.actor_id
    return None
