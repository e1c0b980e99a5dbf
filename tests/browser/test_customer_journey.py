"""A member of staff runs a customer through Kartei in a real browser (Debian's chromium)."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory, make_customer

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"


def log_in(page, live_server, heading="Customers"):
    UserFactory(username="marta")
    page.goto(live_server.url + "/customers/")
    expect(page).to_have_url(re.compile(r"/login/"))
    page.fill("#id_username", "marta")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()


def choose_language(page, current: str, wanted: str):
    page.get_by_role("button", name=current).click()
    page.get_by_role("button", name=wanted, exact=True).click()


def test_it_adds_finds_and_notes_a_customer_then_speaks_german_and_polish(page, live_server, screenshot):
    make_customer(name="Kowalski Sp. z o.o.", phone="+48 512 345 678", status="current")
    log_in(page, live_server)

    # Add a customer with two addresses and a new tag on the full form.
    page.get_by_role("link", name="New customer").click()
    page.get_by_role("button", name="All fields").click()
    expect(page.get_by_role("heading", name="New customer", level=1)).to_be_visible()
    page.fill("#id_name", "Bäckerei Müller GmbH")
    page.fill("#id_contact_person", "Jürgen Müller")
    page.fill("#id_email", "info@baeckerei-mueller.example.com")
    page.fill("#id_phone", "0171 2345678")
    page.select_option("#id_status", "current")
    page.select_option("#id_temperature", "hot")
    page.fill("#id_discount_percent", "12.5")
    page.get_by_role("button", name="Add address").click()
    page.fill("#id_addresses-0-label", "Work")
    page.fill("#id_addresses-0-street", "Hauptstraße 1")
    page.fill("#id_addresses-0-postal_code", "10115")
    page.fill("#id_addresses-0-city", "Berlin")
    page.select_option("#id_addresses-0-country", "DE")
    page.get_by_role("button", name="Add address").click()
    page.fill("#id_addresses-1-label", "Shipping")
    page.fill("#id_addresses-1-street", "Lagerweg 7")
    page.fill("#id_addresses-1-postal_code", "14467")
    page.fill("#id_addresses-1-city", "Potsdam")
    page.select_option("#id_addresses-1-country", "DE")
    page.fill("#tags-new", "Stammkunde")
    page.keyboard.press("Enter")
    expect(page.locator(".tag-chip", has_text="Stammkunde")).to_be_visible()
    screenshot(page, "customer-form", full_page=True)
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", name="Bäckerei Müller GmbH")).to_be_visible()
    expect(page.locator("address")).to_have_count(2)
    expect(page.get_by_text("Lagerweg 7")).to_be_visible()
    expect(page.get_by_role("link", name="Stammkunde")).to_be_visible()

    # Find them by typing part of the phone number, as formatted on a business card.
    page.get_by_role("link", name="Customers").first.click()
    page.fill("#q", "0171 234")
    cards = page.locator(".customer-card")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Bäckerei Müller GmbH")
    expect(page).to_have_url(re.compile(r"q=0171"))

    # Add a high-priority note and see it on the card.
    cards.first.click()
    page.fill("#note-text", "Call back on Monday about the Christmas order.")
    page.select_option("#note-priority", "high")
    page.get_by_role("button", name="Add note").click()
    expect(page.locator(".note.priority-high")).to_contain_text("Christmas order")
    expect(page.locator("#note-text")).to_have_value("")
    screenshot(page, "customer-page", full_page=True)
    page.get_by_role("link", name="Customers").first.click()
    page.fill("#q", "muller")
    expect(page.locator(".customer-card")).to_have_count(1)
    expect(page.locator(".customer-card .note-preview.priority-high")).to_contain_text("Christmas order")

    # The whole page in German, then in Polish.
    page.fill("#q", "")
    expect(page.locator(".customer-card")).to_have_count(2)
    screenshot(page, "customers")
    choose_language(page, "English", "Deutsch")
    expect(page.get_by_role("heading", name="Aktuelle Kunden")).to_be_visible()
    expect(page.get_by_role("heading", name="Kunden", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Neuer Kunde")).to_be_visible()
    expect(page.locator(".customer-card", has_text="Müller").locator(".temp-badge")).to_have_text("Heiß")
    screenshot(page, "customers-de")
    page.wait_for_load_state()  # the menu opens once the page's script runs, after the German page shows
    choose_language(page, "Deutsch", "Polski")
    expect(page.get_by_role("heading", name="Obecni klienci")).to_be_visible()
    expect(page.get_by_role("heading", name="Klienci", exact=True)).to_be_visible()
    expect(page.locator(".customer-card", has_text="Müller").locator(".temp-badge")).to_have_text("Gorący")
    screenshot(page, "customers-pl")
