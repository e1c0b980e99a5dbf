"""Writing to a customer and their answers, in a real browser: staff send a message from the customer page; the
customer opens the link in the e-mail in a fresh browser, with no account, and replies with a file; another reply
comes by e-mail through `kartei mail receive`; both wait unread on the customer's timeline."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from kartei.messaging.models import Message, State
from tests.browser.test_customer_journey import log_in
from tests.factories import make_customer
from tests.messaging.test_inbound import mail_file, receive

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_write_and_the_customer_answers_on_the_reply_page_and_by_e_mail(
    browser, page, live_server, screenshot, settings
):
    settings.KARTEI_INBOUND_DOMAIN = "replies.example.com"
    customer = make_customer(name="Schmidt GmbH", email="anna.schmidt@example.de", preferred_language="de")
    log_in(page, live_server)
    page.goto(f"{live_server.url}/customers/{customer.pk}/")

    opener = page.get_by_role("link", name="Send message")
    opener.click()
    dialog = page.get_by_role("dialog", name="Message to Schmidt GmbH")
    expect(dialog.get_by_label("Subject")).to_be_focused()
    screenshot(page, "message-dialog")
    dialog.get_by_role("button", name="Send").click()  # nothing typed yet
    expect(dialog.locator("#id_subject-errors")).to_have_text(re.compile("Write a subject."))
    expect(dialog.get_by_label("Subject")).to_be_focused()  # at the first problem
    dialog.get_by_label("Subject").fill("Ihr Angebot für Dezember")
    dialog.get_by_label("Message").fill("Guten Tag Frau Schmidt,\n\nanbei unser Angebot.")
    dialog.get_by_role("button", name="Send").click()
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()  # back where the user was
    expect(page.locator("#customer-messages")).to_contain_text("Sending")

    call_command("db_worker", batch=True)  # the worker sends it
    (sent,) = mail.outbox
    link = re.search(r"https?://\S+/m/[a-z2-7]{32}/", sent.body).group(0).replace("http://testserver", live_server.url)
    token = link.rstrip("/").rsplit("/", 1)[1]
    page.reload()
    expect(page.locator("#customer-messages")).to_contain_text("Ihr Angebot für Dezember")

    # The customer, in a browser of their own, with no account.
    customer_context = browser.new_context(viewport={"width": 390, "height": 844}, locale="de-DE")
    try:
        reply_page = customer_context.new_page()
        reply_page.goto(link)
        expect(reply_page.get_by_role("heading", level=1)).to_have_text("Ihre Nachrichten mit Kartei")
        expect(reply_page.locator("main")).to_contain_text("anbei unser Angebot.")
        reply_page.get_by_label("Ihre Antwort").fill("Danke! Wir nehmen 20 Stück.")
        reply_page.get_by_label(re.compile("Dateien")).set_input_files(
            files=[{"name": "Bestellung.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 order"}]
        )
        screenshot(reply_page, "reply-page")
        reply_page.get_by_role("button", name="Antwort senden").click()
        expect(reply_page.get_by_role("status")).to_have_text("Vielen Dank, Ihre Antwort wurde gesendet.")
        expect(reply_page.locator("main ol")).to_contain_text("Danke! Wir nehmen 20 Stück.")
    finally:
        customer_context.close()

    # And an answer by e-mail, piped to `kartei mail receive` by the mail server.
    receive(mail_file("gmail_de.eml", token))

    page.reload()
    replies = page.locator("#timeline-events li.event", has_text="The customer replied")
    expect(replies).to_have_count(2)
    expect(replies.nth(0)).to_contain_text("Danke, das passt. Wir nehmen 20 Stück.")
    expect(replies.nth(1)).to_contain_text("Danke! Wir nehmen 20 Stück.")
    for i in range(2):
        expect(replies.nth(i).get_by_text("Unread")).to_be_visible()
    expect(page.locator("#nav-replies")).to_contain_text("2")
    expect(page.locator("#customer-messages")).to_contain_text("2 unread")
    screenshot(page, "customer-messages", full_page=True)

    page.locator("#customer-messages").get_by_role("link", name=re.compile("conversation")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Messages with Schmidt GmbH")
    expect(page.locator("main")).to_contain_text("Bestellung.pdf")
    screenshot(page, "conversation")
    assert not Message.objects.filter(state=State.RECEIVED).exists()  # read now
    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    expect(page.locator("#nav-replies .badge")).to_have_count(0)
