"""Reading the timeline: the customer page and the API share these."""

from kartei.core.pagination import keyset_page

from .models import Event


def events_page(customer_id: int, *, kind: str = "", cursor: str | None = None, limit: int = 50):
    """One page of a customer's events, newest first (by time, then id), and the cursor of the next page.
    `kind`: only the events of this kind ("order.placed") or family ("order").

    A keyset walk of the (customer, -created_at, -id) index: a page costs the same for a customer with 100,000
    events as for one with ten, and events recorded between two pages never shift the later pages. The cursor is
    bound to the customer and the kind: any other cursor is refused (BadCursor)."""
    events = Event.objects.filter(customer_id=customer_id).select_related("actor")
    if kind:
        events = events.filter(kind=kind) if "." in kind else events.filter(kind__startswith=f"{kind}.")
    sort = f"events:{customer_id}:{kind}" if kind else f"events:{customer_id}"
    return keyset_page(events, sort=sort, key="created_at", descending=True, cursor=cursor, limit=limit)
