"""The timeline in a real browser: older events load as the user scrolls down to them, and the filter narrows it to
one kind without leaving the page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kartei.timeline import actors
from kartei.timeline.models import Event
from kartei.timeline.services import event_record
from tests.browser.test_customer_journey import log_in
from tests.factories import make_customer, make_note

pytestmark = pytest.mark.django_db(transaction=True)


def test_older_events_load_while_scrolling_and_the_filter_narrows_them(page, live_server, screenshot, staff):
    customer = make_customer(staff, name="Bäckerei Müller")
    for _ in range(60):
        event_record(customer=customer, kind="customer.deactivated", actor=actors.SYSTEM)
    make_note(customer, staff, text="Wants samples")
    now = timezone.now()
    for age, event in enumerate(Event.objects.filter(customer=customer).order_by("-id")):
        Event.objects.filter(pk=event.pk).update(created_at=now - timedelta(minutes=age))
    log_in(page, live_server)

    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    events = page.locator("#timeline-events li.event")
    for count in (20, 40, 60, 62):
        expect(events).to_have_count(count)
        if count < 62:
            page.locator(".more-events").scroll_into_view_if_needed()  # the user scrolls down to the end
    expect(page.locator(".more-events")).to_have_count(0)

    page.get_by_label("Show").select_option("note")
    expect(events).to_have_count(1)
    expect(events.first).to_contain_text("added a note")
    screenshot(page, "timeline-notes")


def test_a_comment_appears_on_the_timeline_as_typed_and_the_box_is_ready_for_the_next(page, live_server, screenshot):
    customer = make_customer(name="Bäckerei Müller")
    log_in(page, live_server)
    page.goto(f"{live_server.url}/customers/{customer.pk}/")

    page.get_by_label("Comment for your colleagues").fill("Samples sent on Monday.\n  <b>Call</b> on Friday!")
    page.get_by_role("button", name="Comment", exact=True).click()

    body = page.locator("#timeline-events .event-body").first
    expect(body).to_have_text("Samples sent on Monday.\n  <b>Call</b> on Friday!")
    expect(page.get_by_label("Comment for your colleagues")).to_be_focused()
    expect(page.get_by_label("Comment for your colleagues")).to_have_value("")
    screenshot(page, "timeline-comment")
