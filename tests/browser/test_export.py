"""Exporting from the customers page, in a real browser: the list as filtered, or everyone."""

import csv
import io

import pytest
from playwright.sync_api import expect
from python_calamine import CalamineWorkbook

from tests.browser.test_customer_journey import log_in
from tests.factories import make_customer

pytestmark = pytest.mark.django_db(transaction=True)


def download(page, menu_item):
    page.get_by_role("button", name="Export").click()
    with page.expect_download() as info:
        menu_item.click()
    return info.value


def test_it_exports_the_customers_shown_or_everyone(page, live_server, screenshot):
    make_customer(name="Kowalski Bau", status="current", email="biuro@kowalski.example.pl", tags=["Hurt"])
    make_customer(name="Kowalczyk Handel", status="potential")
    make_customer(name="Nowak Meble", status="current")
    log_in(page, live_server)
    page.locator("#q").fill("kowal")
    expect(page.locator(".customer-card")).to_have_count(2)
    page.get_by_label("Status").select_option("current")
    expect(page.locator(".customer-card")).to_have_count(1)

    page.get_by_role("button", name="Export").click()
    screenshot(page, "export-menu")
    page.keyboard.press("Escape")
    shown = download(page, page.get_by_role("button", name="CSV", exact=True))
    assert shown.suggested_filename.startswith("customers-") and shown.suggested_filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(open(shown.path(), encoding="utf-8-sig").read())))
    assert [(r["Name"], r["Email"], r["Tags"]) for r in rows] == [("Kowalski Bau", "biuro@kowalski.example.pl", "Hurt")]
    expect(page.locator(".customer-card")).to_have_count(1)
    expect(page.locator("#q")).to_have_value("kowal")  # the page stays as it was

    everyone = download(page, page.get_by_role("link", name="Excel (XLSX)"))
    sheet = CalamineWorkbook.from_path(str(everyone.path())).get_sheet_by_index(0).to_python()
    assert sorted(row[1] for row in sheet[1:]) == ["Kowalczyk Handel", "Kowalski Bau", "Nowak Meble"]
