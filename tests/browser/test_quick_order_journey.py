"""The headline journey, in a real browser: staff make a customer's quick-order link; the customer opens it in a
fresh browser without logging in, in Polish, pastes two lines, changes a quantity and sends the order; the
confirmation e-mail is in Polish; staff see the order at the discounted total and confirm it; the customer's
timeline shows both."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from playwright.sync_api import expect

from kartei.catalog.models import ExchangeRate
from kartei.orders.models import Order
from tests.browser.conftest import ARGS, CHROMIUM  # noqa: F401 (the same browser)
from tests.browser.test_staff_journey import OWNER_PASSWORD, log_in
from tests.catalog.helpers import make_product
from tests.factories import UserFactory, make_customer

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("translations")]


def test_a_customer_orders_through_their_link_in_polish(page, browser, live_server, screenshot):
    UserFactory(username="anna", first_name="Anna Schmidt")
    ExchangeRate.objects.create(currency="PLN", rate=Decimal("4.30"))
    make_product(sku="BRT-500", name_de="Roggenbrot", name_pl="Chleb żytni", base_price="3.20", pack_size=6)
    make_product(sku="KAF-1000", name_de="Kaffee", name_pl="Kawa ziarnista", base_price="18.90",
                 prices={"PLN": "79.00"})  # fmt: skip
    customer = make_customer(name="Sklep Ewa", email="ewa@sklep.example.pl", discount_percent="10",
                             preferred_currency="PLN", preferred_language="pl",
                             addresses=[{"street": "ul. Długa 1", "postal_code": "80-001", "city": "Gdańsk",
                                         "country": "PL"}])  # fmt: skip
    log_in(page, live_server, "anna", OWNER_PASSWORD)
    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    page.get_by_role("button", name="Generate quick-order link").click()
    url = page.locator("#quick-link").input_value()
    assert url.startswith(live_server.url + "/quick/")

    customer_browser = browser.new_context(viewport={"width": 390, "height": 844}, locale="pl-PL")
    shop = customer_browser.new_page()
    try:
        shop.goto(url)
        expect(shop.get_by_role("heading", name="Zamówienie dla Sklep Ewa")).to_be_visible()
        expect(shop.locator("#offers")).to_contain_text("12,38\xa0zł")
        shop.get_by_text("Wklej listę").click()
        shop.fill("#portal-lines", "BRT-500 12\nKAF-1000 1")
        shop.get_by_role("button", name="Dodaj do zamówienia").click()
        expect(shop.locator("#cart")).to_contain_text("219,66\xa0zł")  # 12 × 12.38 + 71.10
        shop.get_by_label("Ilość: Kawa ziarnista").last.fill("2")
        shop.locator("#cart form", has=shop.get_by_label("Ilość: Kawa ziarnista").last).get_by_role(
            "button", name="Zmień").click()  # fmt: skip
        expect(shop.locator("#cart")).to_contain_text("290,76\xa0zł")
        shop.reload()
        expect(shop.locator("#cart")).to_contain_text("290,76\xa0zł")  # the cart survives a reload
        screenshot(shop, "quick-order", full_page=True)
        shop.get_by_role("button", name="Wyślij zamówienie").click()
        expect(shop.get_by_role("heading", name="Dziękujemy za zamówienie")).to_be_visible()

        shop.goto(url)  # back on the page: the order is listed and can be ordered again
        last_orders = shop.get_by_role("region", name="Twoje ostatnie zamówienia")
        number = Order.objects.get().number
        expect(last_orders).to_contain_text(number)
        expect(last_orders).to_contain_text("290,76\xa0zł")
        last_orders.get_by_role("button", name=f"Zamów ponownie {number}").click()
        expect(shop.locator("#cart")).to_contain_text("290,76\xa0zł")
    finally:
        customer_browser.close()

    order = Order.objects.get()
    assert order.total == Decimal("290.76") and order.currency == "PLN"
    assert len(mail.outbox) == 1 and "Zamówienie" in mail.outbox[0].subject
    assert "dziękujemy za zamówienie" in mail.outbox[0].body and "290,76\xa0zł" in mail.outbox[0].body

    page.goto(f"{live_server.url}/orders/")
    page.get_by_role("link", name=order.number).click()
    expect(page.locator("tfoot")).to_contain_text("PLN290.76")
    page.get_by_role("button", name="Mark as Confirmed").click()
    expect(page.get_by_role("alert")).to_contain_text("is now “Confirmed”")
    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text(re.compile(f"The customer placed order {order.number}"))
    expect(timeline).to_contain_text(f"set order {order.number} to “Confirmed”")
