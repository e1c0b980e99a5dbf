"""`kartei demo` also brings a catalog and orders: two years of them, priced as the pricing module prices, each
with its lines, its steps through the workflow and its timeline event, and the customers' order figures kept."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Max, Sum

from kartei.catalog.models import Product
from kartei.customers.models import Customer
from kartei.orders.models import Order, OrderLine, StatusChange
from kartei.timeline.models import Event

pytestmark = pytest.mark.django_db


def test_demo_orders_come_with_lines_steps_events_and_the_customers_figures():
    out = io.StringIO()
    call_command("demo", "--customers", "200", "--products", "300", "--orders", "500", "--no-login", stdout=out)

    assert "Added 500 demo orders." in out.getvalue()
    assert Product.objects.filter(sku__startswith="DEMO-").count() == 300
    assert Order.objects.count() == 500 == Event.objects.filter(kind="order.placed").count()
    for order in Order.objects.annotate(lines_total=Sum("lines__total"), n=Count("lines"))[:100]:
        assert order.n >= 1 and order.total == order.lines_total == order.subtotal
        steps = list(StatusChange.objects.filter(order=order).values_list("to_status", flat=True))
        assert steps[0] == "new" and steps[-1] == order.status
    buyer = Customer.objects.filter(last_order_at__isnull=False).order_by("-orders_total").first()
    mine = Order.objects.filter(customer=buyer)
    assert buyer.last_order_at == mine.aggregate(m=Max("created_at"))["m"]
    assert buyer.orders_total == mine.exclude(status="cancelled").aggregate(s=Sum("total_base"))["s"]
    assert buyer.orders_total > Decimal(0) and OrderLine.objects.count() >= 500


def test_the_demo_numbers_orders_as_the_shop_does_and_later_orders_follow_them():
    call_command("demo", "--customers", "50", "--orders", "20", "--no-login", stdout=io.StringIO())

    last = Order.objects.order_by("-id").first()
    assert last.number == f"{last.created_at:%Y}-{last.pk:06d}"
    call_command("demo", "--customers", "10", "--orders", "5", "--no-login", stdout=io.StringIO())
    assert Order.objects.count() == 25 and Order.objects.order_by("-id").first().pk > last.pk


def memory_mapped() -> int | None:
    """How much of the database SQLite maps into the process's memory (None on PostgreSQL, which maps none)."""
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        return cursor.execute("PRAGMA mmap_size").fetchone()[0]


def test_the_demo_reads_no_database_pages_into_its_own_memory_while_adding_orders(monkeypatch):
    """With the database memory-mapped, every page the orders read (all current customers) counted as the
    demo's memory: a million customers' demo peaked at 1 GB instead of 300 MB."""
    from kartei.orders import demo

    seen = []
    monkeypatch.setattr(demo, "demo_orders_add", lambda count, **kwargs: seen.append((count, memory_mapped())) or 0)
    mapped = memory_mapped()
    call_command("demo", "--customers", "20", "--orders", "5", "--no-login", stdout=io.StringIO())

    assert seen == [(5, 0 if mapped else None)]
    assert memory_mapped() == mapped and (mapped or connection.vendor != "sqlite")  # mapped again afterwards
