"""The timeline in a real browser: older events load as the user scrolls down to them, the filter narrows it to
one kind without leaving the page, and a colleague named in a comment with "@" finds it under Mentions."""

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from kartei.timeline import actors
from kartei.timeline.models import Event
from kartei.timeline.services import event_record
from tests.browser.test_customer_journey import PASSWORD, log_in
from tests.factories import UserFactory, make_customer, make_note

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


def test_a_colleague_mentioned_in_a_comment_finds_it_under_mentions(browser, page, live_server, screenshot):
    UserFactory(username="bea", first_name="Beata", last_name="Kowalska")
    customer = make_customer(name="Bäckerei Müller")
    log_in(page, live_server)
    page.goto(f"{live_server.url}/customers/{customer.pk}/")

    box = page.get_by_label("Comment for your colleagues")
    box.press_sequentially("Please call them, @b")  # colleagues first, then customers and products
    options = page.get_by_role("listbox").get_by_role("option")
    expect(options).to_have_text([re.compile("Beata Kowalska"), re.compile("Bäckerei Müller")])
    expect(options.first).to_have_attribute("aria-selected", "true")
    box.press("ArrowDown")
    expect(options.last).to_have_attribute("aria-selected", "true")
    box.press("ArrowDown")  # round to the first again
    expect(options.first).to_have_attribute("aria-selected", "true")
    screenshot(page, "mention-list")
    box.press("Enter")
    expect(box).to_have_value("Please call them, @Beata Kowalska ")
    expect(page.get_by_role("listbox")).to_be_hidden()
    box.press_sequentially("today.")
    page.get_by_role("button", name="Comment", exact=True).click()
    expect(page.locator("#timeline-events .event-body a.mention")).to_have_text("@Beata Kowalska")

    colleague = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    colleague.goto(live_server.url + "/login/")
    colleague.fill("#id_username", "bea")
    colleague.fill("#id_password", PASSWORD)
    colleague.click("main button[type=submit]")
    colleague.get_by_role("button", name="Menu").click()
    expect(colleague.get_by_role("link", name="Mentions 1 unread")).to_be_visible()
    colleague.get_by_role("link", name="Mentions 1 unread").click()
    expect(colleague.locator(".mention-text")).to_have_text("Please call them, @Beata Kowalska today.")
    screenshot(colleague, "mentions-inbox")
    colleague.get_by_role("link", name="Bäckerei Müller").click()
    expect(colleague.locator("#timeline-events .event-body")).to_have_text("Please call them, @Beata Kowalska today.")
    colleague.get_by_role("button", name="Menu").click()
    expect(colleague.get_by_role("link", name="Mentions", exact=True)).to_be_visible()  # read now
    colleague.context.close()


def test_files_dropped_on_a_comment_are_listed_sent_and_shown(page, live_server, screenshot):
    customer = make_customer(name="Bäckerei Müller")
    log_in(page, live_server)
    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    picture = io.BytesIO()
    Image.new("RGB", (640, 480), "teal").save(picture, "JPEG")

    page.locator(".comment-form input[type=file]").set_input_files([
        {"name": "shop window.jpg", "mimeType": "image/jpeg", "buffer": picture.getvalue()},
        {"name": "offer.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"},
    ])  # fmt: skip
    expect(page.locator("#comment-files li")).to_have_text(["shop window.jpg", "offer.pdf"])
    page.get_by_label("Comment for your colleagues").fill("The new shop window, and the offer")
    page.get_by_role("button", name="Comment", exact=True).click()

    event = page.locator("#timeline-events li.event").first
    expect(event.get_by_role("img", name="shop window.jpg")).to_be_visible()
    expect(event.get_by_role("link", name="offer.pdf")).to_be_visible()
    expect(page.locator("#comment-files li")).to_have_count(0)
    screenshot(page, "timeline-attachments", full_page=True)
