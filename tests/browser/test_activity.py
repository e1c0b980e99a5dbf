"""The activity page and the home page in a real browser: the filters narrow the list as they change, without
leaving the page, and the address keeps them (a link to share)."""

import re

import pytest
from playwright.sync_api import expect

from kartei.messaging.services import reply_add
from kartei.timeline.services import comment_add
from tests.browser.test_customer_journey import log_in
from tests.factories import UserFactory, make_customer, make_note

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_activity_page_narrows_as_the_filters_change(page, live_server, screenshot, staff):
    bea = UserFactory(username="bea", first_name="Beata", last_name="Kowalska")
    mueller = make_customer(staff, name="Bäckerei Müller", email="info@mueller.de")
    nowak = make_customer(bea, name="Piekarnia Nowak")
    make_note(mueller, staff, text="Call back about the invoice", priority="high")
    comment_add(actor=bea, customer=nowak, text="Samples are on their way")
    reply_add(customer=mueller, text="Wann kommt die Lieferung?")
    log_in(page, live_server)
    expect(page.locator(".home")).to_contain_text("Wann kommt die Lieferung?")
    expect(page.locator(".home")).to_contain_text("Call back about the invoice")
    screenshot(page, "home")

    page.get_by_role("link", name="Activity", exact=True).click()
    events = page.locator("#activity-events .event")
    expect(events).to_have_count(5)
    page.get_by_label("Who").select_option(label="Beata Kowalska")
    expect(events).to_have_count(2)
    expect(page).to_have_url(re.compile(rf"actor={bea.pk}"))
    page.get_by_label("Who").select_option(label="Everyone")
    page.get_by_label("Customer").fill("müller")
    expect(events).to_have_count(3)
    expect(events.first).to_contain_text("The customer replied")
    page.get_by_label("What").select_option(label="Notes")
    expect(events).to_have_count(1)
    expect(events.first).to_contain_text("added a note")
    screenshot(page, "activity")

    page.reload()  # the address kept the filters
    expect(page.get_by_label("Customer")).to_have_value("müller")
    expect(events).to_have_count(1)
