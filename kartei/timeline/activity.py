"""What happened across all customers: the activity page, the home page's latest activity and the API share
this. Every filter walks an index newest first, so a page costs the same at ten events as at ten million."""

from dataclasses import dataclass

from kartei.core.pagination import encode_cursor, keyset_bound, keyset_merged, keyset_page, keyset_values

from .actors import ActorType
from .models import Event
from .queries import with_details
from .registry import event_types

CUSTOMERS_MAX = 10  # customers a name typed into the filter may stand for (the first the search finds)
SCAN_MAX = 2_000  # events of one person looked at for one page of a kind of theirs


@dataclass(frozen=True)
class ActivityFilter:
    """`actor`: a user's id, or "system" / "customer"; `kind`: a kind (order.placed) or family (order);
    `customers`: ids of the customers whose events to show (None: all)."""

    actor: str = ""
    kind: str = ""
    customers: tuple[int, ...] | None = None

    def sort(self) -> str:
        return f"activity:{self.actor}:{self.kind}:{','.join(map(str, self.customers or ()))}"

    def kinds(self) -> list[str]:
        if not self.kind:
            return []
        if "." in self.kind:
            return [self.kind]
        return [t.name for t in event_types if t.name.startswith(f"{self.kind}.")]


def activity_page(f: ActivityFilter, *, cursor: str | None = None, limit: int = 50):
    """One page of events matching `f`, newest first, with their customer; and the next page's cursor."""
    # The actors come in a query of their own: joined, SQLite begins a colleague's page with the staff table,
    # then reads and sorts all of their events (8.5 s at ten million) instead of walking them in order.
    events = Event.objects.select_related("customer").prefetch_related("actor")
    if f.customers is None:  # (customers a search found are not in the trash)
        events = events.filter(customer__deleted_at__isnull=True)
    if f.actor in (ActorType.SYSTEM, ActorType.CUSTOMER):
        events = events.filter(actor_type=f.actor, actor__isnull=True)  # as the partial index event_actor_type_time
    elif f.actor:
        events = events.filter(actor_id=int(f.actor))
    kinds = f.kinds()
    if f.kind and not kinds:
        return [], None
    walk = {"sort": f.sort(), "key": "created_at", "descending": True, "cursor": cursor}
    if f.actor and kinds and f.customers is None:
        return _persons_kinds_page(events, kinds, walk=walk, limit=limit)
    # A person and a kind among some customers may be rare: the walks stop after the person's next SCAN_MAX
    # events, and the page (perhaps short, perhaps empty) ends with a cursor from there.
    until = None
    if f.actor and kinds:
        until = keyset_bound(events, size=SCAN_MAX, **walk)
    # Walked one by one, each on its own index: a kind (kind, time), a customer (customer, time).
    if f.customers is not None:
        parts = [events.filter(customer_id=pk) for pk in f.customers]
        parts = [p.filter(kind__in=kinds) for p in parts] if kinds else parts
    elif kinds:
        parts = [events.filter(kind=kind) for kind in kinds]
    else:
        parts = [events]
    if not parts:
        return [], None
    walk.update(limit=limit, until=until)
    if len(parts) == 1:
        rows, next_cursor = keyset_page(parts[0], **walk)
    else:
        # The rows by their ids alone: the walks have filtered them already (and a filter here might lead the
        # planner off the primary key).
        rows, next_cursor = keyset_merged(parts, rows_from=Event.objects.select_related("actor", "customer"), **walk)
    if until is not None and next_cursor is None:
        next_cursor = encode_cursor(f.sort(), *until)  # the older events of the person are still to be looked at
    return with_details(rows), next_cursor


def _persons_kinds_page(events, kinds: list[str], *, walk: dict, limit: int):
    """A page of one person's events of some kinds: their next SCAN_MAX events read along the person's index, the
    kinds picked from those. Asked for the kinds, the planner may walk a kind's index instead, through the
    million events of one import's minute (418 ms on SQLite). The page (perhaps short, perhaps empty) ends with a
    cursor from where the walk stopped while the person has older events."""
    window = keyset_values(events.select_related(None).prefetch_related(None), "kind", limit=SCAN_MAX, **walk)
    wanted = set(kinds)
    picked = [(at, pk) for at, pk, kind in window if kind in wanted]
    more = None
    if len(picked) > limit:
        picked = picked[:limit]
        more = encode_cursor(walk["sort"], *picked[-1])
    elif len(window) == SCAN_MAX:
        more = encode_cursor(walk["sort"], *window[-1][:2])
    rows = Event.objects.select_related("actor", "customer").in_bulk([pk for _, pk in picked])
    return with_details([rows[pk] for _, pk in picked if pk in rows]), more


def is_actor(value: str) -> bool:
    return value in ("", ActorType.SYSTEM, ActorType.CUSTOMER) or (value.isascii() and value.isdigit()
                                                                   and len(value) < 19)  # fmt: skip
