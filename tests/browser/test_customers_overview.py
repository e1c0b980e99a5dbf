"""The customers page with a realistic file: cards in both sections, the table, and the German page."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from kartei.customers.models import Customer
from kartei.customers.search.folding import fold
from tests.browser.test_customer_journey import log_in
from tests.factories import make_customer

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_shows_a_realistic_customer_file_as_cards_and_as_a_table(page, live_server, screenshot):
    call_command("demo", "--customers", "60", "--no-login", stdout=io.StringIO())
    log_in(page, live_server)
    current = page.locator("section", has=page.get_by_role("heading", name="Current customers"))
    potential = page.locator("section", has=page.get_by_role("heading", name="Potential customers"))
    expect(current.locator(".customer-card").first).to_be_visible()
    expect(potential.locator(".customer-card").first).to_be_visible()
    assert current.locator(".customer-card").count() == potential.locator(".customer-card").count() == 12
    # Each list is counted once it is shown.
    current_count = Customer.objects.filter(status="current", is_active=True, deleted_at=None).count()
    expect(current.get_by_role("heading", level=2)).to_have_text(f"Current customers {current_count} customers")
    expect(potential.get_by_role("heading", level=2)).to_have_text(re.compile(r"^Potential customers \d+ customers$"))
    screenshot(page, "customers-demo")

    page.get_by_title("Table").click()
    expect(page.locator("table.customer-table tbody tr")).to_have_count(25)  # 24 rows and "Show more"
    joined = page.get_by_role("columnheader", name="Joined")
    expect(joined).to_have_attribute("aria-sort", "descending")  # newest first
    page.get_by_role("link", name="Name").click()
    expect(page.get_by_role("columnheader", name="Name")).to_have_attribute("aria-sort", "ascending")
    expect(joined).to_have_attribute("aria-sort", "none")
    names = page.locator("table.customer-table tbody tr td:first-child a").all_inner_texts()
    assert names == sorted(names, key=fold)
    page.get_by_title("Cards").click()
    expect(page.locator(".customer-name").first).to_be_visible()
    # A name cut short on its card shows in full on hover.
    assert page.locator(".customer-name").evaluate_all("els => els.every(e => e.title === e.textContent)")
    page.get_by_title("Table").click()
    expect(page.locator("table.customer-table tbody tr")).to_have_count(25)
    page.get_by_role("button", name="Show more").or_(page.get_by_role("link", name="Show more")).click()
    expect(page.locator("table.customer-table tbody tr")).to_have_count(49)
    screenshot(page, "customers-table")

    page.reload()
    expect(page.locator("table.customer-table")).to_be_visible()  # the table view is remembered


def test_filters_narrow_the_list_and_a_card_opens_right_after_typing(page, live_server):
    make_customer(name="Kowalski Sp. z o.o.", status="current", temperature="hot")
    make_customer(name="Nowak Handel", status="potential", temperature="cold")
    make_customer(name="Bäckerei Müller", status="current", temperature="warm")
    log_in(page, live_server)
    cards = page.locator(".customer-card")
    expect(cards).to_have_count(3)

    page.select_option("#f-status", "potential")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Nowak Handel")
    expect(page).to_have_url(re.compile(r"status=potential"))
    page.select_option("#f-status", "")
    page.get_by_role("button", name="Temperature").click()
    page.get_by_label("Hot").check()
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Kowalski")
    page.get_by_label("Hot").uncheck()
    expect(cards).to_have_count(3)

    # A person's click lasts a moment. Leaving the search box must not refresh the list and swap
    # the card away under the pointer, which swallowed the click.
    page.fill("#q", "mull")
    expect(cards).to_have_count(1)
    cards.first.click(delay=150)
    expect(page).to_have_url(re.compile(r"/customers/\d+/$"))
    expect(page.get_by_role("heading", level=1, name="Bäckerei Müller")).to_be_visible()


def test_the_tag_filter_offers_a_few_tags_and_finds_the_others_by_typing(page, live_server):
    from kartei.customers.models import Tag

    for n in range(40):
        Tag.objects.create(name=f"Messe {2000 + n}")
    make_customer(name="Aussteller 2039", tags=["Messe 2039"])
    make_customer(name="Andere GmbH")
    log_in(page, live_server)
    cards = page.locator(".customer-card")
    expect(cards).to_have_count(2)

    page.get_by_role("button", name="Tags").click()
    menu = page.locator(".tag-menu")
    expect(menu.locator(".form-check")).to_have_count(20)
    menu.get_by_role("searchbox", name="Find a tag").fill("2039")
    expect(menu.locator(".form-check")).to_have_count(1)
    menu.get_by_label("Messe 2039").check()
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Aussteller 2039")
    expect(page).to_have_url(re.compile(r"tag=Messe"))
    expect(page).not_to_have_url(re.compile(r"tag_search"))
