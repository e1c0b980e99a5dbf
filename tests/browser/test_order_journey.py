"""Staff order on a customer's behalf in a real browser: from the customer's page, a product found by search and
a pasted line, a coupon that does not apply and one that does, prices checked, the order placed, confirmed;
the customer's timeline shows both."""

import re

import pytest
from playwright.sync_api import expect

from kartei.orders.models import Coupon
from tests.browser.test_staff_journey import OWNER_PASSWORD, SETTLED, log_in
from tests.catalog.helpers import make_product
from tests.factories import UserFactory, make_customer

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_place_an_order_for_a_customer_and_confirm_it(page, live_server, screenshot):
    UserFactory(username="anna", first_name="Anna Schmidt")
    customer = make_customer(name="Café Ewa", discount_percent="10",
                             addresses=[{"street": "Hauptstraße 1", "postal_code": "10115", "city": "Berlin",
                                         "country": "DE"}])  # fmt: skip
    make_product(sku="BRT-500", name_de="Roggenbrot", name_en="Rye bread", base_price="3.20", pack_size=6)
    make_product(sku="KAF-1000", name_de="Kaffeebohnen 1 kg", name_en="Coffee beans 1 kg", base_price="18.90")
    Coupon.objects.create(code="HERBST", percent=5)
    log_in(page, live_server, "anna", OWNER_PASSWORD)

    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    page.get_by_role("link", name="New order").click()
    page.fill("#product-q", "coffee")
    page.get_by_role("button", name="Add KAF-1000").click()
    expect(page.locator("#order-lines")).to_have_value("KAF-1000 1\n")
    page.locator("#order-lines").press("End")
    page.locator("#order-lines").type("BRT-500 7")
    page.fill("#order-coupon", "winter")
    page.get_by_role("button", name="Check prices").click()

    expect(page.locator("tr.table-danger")).to_contain_text("BRT-500 comes in packs of 6: order 6, 12, 18 …")
    expect(page.locator("#order-coupon-errors")).to_contain_text("No coupon has the code WINTER.")
    page.fill("#order-lines", "KAF-1000 1\nBRT-500 12")
    page.fill("#order-coupon", "herbst")
    page.get_by_role("button", name="Check prices").click()
    expect(page.locator("tfoot")).to_contain_text("€48.99")  # (17.01 + 12 × 2.88) less 5 %
    screenshot(page, "order-form", full_page=True)
    page.get_by_role("button", name="Place order").click()

    expect(page.get_by_role("alert")).to_contain_text("for Café Ewa was placed.")
    expect(page.get_by_role("heading", name=re.compile(r"^Order \d{4}-\d{6}$"))).to_be_visible()
    page.get_by_role("button", name="Mark as Confirmed").click()
    expect(page.get_by_role("alert")).to_contain_text("is now “Confirmed”.")
    screenshot(page, "order")
    page.get_by_role("link", name="Cancel order").click()
    page.wait_for_function(SETTLED, arg="#modal .modal-dialog")
    page.get_by_role("link", name="Keep the order").click()
    expect(page.locator(".order-status").first).to_have_text("Confirmed")

    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text("set order")
    expect(timeline).to_contain_text("placed order")
    expect(page.locator("#orders")).to_contain_text("€48.99")


def test_staff_order_from_the_customers_table_and_limit_a_coupon_to_customers_they_find(page, live_server, screenshot):
    UserFactory(username="anna", first_name="Anna Schmidt")
    ewa = make_customer(name="Café Ewa", addresses=[{"city": "Berlin", "country": "DE"}])
    make_customer(name="Bäckerei Ewert", addresses=[{"city": "Köln", "country": "DE"}])
    make_customer(name="Hotel Zum Stern")
    log_in(page, live_server, "anna", OWNER_PASSWORD)

    page.goto(f"{live_server.url}/customers/?view=table")
    page.get_by_role("button", name="Actions for Café Ewa").click()
    screenshot(page, "customers-table-row-menu")
    page.get_by_role("link", name="New order").click()
    expect(page.get_by_role("heading", name="New order for Café Ewa")).to_be_visible()

    page.goto(f"{live_server.url}/orders/coupons/")
    page.fill("#coupon-code", "stamm5")
    page.fill("#coupon-value", "5")
    page.fill("#coupon-customer-q", "ewa")
    page.get_by_label("Café Ewa").check()
    page.locator("#coupon-customer-q").fill("ewert")
    page.locator("#coupon-customer-q").press("Enter")  # finds; does not add the coupon yet
    page.get_by_label("Bäckerei Ewert").check()
    page.locator("#coupon-customer-q").fill("stern")
    expect(page.locator("#coupon-customer-options")).to_contain_text("Hotel Zum Stern")
    expect(page.locator("#coupon-customers input:checked")).to_have_count(2)
    screenshot(page, "coupon-for-some-customers")
    page.get_by_role("button", name="Add coupon").click()

    expect(page.get_by_role("alert")).to_contain_text("The coupon STAMM5 was added.")
    expect(page.locator("tbody tr").first).to_contain_text("Bäckerei Ewert, Café Ewa")
    assert {c.name for c in Coupon.objects.get().customers.all()} == {ewa.name, "Bäckerei Ewert"}
