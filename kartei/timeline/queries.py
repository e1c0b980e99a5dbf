"""Reading the timeline: the customer page and the API share these."""

from kartei.core.pagination import keyset_page

from .models import Event


def events_page(customer_id: int, *, cursor: str | None = None, limit: int = 50) -> tuple[list[Event], str | None]:
    """One page of a customer's events, newest first (by time, then id), and the cursor of the next page.

    A keyset walk of the (customer, -created_at, -id) index: a page costs the same for a customer with 100,000
    events as for one with ten, and events recorded between two pages never shift the later pages. The cursor is
    bound to the customer: another customer's cursor is refused (BadCursor)."""
    events = Event.objects.filter(customer_id=customer_id).select_related("actor")
    return keyset_page(
        events, sort=f"events:{customer_id}", key="created_at", descending=True, cursor=cursor, limit=limit
    )
