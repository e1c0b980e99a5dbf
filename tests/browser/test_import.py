"""Importing a German Excel CSV in a real browser: check, import, download what was rejected, undo."""

import csv
import io

import pytest
from playwright.sync_api import expect

from kartei.customers.models import Customer
from tests.browser.test_customer_journey import log_in
from tests.transfer.test_import_customers import GERMAN_SHEET

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_german_excel_file_is_checked_imported_fixed_and_undone(page, live_server, screenshot, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    log_in(page, live_server)
    page.get_by_role("link", name="Import").click()
    expect(page.get_by_role("heading", name="Import customers")).to_be_visible()
    page.get_by_label("File").set_input_files(
        files=[{"name": "kunden.csv", "mimeType": "text/csv", "buffer": GERMAN_SHEET.encode("cp1252")}]
    )
    page.get_by_label("Fill in their empty fields").check()
    page.get_by_role("button", name="Check the file").click()

    expect(page.get_by_role("heading", name="What the import will do")).to_be_visible()
    expect(page.get_by_role("cell", name="VIP, Bäcker")).to_be_visible()
    page.get_by_label("Notiz").select_option(label="Not read")
    page.get_by_label("Kategorie").select_option(label="Note")  # the categories are a remark here, not tags
    page.get_by_role("button", name="Check again with these columns").click()
    expect(page.get_by_label("Kategorie")).to_have_value("note")
    expect(page.get_by_role("cell", name="VIP, Bäcker")).to_have_count(0)
    expect(page.locator(".import-counts")).to_contain_text("3")
    expect(page.get_by_role("cell", name="Bäckerei Müller GmbH")).to_be_visible()
    expect(page.get_by_role("cell", name="The same customer as on line 2.")).to_be_visible()
    screenshot(page, "import-check", full_page=True)
    assert not Customer.objects.exists()

    with page.expect_download() as info:
        page.get_by_role("link", name="Download them to fix").click()
    rows = list(csv.reader(io.StringIO(open(info.value.path(), encoding="utf-8-sig").read())))
    assert [row[-1] for row in rows[1:]] == [
        "Nothing tells who this customer is: no name, email or phone.",
        "Enter an email address such as name@example.com.",
        "The same customer as on line 2.",
    ]

    page.get_by_role("button", name="Import now").click()
    expect(page.get_by_role("alert").or_(page.locator(".alert"))).to_contain_text("Imported: 3 new")
    assert Customer.objects.count() == 3
    bakery = Customer.objects.get(name="Bäckerei Müller GmbH")
    assert not bakery.tags.exists() and bakery.notes.get().text == "VIP, Bäcker"
    screenshot(page, "imports")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Undo").click()
    expect(page.locator(".alert")).to_contain_text("Import undone: 3 customers removed")
    expect(page.get_by_text("Undone", exact=True)).to_be_visible()
    assert not Customer.objects.exists()


def test_a_large_file_is_checked_and_imported_by_the_worker_with_a_progress_bar(
    page, live_server, screenshot, settings, tmp_path, monkeypatch
):
    from django.core.management import call_command

    from kartei.transfer import services

    settings.DATA_DIR = tmp_path
    monkeypatch.setattr(services, "BACKGROUND_BYTES", 100)
    monkeypatch.setattr(services, "BACKGROUND_ROWS", 5)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/customers/import/")
    page.get_by_label("File").set_input_files(
        files=[{"name": "kunden.csv", "mimeType": "text/csv", "buffer": GERMAN_SHEET.encode("cp1252")}]
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("status")).to_have_text("Checking every row; nothing is imported yet.")
    expect(page.get_by_role("progressbar", name="Rows checked")).to_be_visible()
    expect(page.get_by_text("0 of 6 rows")).to_be_visible()
    screenshot(page, "import-checking")

    call_command("db_worker", batch=True)  # the task worker checks the file; the page comes to the result
    expect(page.get_by_role("heading", name="What the import will do")).to_be_visible()
    expect(page.get_by_role("cell", name="The same customer as on line 2.")).to_be_visible()

    page.get_by_role("button", name="Import now").click()
    expect(page.get_by_role("progressbar", name="Rows imported")).to_be_visible()
    call_command("db_worker", batch=True)
    expect(page.get_by_text("3 new, 0 updated, 0 skipped, 3 rejected")).to_be_visible()
    assert Customer.objects.count() == 3
