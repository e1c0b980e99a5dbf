"""Quick add from the list, and a delete that can be undone, in a real browser."""

import pytest
from playwright.sync_api import expect

from kartei.customers.models import Customer
from tests.browser.test_customer_journey import log_in
from tests.factories import make_customer

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_adds_a_lead_in_the_dialog_and_the_list_shows_it(page, live_server, screenshot):
    make_customer(name="Taken GmbH", email="taken@example.com")
    log_in(page, live_server)
    page.get_by_role("heading", name="Customers", exact=True).click()
    expect(page.locator("#q")).not_to_be_focused()
    page.keyboard.press("/")
    expect(page.locator("#q")).to_be_focused()
    expect(page.locator("#q")).to_have_value("")

    page.get_by_role("link", name="New customer").click()
    dialog = page.locator("#modal")
    expect(dialog.get_by_role("heading", name="New customer")).to_be_visible()
    dialog.locator("#id_name").fill("Ewa Nowak")
    dialog.locator("#id_email").fill("TAKEN@example.com")
    dialog.get_by_role("button", name="Add customer").click()
    expect(dialog.get_by_text("Taken GmbH already has this email address.")).to_be_visible()
    expect(dialog.get_by_role("link", name="Open that customer")).to_be_visible()
    expect(dialog.locator("#id_name")).to_have_value("Ewa Nowak")
    screenshot(page, "quick-add-error")

    dialog.locator("#id_email").fill("ewa@example.pl")
    dialog.locator("#id_phone").fill("+48 512 345 678")
    dialog.get_by_role("button", name="Add customer").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(".toast")).to_contain_text("Ewa Nowak was added.")
    potential = page.locator("section", has=page.get_by_role("heading", name="Potential customers"))
    expect(potential.locator(".customer-card", has_text="Ewa Nowak")).to_be_visible()


def test_it_deletes_after_asking_and_undoes_the_delete(page, live_server):
    make_customer(name="Misclick GmbH")
    log_in(page, live_server)
    page.locator(".customer-card", has_text="Misclick GmbH").click()
    page.get_by_role("link", name="Delete").click()
    dialog = page.locator("#modal")
    expect(dialog).to_contain_text("You can restore them there for 30 days")
    dialog.get_by_role("link", name="Cancel").click()
    expect(dialog).to_be_hidden()
    assert Customer.objects.get(name="Misclick GmbH").deleted_at is None

    page.get_by_role("link", name="Delete").click()
    dialog.get_by_role("button", name="Move to trash").click()
    expect(page.get_by_role("alert")).to_contain_text("Misclick GmbH was moved to the trash")
    expect(page.locator(".customer-card", has_text="Misclick GmbH")).to_have_count(0)
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_role("heading", name="Misclick GmbH")).to_be_visible()
    assert Customer.objects.get(name="Misclick GmbH").deleted_at is None


def test_the_customers_page_fits_a_phone(browser, live_server, screenshot):
    make_customer(name="Kowalczyk i Wspólnicy Sp.j.", phone="+48 12 781 45 61", status="current", temperature="warm")
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    log_in(page, live_server)
    card = page.locator(".customer-card").first
    expect(card).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "nothing sticks out sideways"
    screenshot(page, "customers-phone")
    context.close()


@pytest.mark.parametrize(
    "viewport", [{"width": 390, "height": 844}, {"width": 1400, "height": 620}], ids=["phone", "short"]
)
def test_the_quick_add_dialog_saves_on_a_small_screen_and_carries_what_was_typed_to_all_fields(
    browser, live_server, viewport
):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    try:
        log_in(page, live_server)
        page.get_by_role("link", name="New customer").click()
        dialog = page.get_by_role("dialog")
        expect(dialog.locator("#id_name")).to_be_focused()  # what is typed first is the name
        page.keyboard.type("Salon Ewa")
        dialog.locator("#id_email").fill("ewa@salon.pl")
        dialog.locator("#tags-new").fill("Friseur")
        dialog.locator("#tags-new").press("Enter")
        add = dialog.get_by_role("button", name="Add customer")
        expect(add).to_be_in_viewport()  # the footer stays on screen; the form scrolls

        dialog.get_by_role("button", name="All fields").click()
        expect(page.get_by_role("heading", name="New customer", level=1)).to_be_visible()
        expect(page.locator("#id_name")).to_have_value("Salon Ewa")
        expect(page.locator("#id_email")).to_have_value("ewa@salon.pl")
        expect(page.locator(".tag-chip", has_text="Friseur")).to_be_visible()

        page.get_by_role("link", name="Customers").first.click()
        page.get_by_role("link", name="New customer").click()
        dialog.locator("#id_name").fill("Kiosk am Markt")
        dialog.get_by_role("button", name="Add customer").click()
        expect(dialog).to_be_hidden()
        assert Customer.objects.filter(name="Kiosk am Markt").exists()
    finally:
        context.close()


def test_what_the_page_script_adds_speaks_the_pages_language(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "django_language", "value": "pl", "url": live_server.url}])
    page = context.new_page()
    try:
        log_in(page, live_server, heading="Klienci")
        page.get_by_role("link", name="Nowy klient").click()
        dialog = page.get_by_role("dialog")
        dialog.locator("#id_name").fill("Salon Ewa")
        dialog.locator("#tags-new").fill("Fryzjer")
        dialog.locator("#tags-new").press("Enter")
        expect(dialog.get_by_role("button", name="Usuń tag Fryzjer")).to_be_visible()
        dialog.get_by_role("button", name="Dodaj klienta").click()
        expect(page.locator(".toast").get_by_role("button", name="Zamknij")).to_be_attached()
    finally:
        context.close()
