"""A member keeps the catalog in a real browser (Debian's chromium): adds a product, mistyping its price first;
finds it as they type; raises the prices of the ticked products and undoes it; stops offering one."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_staff_journey import OWNER_PASSWORD, SETTLED, log_in
from tests.catalog.helpers import make_product
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_member_adds_finds_reprices_and_retires_products(page, live_server, screenshot):
    UserFactory(username="anna", first_name="Anna Schmidt")
    log_in(page, live_server, "anna", OWNER_PASSWORD)

    page.get_by_role("link", name="Products").click()
    expect(page.get_by_role("heading", name="No products yet")).to_be_visible()
    page.get_by_role("link", name="Add a product").click()
    page.fill("#id_sku", "BRT-500")
    page.fill("#id_name_de", "Roggenbrot 500 g")
    page.fill("#id_name_en", "Rye bread 500 g")
    page.fill("#id_base_price", "4,5O")  # a letter O for a zero
    page.fill("#id_pack_size", "6")
    page.get_by_role("button", name="Add product").click()

    expect(page.locator("#id_base_price-errors")).to_contain_text("Enter the price as a number")
    expect(page.locator("#id_name_de")).to_have_value("Roggenbrot 500 g")  # nothing typed is lost
    expect(page.locator("#id_pack_size")).to_have_value("6")
    page.fill("#id_base_price", "4,50")
    screenshot(page, "product-form", full_page=True)
    page.get_by_role("button", name="Add product").click()
    expect(page.get_by_role("alert")).to_contain_text("BRT-500 Rye bread 500 g was added.")

    make_product(sku="KAF-01", name_de="Kaffee", name_en="Coffee beans", base_price="12.90")
    make_product(sku="TEE-01", name_de="Tee", name_en="Black tea", base_price="3.20")
    page.get_by_role("link", name="Products").click()
    page.fill("#q", "coff")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text("Coffee beans")
    page.fill("#q", "")
    expect(page.locator("tbody tr")).to_have_count(3)
    screenshot(page, "products")

    # Ten percent on the ticked products, asked in a dialog; undone from the message.
    page.get_by_label("Choose KAF-01").check()
    page.get_by_label("Choose TEE-01").check()
    page.get_by_role("link", name="Change prices").click()
    dialog = page.locator("#modal")
    expect(dialog).to_contain_text("The prices of the 2 chosen products change")
    page.wait_for_function(SETTLED, arg="#modal .modal-dialog")
    dialog.get_by_label("Change by (%)").fill("zehn")
    dialog.get_by_role("button", name="Change prices").click()
    expect(dialog.locator("#id_percent-errors")).to_contain_text("Enter the change in percent")
    dialog.get_by_label("Change by (%)").fill("10")
    dialog.get_by_role("button", name="Change prices").click()
    expect(page.get_by_role("alert")).to_contain_text("The prices of 2 products were changed by +10 %.")
    expect(page.locator("tr", has_text="KAF-01")).to_contain_text("€14.19")
    expect(page.locator("tr", has_text="BRT-500")).to_contain_text("€4.50")
    page.get_by_role("alert").get_by_role("button", name="Undo").click()
    expect(page.get_by_role("alert")).to_contain_text("The prices of 2 products are back.")
    expect(page.locator("tr", has_text="KAF-01")).to_contain_text("€12.90")

    page.get_by_role("button", name="Stop offering TEE-01").click()
    expect(page.get_by_role("alert")).to_contain_text("TEE-01 is no longer offered.")
    expect(page.locator("tbody tr")).to_have_count(2)
    page.select_option("#f-active", "0")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"active=0"))
