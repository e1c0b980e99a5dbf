"""Each customer's last order and what their orders came to, kept as orders are placed and cancelled, so the
customers table and the API sort by them: the biggest buyers or those who ordered last first, those who never
ordered at the end."""

import importlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import timezone

from kartei.catalog.models import ExchangeRate
from kartei.customers.models import Customer
from kartei.customers.services import customer_update
from kartei.orders.models import Order
from kartei.orders.services import customer_figures_refresh, order_transition
from tests.catalog.helpers import make_product
from tests.factories import make_customer

from .test_place_orders import place

pytestmark = pytest.mark.django_db


@pytest.fixture
def bread():
    ExchangeRate.objects.create(currency="PLN", rate=Decimal("4.30"))
    return make_product(sku="BRT-500", name_de="Roggenbrot", base_price="3.20", prices={"CHF": "3.50"})


def figures(customer) -> tuple:
    customer = Customer.objects.get(pk=customer.pk)
    return customer.last_order_at, customer.orders_total


def test_orders_in_every_currency_add_up_to_the_customers_total_in_the_base_currency(bread):
    customer = make_customer(name="Sklep Ewa", preferred_currency="PLN")
    assert figures(customer) == (None, Decimal(0))

    in_zloty = place(customer, "BRT-500 12")  # 12 × 13.76 zł = 165.12 zł = €38.40 at 4.30

    assert in_zloty.total_base == Decimal("38.40")
    assert figures(customer) == (in_zloty.created_at, Decimal("38.40"))
    Customer.objects.filter(pk=customer.pk).update(preferred_currency="")
    in_euro = place(customer, "BRT-500 6")
    assert figures(customer) == (in_euro.created_at, Decimal("57.60"))


def test_a_cancelled_order_leaves_the_total_but_stays_the_last_order(bread, staff):
    customer = make_customer()
    first, last = place(customer, "BRT-500 6"), place(customer, "BRT-500 12")

    order_transition(actor=staff, order=last, to="cancelled")

    assert figures(customer) == (last.created_at, first.total)


def test_an_order_in_a_currency_without_an_exchange_rate_counts_as_an_order_but_not_in_the_total(bread):
    customer = make_customer(preferred_currency="CHF")  # the product has a fixed CHF price; CHF has no rate

    order = place(customer, "BRT-500 6")

    assert (order.total, order.total_base) == (Decimal("21.00"), None)
    assert figures(customer) == (order.created_at, Decimal(0))


def test_saving_a_customer_read_before_their_order_keeps_the_order_figures(staff, bread):
    customer = make_customer(name="Anna")  # as the edit form read it
    order = place(customer, "BRT-500 6")

    customer_update(customer=customer, actor=staff, data={"name": "Anna Nowak"})

    assert Customer.objects.get(pk=customer.pk).name == "Anna Nowak"
    assert figures(customer) == (order.created_at, Decimal("19.20"))


@pytest.fixture
def buyers(bread):
    """Four customers: a big buyer who ordered long ago, a small one who ordered yesterday, one whose order was
    cancelled, one who never ordered."""
    big, small, cancelled, never = (make_customer(name=name) for name in ("Big", "Small", "Cancelled", "Never"))
    order = place(big, "BRT-500 60")
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - timedelta(days=300))
    place(small, "BRT-500 6")
    Order.objects.filter(pk=place(cancelled, "BRT-500 6").pk).update(status="cancelled")
    customer_figures_refresh([big.pk, small.pk, cancelled.pk])
    return big, small, cancelled, never


def names_in_table(client, sort: str) -> list[str]:
    page = client.get(f"/customers/?view=table&sort={sort}").content.decode()
    return sorted(("Big", "Small", "Cancelled", "Never"), key=page.index)


def test_the_customers_table_sorts_by_total_and_by_last_order(staff_client, buyers):
    assert names_in_table(staff_client, "-total") == ["Big", "Small", "Never", "Cancelled"]  # equal: newest first
    assert names_in_table(staff_client, "total")[-1] == "Big"
    assert names_in_table(staff_client, "-last_order")[:3] == ["Cancelled", "Small", "Big"]
    assert names_in_table(staff_client, "-last_order")[-1] == "Never"
    assert names_in_table(staff_client, "last_order") == ["Never", "Big", "Small", "Cancelled"]


def test_the_table_shows_each_customers_last_order_and_total_and_sorts_the_biggest_first_on_one_click(
    staff_client, buyers
):
    page = staff_client.get("/customers/?view=table").content.decode()

    assert "€192.00" in page and "€19.20" in page  # 60 and 6 loaves at €3.20
    assert 'href="?view=table&amp;sort=-total"' in page and 'href="?view=table&amp;sort=-last_order"' in page
    reversed_page = staff_client.get("/customers/?view=table&sort=-total").content.decode()
    assert 'href="?view=table&amp;sort=total"' in reversed_page


def test_each_row_of_the_table_has_a_menu_to_order_for_an_active_customer(staff_client, bread):
    active, inactive = make_customer(name="Open shop"), make_customer(name="Closed shop", is_active=False)

    page = staff_client.get("/customers/?view=table").content.decode()
    assert "Actions for Open shop" in page and f'href="/orders/new/{active.pk}/"' in page
    page = staff_client.get("/customers/", {"view": "table", "active": "false"}).content.decode()
    assert "Actions for Closed shop" in page and f'href="/orders/new/{inactive.pk}/"' not in page


def test_the_api_lists_customers_by_total_and_shows_the_figures(api, buyers):
    body = api.get("/customers?sort=-total&limit=2").json()

    assert [c["name"] for c in body["items"]] == ["Big", "Small"]
    assert body["items"][0]["orders_total"] == "192.00"
    assert body["items"][0]["last_order_at"] is not None
    following = api.get(f"/customers?sort=-total&limit=2&cursor={body['next_cursor']}").json()
    assert [c["name"] for c in following["items"]] == ["Never", "Cancelled"]
    assert following["items"][0]["last_order_at"] is None


def test_orders_placed_before_the_figures_existed_are_counted_when_kartei_is_updated(bread):
    """What the migration that brought the figures does for the orders already there."""
    fill = importlib.import_module("kartei.orders.migrations.0002_total_in_base_currency").fill
    polish, swiss = make_customer(preferred_currency="PLN"), make_customer(preferred_currency="CHF")
    in_zloty, in_francs = place(polish, "BRT-500 12"), place(swiss, "BRT-500 6")
    Order.objects.update(total_base=None)
    Customer.objects.update(last_order_at=None, orders_total=0)

    fill(apps, None)

    assert Order.objects.get(pk=in_zloty.pk).total_base == Decimal("38.40")
    assert figures(polish) == (in_zloty.created_at, Decimal("38.40"))
    assert figures(swiss) == (in_francs.created_at, Decimal(0))  # no rate for CHF: an order, not in the total
