"""The orders page lists and filters orders newest first; an order's page shows its lines and history and moves
it on; staff order for a customer from the customer's page, checking the prices before placing it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kartei.catalog.models import ExchangeRate
from kartei.orders.models import Coupon, Order, Status
from tests.catalog.helpers import make_product
from tests.factories import make_customer

from .test_place_orders import place

pytestmark = pytest.mark.django_db


@pytest.fixture
def bread():
    return make_product(sku="BRT-500", name_de="Roggenbrot", name_en="Rye bread", base_price="3.20", pack_size=6)


def test_the_orders_page_lists_orders_newest_first_and_filters_them(staff_client, bread):
    anna, ewa = make_customer(name="Anna Bakery"), make_customer(name="Ewa Sklep")
    first, second = place(anna, "BRT-500 6"), place(ewa, "BRT-500 12")
    Order.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(days=10), status=Status.CONFIRMED)

    page = staff_client.get("/orders/").content.decode()
    assert page.index(second.number) < page.index(first.number)
    assert "€19.20" in page and "€38.40" in page
    assert first.number not in staff_client.get("/orders/", {"status": "new"}).content.decode()
    assert second.number not in staff_client.get("/orders/", {"customer": anna.pk}).content.decode()
    since = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert first.number not in staff_client.get("/orders/", {"since": since}).content.decode()
    filtered = staff_client.get("/orders/", {"status": "lost", "since": "2026-99-99", "customer": "x"})
    assert filtered.status_code == 200  # what cannot be read is left out


def test_no_orders_yet_says_where_they_come_from(staff_client):
    assert "No orders yet" in staff_client.get("/orders/").content.decode()


def test_an_order_page_shows_the_lines_and_moves_the_order_on(staff_client, staff, bread):
    customer = make_customer(name="Anna Bakery", discount_percent="10")
    order = place(customer, "BRT-500 6", comment="Hintereingang")

    page = staff_client.get(f"/orders/{order.pk}/").content.decode()
    assert "Rye bread" not in page and "Roggenbrot" in page  # the name as the customer read it
    assert "€3.20" in page and "€2.88" in page and "€17.28" in page and "Hintereingang" in page
    assert "Mark as Confirmed" in page and "Cancel order" in page

    response = staff_client.post(f"/orders/{order.pk}/status/", {"to": "confirmed"})
    assert staff_client.get(response["Location"]).content.decode().count("Confirmed") >= 2
    refused = staff_client.post(f"/orders/{order.pk}/status/", {"to": "delivered"}, follow=True).content.decode()
    assert "from there it can go to: In production, Cancelled." in refused
    order.refresh_from_db()
    assert order.status == Status.CONFIRMED


def test_cancelling_asks_first(staff_client, bread):
    order = place(make_customer(name="Anna Bakery"), "BRT-500 6")

    dialog = staff_client.get(f"/orders/{order.pk}/status/?to=cancelled", headers={"HX-Request": "true"})

    assert "Cancel order" in dialog.content.decode() and "<html" not in dialog.content.decode()
    order.refresh_from_db()
    assert order.status == Status.NEW


def test_staff_check_the_prices_then_place_an_order_for_a_customer(staff_client, bread):
    ExchangeRate.objects.create(currency="PLN", rate="4.30")
    customer = make_customer(name="Sklep Ewa", discount_percent="10", preferred_currency="PLN",
                             addresses=[{"street": "ul. Długa 1", "city": "Gdańsk", "country": "PL"}])  # fmt: skip
    Coupon.objects.create(code="ZEHN", percent=10)
    form = {"lines": "brt-500 12", "coupon": "zehn", "comment": "", "address": "0", "delivery_date": "",
            "submission": "s1"}  # fmt: skip

    checked = staff_client.post(f"/orders/new/{customer.pk}/", {**form, "action": "check"})
    assert checked.status_code == 200 and not Order.objects.exists()
    page = checked.content.decode()
    assert "148,56\xa0zł" not in page and "PLN148.56" in page and "PLN133.70" in page  # English formats PLN so

    placed = staff_client.post(f"/orders/new/{customer.pk}/", {**form, "action": "place"})
    again = staff_client.post(f"/orders/new/{customer.pk}/", {**form, "action": "place"})  # a double click
    order = Order.objects.get()
    assert placed["Location"] == again["Location"] == f"/orders/{order.pk}/"
    assert (order.total, order.delivery_address["city"], order.created_by.username) == (
        __import__("decimal").Decimal("133.70"), "Gdańsk", "anna")  # fmt: skip


def test_an_order_that_cannot_be_placed_keeps_what_was_typed_and_says_why(staff_client, bread):
    customer = make_customer(name="Anna Bakery")
    form = {"lines": "BRT-500 7\nNOPE 2\nBrot bitte", "coupon": "FAKE", "comment": "Bis Freitag",
            "delivery_date": "2020-01-01", "submission": "s2", "action": "place"}  # fmt: skip

    response = staff_client.post(f"/orders/new/{customer.pk}/", form)

    assert response.status_code == 422
    page = response.content.decode()
    assert "Line 3: write the SKU, a space and the quantity" in page
    assert "No product has the SKU NOPE." in page
    assert "BRT-500 comes in packs of 6" in page and "No coupon has the code FAKE." in page
    assert "BRT-500 7\nNOPE 2\nBrot bitte</textarea>" in page and "Bis Freitag</textarea>" in page
    assert not Order.objects.exists()


def test_the_customer_page_shows_the_customers_orders_and_totals(staff_client, bread):
    customer = make_customer(name="Anna Bakery")
    place(customer, "BRT-500 6")
    place(customer, "BRT-500 12")

    page = staff_client.get(f"/customers/{customer.pk}/").content.decode()

    assert "€57.60" in page and "Last order" in page and f"/orders/new/{customer.pk}/" in page


def test_the_product_search_of_the_order_form_offers_lines_to_add(staff_client, bread):
    options = staff_client.get("/orders/products/", {"product_q": "rye"}).content.decode()

    assert 'data-add-line="BRT-500 6"' in options
    assert "No product matches." in staff_client.get("/orders/products/", {"product_q": "zzz"}).content.decode()
