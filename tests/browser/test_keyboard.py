"""Keyboard and screen-reader users: focus stays where the user works, nothing changes before they ask."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_customer_journey import log_in
from tests.catalog.helpers import make_product
from tests.factories import make_customer, make_customers_in_bulk, make_note

pytestmark = pytest.mark.django_db(transaction=True)


def focused_text(page) -> str:
    return page.evaluate("document.activeElement.textContent.trim()")


def test_closing_a_dialog_puts_the_focus_back_on_what_opened_it(page, live_server):
    customer = make_customer(name="Fokus GmbH")
    log_in(page, live_server)
    new = page.get_by_role("link", name="New customer")
    dialog = page.get_by_role("dialog")

    new.focus()
    page.keyboard.press("Enter")
    expect(dialog.locator("#id_name")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(new).to_be_focused()

    new.focus()
    page.keyboard.press("Enter")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(new).to_be_focused()

    new.focus()
    page.keyboard.press("Enter")
    expect(dialog.locator("#id_name")).to_be_focused()
    page.keyboard.type("Kiosk am Markt")
    page.keyboard.press("Enter")
    expect(page.locator(".customer-card", has_text="Kiosk am Markt")).to_be_visible()
    expect(new).to_be_focused()

    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    delete = page.get_by_role("link", name="Delete")
    delete.focus()
    page.keyboard.press("Enter")
    expect(dialog.get_by_role("button", name="Move to trash")).to_be_focused()
    dialog.get_by_role("link", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(delete).to_be_focused()


def test_notes_keep_the_focus_where_the_user_writes(page, live_server):
    customer = make_customer(name="Notiz AG")
    note = make_note(customer, text="Wants a quote.")
    log_in(page, live_server)
    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    text = page.get_by_label("New note")

    text.fill("Called back, sends the order on Monday.")
    page.get_by_role("button", name="Add note").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".note", has_text="sends the order on Monday")).to_be_visible()
    expect(text).to_be_focused()
    expect(text).to_have_value("")

    edit = page.locator(f"#note-{note.pk}").get_by_role("link", name="Edit note")
    edit.focus()
    page.keyboard.press("Enter")
    box = page.locator(f"#note-edit-{note.pk}")
    expect(box).to_be_focused()
    page.keyboard.press("Escape")
    expect(box).to_be_hidden()
    expect(edit).to_be_focused()

    edit.focus()
    page.keyboard.press("Enter")
    box.fill("Wants a quote for 200 pieces.")
    page.locator(f"#note-{note.pk}").get_by_role("button", name="Save").click()
    expect(page.locator(f"#note-{note.pk}")).to_contain_text("200 pieces")
    expect(edit).to_be_focused()


@pytest.mark.parametrize("view", ["cards", "table"])
def test_show_more_moves_the_focus_to_the_first_customer_it_added(page, live_server, view):
    make_customers_in_bulk([{"name": f"Kunde {n:02}", "status": "current"} for n in range(40)])
    log_in(page, live_server)
    page.goto(f"{live_server.url}/customers/?status=current&sort=name&view={view}")
    more = page.get_by_role("link", name="Show more")
    shown = page.get_by_role("link", name="Kunde").count()
    more.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Kunde")).not_to_have_count(shown)
    assert f"Kunde {shown:02}" in focused_text(page)


def test_show_more_in_the_trash_moves_the_focus_to_the_first_customer_it_added(page, live_server):
    make_customers_in_bulk([{"name": f"Kunde {n:02}", "deleted_at": timezone.now()} for n in range(40)])
    log_in(page, live_server)
    page.goto(f"{live_server.url}/customers/trash/")
    restore = page.get_by_role("button", name="Restore")
    shown = restore.count()
    page.get_by_role("link", name="Show more").focus()
    page.keyboard.press("Enter")
    expect(restore).not_to_have_count(shown)
    assert page.evaluate("[...document.querySelectorAll('main button')].indexOf(document.activeElement)") == shown


@pytest.mark.parametrize("list_of", ["products", "activity"])
def test_show_more_on_other_lists_moves_the_focus_to_the_first_row_it_added(page, live_server, list_of):
    if list_of == "products":
        for n in range(55):
            make_product(sku=f"P-{n:02}", name_de=f"Produkt {n:02}")
        url, button, rows = "/products/", "Show more", "main tbody tr:has([name=product])"
    else:
        customer = make_customer(name="Bäckerei Müller")
        for n in range(40):
            make_note(customer, text=f"Note {n}")
        url, button, rows = "/activity/", "Show older", "#activity-events li.card"
    log_in(page, live_server)
    page.set_viewport_size({"width": 1280, "height": 400})  # "Show older" loads by itself once scrolled to
    page.goto(live_server.url + url)
    shown = page.locator(rows).count()
    page.get_by_role("link", name=button).focus()
    page.keyboard.press("Enter")
    expect(page.locator(rows)).not_to_have_count(shown)
    assert page.evaluate(f"document.querySelectorAll({rows!r})[{shown}].contains(document.activeElement)")


def test_the_tag_field_shows_that_it_has_the_focus(page, live_server):
    log_in(page, live_server)
    page.goto(f"{live_server.url}/customers/new/")
    box = page.locator(".tag-box")
    unfocused = box.evaluate("e => getComputedStyle(e).boxShadow")
    page.get_by_label("Tags").focus()
    focused = box.evaluate("e => getComputedStyle(e).boxShadow")
    assert focused != unfocused and focused != "none"


def test_the_language_changes_only_when_the_user_picks_one(page, live_server):
    log_in(page, live_server)
    language = page.get_by_role("button", name="Language")
    language.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(300)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Customers", exact=True)).to_be_visible()

    page.get_by_role("button", name="Deutsch").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Kunden", exact=True)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "de")


def test_a_screen_reader_hears_how_many_customers_match_not_every_card(page, live_server):
    make_customer(name="Kowalski Bau", status="current")
    make_customer(name="Kowalczyk Handel", status="potential")
    make_customer(name="Nowak Meble", status="potential")
    log_in(page, live_server)
    expect(page.locator("[aria-live]", has_text="Kowalski Bau")).to_have_count(0)
    status = page.get_by_role("status").filter(has_text="customer")

    page.locator("#q").fill("kowal")
    expect(status).to_have_text("Current customers: 1 customer. Potential customers: 1 customer.")
    page.locator("#q").fill("nowak")
    expect(status).to_have_text("Potential customers: 1 customer.")
    page.locator("#q").fill("zzz")
    expect(status).to_have_text("No customers match.")
    expect(page.locator("[aria-live]", has_text="Nowak")).to_have_count(0)
