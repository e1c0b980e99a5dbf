"""Reads shared by the orders page, the customer page and the API."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Count, Max, Sum
from django.utils import timezone

from kartei.core.pagination import keyset_page

from .models import Order, OrderLine, Status


@dataclass(frozen=True)
class OrderFilter:
    status: str = ""
    customer: int | None = None
    since: date | None = None  # placed on or after this day
    until: date | None = None  # placed on or before this day

    @classmethod
    def from_query(cls, params) -> "OrderFilter":
        """From a page's query string; what cannot be read is left out (the page says nothing went wrong)."""
        status = params.get("status") or ""
        customer = params.get("customer") or ""
        return cls(
            status=status if status in Status.values else "",
            customer=int(customer) if customer.isdigit() and len(customer) < 19 else None,
            since=_day(params.get("since")),
            until=_day(params.get("until")),
        )

    def is_narrowed(self) -> bool:
        return bool(self.status or self.customer or self.since or self.until)


def _day(text) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def orders_matching(f: OrderFilter):
    orders = Order.objects.all()
    if f.status:
        orders = orders.filter(status=f.status)
    if f.customer:
        orders = orders.filter(customer_id=f.customer)
    zone = timezone.get_current_timezone()
    if f.since:
        orders = orders.filter(created_at__gte=datetime.combine(f.since, time.min, tzinfo=zone))
    if f.until:
        orders = orders.filter(created_at__lt=datetime.combine(f.until, time.max, tzinfo=zone))
    return orders


ORDER_FIELDS = [f.name for f in Order._meta.concrete_fields]


def order_page(f: OrderFilter, *, cursor: str | None = None, limit: int = 50):
    """One page of the orders a filter selects, newest first, with their customers and line counts; and the
    cursor of the next page. Each filter walks an index in this order, so a page costs the same at a million."""
    # The customers' names only: a customer row also holds their search document.
    orders = orders_matching(f).select_related("customer").only(*ORDER_FIELDS, "customer__name")
    rows, next_cursor = keyset_page(orders, sort="newest", key="created_at", descending=True, cursor=cursor,
                                    limit=limit)  # fmt: skip
    return with_item_counts(rows), next_cursor


def with_item_counts(orders: list[Order]) -> list[Order]:
    """Each order's `items` (its number of lines), in one query for all of them."""
    counts = dict(OrderLine.objects.filter(order_id__in=[o.pk for o in orders]).values("order_id")
                  .annotate(n=Count("id")).values_list("order_id", "n"))  # fmt: skip
    for order in orders:
        order.items = counts.get(order.pk, 0)
    return orders


def order_detail(pk: int) -> Order:
    return Order.objects.select_related("customer", "created_by").prefetch_related("lines", "history__by").get(pk=pk)


@dataclass
class CustomerOrders:
    recent: list[Order]
    totals: list[tuple[str, object]]  # (currency, the total of their orders not cancelled), largest count first
    count: int
    last_at: datetime | None


def customer_orders(customer, *, recent: int = 5) -> CustomerOrders:
    """What the customer page shows of a customer's orders."""
    orders = Order.objects.filter(customer=customer)
    kept = orders.exclude(status=Status.CANCELLED)
    totals = kept.values("currency").annotate(total=Sum("total"), n=Count("id")).order_by("-n", "currency")
    summary = orders.aggregate(n=Count("id"), last=Max("created_at"))
    return CustomerOrders(
        recent=with_item_counts(list(orders.order_by("-created_at", "-id")[:recent])),
        totals=[(row["currency"], row["total"]) for row in totals],
        count=summary["n"],
        last_at=summary["last"],
    )
