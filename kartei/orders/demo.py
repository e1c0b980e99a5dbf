"""Demo orders: two years of a wholesaler's orders from its demo customers, priced by the pricing module at each
customer's discount and currency, with their lines, their steps through the workflow and the timeline event of
each order. Written by the bulk path (COPY on PostgreSQL), so a million orders are practical for benchmarks."""

import itertools
import random
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from kartei.catalog.models import Product
from kartei.catalog.pricing import NoPrice, base_currency, customer_price, in_base_currency, line_total, plain_number
from kartei.catalog.queries import exchange_rates
from kartei.core import bulk
from kartei.core.progress import Progress
from kartei.customers.models import Customer
from kartei.customers.models import Status as CustomerStatus
from kartei.timeline.actors import ActorType
from kartei.timeline.models import Event

from .models import Order, OrderLine, Source, Status, StatusChange
from .services import customer_figures_refresh

BATCH = 5000
SPAN = timedelta(days=730)  # the orders reach back two years
WORKFLOW = [Status.NEW, Status.CONFIRMED, Status.IN_PRODUCTION, Status.SHIPPED, Status.DELIVERED]
SOURCES = [(Source.QUICK_ORDER, 60), (Source.STAFF, 35), (Source.API, 5)]
ACTORS = {Source.QUICK_ORDER: ActorType.CUSTOMER, Source.STAFF: ActorType.STAFF, Source.API: ActorType.STAFF}


def demo_orders_add(count: int, *, seed: int = 42, stream=None) -> int:
    """Add `count` orders from the current customers (a few buy much, most a little), newest last; how many."""
    if count <= 0:
        return 0
    rng = random.Random(seed)
    buyers = list(Customer.objects.filter(deleted_at__isnull=True, is_active=True, status=CustomerStatus.CURRENT)
                  .values_list("id", "preferred_currency", "discount_percent")[:200_000])  # fmt: skip
    products = list(Product.objects.filter(is_active=True).prefetch_related("prices")[:2000])
    if not buyers or not products:
        return 0
    rates = exchange_rates()
    progress = Progress(count, label="Adding demo orders", stream=stream)
    touched: set[int] = set()
    now = timezone.now()
    with transaction.atomic():
        for orders, lines, steps, events in _batches(count, rng, buyers, products, rates, now):
            bulk.insert(Order, orders, with_ids=True)
            bulk.insert(OrderLine, lines)
            bulk.insert(StatusChange, steps)
            bulk.insert(Event, events)
            touched.update(order["customer_id"] for order in orders)
            progress.advance(len(orders))
        bulk.follow_ids(Order)
        customer_figures_refresh(touched)
    with connection.cursor() as cursor:
        tables = [m._meta.db_table for m in (Order, OrderLine, StatusChange, Event, Customer)]
        if connection.vendor == "postgresql":  # VACUUM (ANALYZE) also marks the pages all-visible; not in a transaction
            analyze = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            cursor.execute(f"{analyze} {', '.join(tables)}")
        else:
            cursor.execute("PRAGMA optimize")
    progress.finish()
    return count


def _batches(count, rng, buyers, products, rates, now) -> Iterator[tuple[list, list, list, list]]:
    order_type = ContentType.objects.get_for_model(Order).pk
    base = base_currency()
    rng.shuffle(buyers)
    shares = list(itertools.accumulate((rank + 10) ** -0.5 for rank in range(len(buyers))))  # a few buy more
    prices: dict[tuple, tuple | None] = {}
    sources, source_weights = zip(*SOURCES, strict=True)
    for start in range(0, count, BATCH):
        size = min(BATCH, count - start)
        ids = bulk.reserve_ids(Order, size)
        chosen = rng.choices(buyers, cum_weights=shares, k=size)
        orders, lines, steps, events = [], [], [], []
        for i, (pk, (customer, preferred, discount)) in enumerate(zip(ids, chosen, strict=True)):
            at = now - SPAN * (1 - (start + i + 1) / count) - timedelta(minutes=rng.random() * 30)
            currency = preferred or base
            picked = rng.sample(products, k=min(len(products), rng.choice((1, 1, 2, 3, 3, 4, 5, 8))))
            subtotal, order_lines = Decimal(0), []
            for product in picked:
                key = (product.pk, currency, discount)
                if key not in prices:
                    try:
                        prices[key] = (customer_price(product, currency, rates, discount), product.name("de"))
                    except NoPrice:
                        prices[key] = None
                if prices[key] is None:
                    continue
                price, name = prices[key]
                quantity = max(product.min_quantity, product.pack_size) * rng.choice((1, 1, 2, 3, 5))
                total = line_total(price.net, quantity, currency)
                subtotal += total
                order_lines.append({"order_id": pk, "product_id": product.pk, "sku": product.sku, "name": name,
                                    "quantity": quantity, "list_price": price.list, "unit_price": price.net,
                                    "total": total})  # fmt: skip
            if not order_lines:
                continue
            status, number = _status(now - at, rng), f"{at:%Y}-{pk:06d}"
            source = rng.choices(sources, weights=source_weights)[0]
            orders.append({
                "id": pk, "number": number, "customer_id": customer, "status": status, "source": source,
                "currency": currency, "discount_percent": discount, "subtotal": subtotal, "total": subtotal,
                "total_base": in_base_currency(subtotal, currency, rates), "created_at": at, "updated_at": at,
            })  # fmt: skip
            lines += order_lines
            steps += _steps(pk, status, at, by_customer=source == Source.QUICK_ORDER)
            events.append({"customer_id": customer, "kind": "order.placed", "actor_type": ACTORS[source],
                           "subject_type_id": order_type, "subject_id": pk, "created_at": at,
                           "data": {"number": number, "total": plain_number(subtotal), "currency": currency,
                                    "source": source}})  # fmt: skip
        yield orders, lines, steps, events


def _steps(order_id: int, status: str, at, *, by_customer: bool) -> list[dict]:
    """The order's way from new to `status`, a step every 20 hours."""
    path = [Status.NEW, Status.CANCELLED] if status == Status.CANCELLED else WORKFLOW[: WORKFLOW.index(status) + 1]
    return [
        {"order_id": order_id, "from_status": previous, "to_status": step, "at": at + timedelta(hours=20 * n),
         "by_customer": n == 0 and by_customer}
        for n, (previous, step) in enumerate(zip(["", *path], path, strict=False))
    ]  # fmt: skip


def _status(age: timedelta, rng: random.Random) -> str:
    """What became of an order placed `age` ago: most are delivered within two weeks, a few cancelled."""
    if rng.random() < 0.04:
        return Status.CANCELLED
    steps = min(len(WORKFLOW) - 1, int(age.total_seconds() // (3 * 86400)))
    return WORKFLOW[steps]
