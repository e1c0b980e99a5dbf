"""Staff write to a customer from the customer page, the customers list or the API: the worker sends an e-mail in
the customer's language with the conversation so far quoted and a link to reply; a message the mail server does not
take shows as not sent, with a button to try again."""

import re
import socket

import pytest
from django.core import mail
from django.core.management import call_command

from kartei.messaging.models import Message, State
from kartei.messaging.services import SEND_ATTEMPTS, message_send, reply_add
from kartei.messaging.tasks import message_deliver
from kartei.timeline.models import Event
from tests.factories import make_customer
from tests.messaging.helpers import deliver

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def customer(db):
    return make_customer(name="Bäckerei Müller", email="anna.schmidt@example.de", preferred_language="de")


@pytest.fixture
def closed_port():
    """A port nothing listens on: a mail server that cannot be reached, for real."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.django_db(transaction=True)
def test_a_message_sent_from_the_customer_page_arrives_in_the_customers_language_with_a_reply_link(
    staff, staff_client, customer, settings
):
    settings.KARTEI_INBOUND_DOMAIN = "replies.example.com"
    dialog = staff_client.get(f"/customers/{customer.pk}/messages/new/", **HTMX)
    assert 'id="modal-title"' in dialog.content.decode() and "anna.schmidt@example.de" in dialog.content.decode()

    answer = staff_client.post(f"/customers/{customer.pk}/messages/new/",
                               {"subject": "Ihr Angebot für Dezember", "body": "Guten Tag,\nanbei das Angebot."},
                               **HTMX)  # fmt: skip
    assert answer.status_code == 204 and "kartei:toast" in answer["HX-Trigger"]
    message = Message.objects.get()
    assert message.state == State.QUEUED and mail.outbox == []

    call_command("db_worker", batch=True)

    (sent,) = mail.outbox
    message.refresh_from_db()
    assert message.state == State.SENT and message.sent_at and message.mail_id == sent.extra_headers["Message-ID"]
    assert sent.to == ["anna.schmidt@example.de"] and sent.subject == "Ihr Angebot für Dezember"
    assert sent.body.startswith("Guten Tag,\nanbei das Angebot.")
    token = re.search(r"Antworten Sie auf diese E-Mail oder hier: http://testserver/m/([a-z2-7]{32})/", sent.body)
    assert token, sent.body
    assert sent.reply_to == [f"reply+{token.group(1)}@replies.example.com"]
    # Only a hash of the token is kept.
    assert token.group(1) not in str(Message.objects.values_list().get())

    page = staff_client.get(f"/customers/{customer.pk}/").content.decode()
    assert "Ihr Angebot für Dezember" in page and "sent the message “Ihr Angebot für Dezember”" in page


def test_each_e_mail_quotes_the_conversation_so_far(staff, customer):
    first = message_send(actor=staff, customer=customer, subject="Angebot", body="Preise bis 31.12.")
    token = deliver(first)
    reply_add(customer=customer, text="Wir nehmen 20 Stück.\nDanke!")
    second = message_send(actor=staff, customer=customer, subject="Bestätigung", body="Gern, die 20 Stück kommen.")
    deliver(second)

    body = mail.outbox[-1].body
    assert body.startswith("Gern, die 20 Stück kommen.")
    assert "schrieb Bäckerei Müller:\n> Wir nehmen 20 Stück.\n> Danke!" in body
    assert "schrieb Kartei:\n> Preise bis 31.12." in body
    assert body.index("Wir nehmen 20") < body.index("Preise bis")  # newest first
    assert mail.outbox[-1].extra_headers["In-Reply-To"] == first.__class__.objects.get(pk=first.pk).mail_id
    assert token not in body  # each message has its own link


def test_without_a_language_the_catalogs_is_used_and_polish_reads_polish(staff, settings):
    settings.KARTEI_CATALOG_LANGUAGE = "pl"
    customer = make_customer(name="Piekarnia", email="zofia@example.pl")
    deliver(message_send(actor=staff, customer=customer, subject="Oferta", body="Dzień dobry"))
    assert "Odpowiedz tutaj: https://kartei.example/m/" in mail.outbox[-1].body


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"subject": "", "body": "Hallo"}, "subject", "Write a subject."),
        ({"subject": "   ", "body": "Hallo"}, "subject", "Write a subject."),
        ({"subject": "Angebot", "body": " \n\u200b "}, "body", "Write the message."),
        ({"subject": "A" * 201, "body": "Hallo"}, "subject", "A subject holds at most 200 characters."),
        ({"subject": "Angebot", "body": "x" * 20_001}, "body", "A message holds at most 20000 characters"),
        ({"subject": "An\x00gebot", "body": "Hallo"}, "subject", "Null characters are not allowed."),
    ],
)
def test_a_message_that_cannot_be_sent_is_explained_next_to_its_field_with_everything_typed_kept(
    staff_client, customer, data, field, error
):
    answer = staff_client.post(f"/customers/{customer.pk}/messages/new/", data, **HTMX)

    assert answer.status_code == 422
    page = answer.content.decode()
    errors = re.search(rf'id="id_{field}-errors">(.*?)</div>', page, re.S)
    assert errors and error in errors.group(1)
    assert "Hallo" in page if "Hallo" in data["body"] else True
    assert Message.objects.count() == 0 and not Event.objects.filter(kind__startswith="message").exists()


def test_no_message_to_a_customer_without_an_address_or_in_the_trash(staff, staff_client):
    nobody = make_customer(name="Ohne Adresse")
    answer = staff_client.post(f"/customers/{nobody.pk}/messages/new/", {"subject": "Hallo", "body": "Hallo"})
    assert answer.status_code == 422 and "has no e-mail address" in answer.content.decode()
    assert "Send message" not in staff_client.get(f"/customers/{nobody.pk}/").content.decode()

    trashed = make_customer(name="Weg", email="weg@example.de")
    trashed.deleted_at = "2026-11-01T00:00Z"
    trashed.save()
    assert staff_client.get(f"/customers/{trashed.pk}/messages/new/").status_code == 404
    assert staff_client.post(f"/customers/{trashed.pk}/messages/new/", {"subject": "a", "body": "b"}).status_code == 404
    assert Message.objects.count() == 0


def test_the_customers_list_offers_send_message_in_each_rows_menu(staff_client, customer):
    make_customer(name="Ohne Adresse")
    page = staff_client.get("/customers/?view=table").content.decode()
    assert page.count(f'hx-get="/customers/{customer.pk}/messages/new/"') == 1
    assert page.count("/messages/new/") == 2  # a link and its dialog; none for the customer without an address


def test_a_message_the_mail_server_never_takes_shows_as_not_sent_and_can_be_sent_again(
    staff, staff_client, customer, settings, closed_port
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port, 2
    message = message_send(actor=staff, customer=customer, subject="Angebot", body="Hallo")

    for attempt in range(1, SEND_ATTEMPTS + 1):
        message_deliver.call(message.pk)  # the worker's first run, then each retry it queued
        message.refresh_from_db()
        assert message.attempts == attempt
        assert message.state == (State.FAILED if attempt == SEND_ATTEMPTS else State.QUEUED)
    assert "ConnectionRefusedError" in message.error
    page = staff_client.get(f"/customers/{customer.pk}/").content.decode()
    assert "Not sent" in page and "Try again" in page and "The message “Angebot” could not be sent" in page

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    answer = staff_client.post(f"/customers/{customer.pk}/messages/{message.pk}/retry/")
    assert answer.status_code == 302
    message.refresh_from_db()
    assert message.state == State.QUEUED and message.attempts == 0
    message_deliver.call(message.pk)
    message.refresh_from_db()
    assert message.state == State.SENT and len(mail.outbox) == 1
    # A second click on an old page's button sends nothing twice.
    staff_client.post(f"/customers/{customer.pk}/messages/{message.pk}/retry/")
    assert Message.objects.get().state == State.SENT


def test_a_failed_try_is_queued_again_for_later(staff, customer, settings, closed_port):
    from django_tasks_db.models import DBTaskResult

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port, 2
    message = message_send(actor=staff, customer=customer, subject="Angebot", body="Hallo")
    message_deliver.call(message.pk)

    (later,) = DBTaskResult.objects.filter(task_path=message_deliver.module_path)
    assert later.args_kwargs["args"] == [message.pk] and later.run_after is not None


def test_the_conversation_page_lists_every_message_and_marks_replies_read(staff, staff_client, customer):
    deliver(message_send(actor=staff, customer=customer, subject="Angebot", body="Preise bis 31.12."))
    reply_add(customer=customer, text="<script>alert(1)</script> Danke!")
    assert "1 unread" in staff_client.get(f"/customers/{customer.pk}/").content.decode()

    page = staff_client.get(f"/customers/{customer.pk}/messages/").content.decode()

    assert "Preise bis 31.12." in page and "&lt;script&gt;alert(1)&lt;/script&gt; Danke!" in page
    assert "<script>alert(1)" not in page
    assert Message.objects.filter(state=State.RECEIVED).count() == 0
    assert "1 unread" not in staff_client.get(f"/customers/{customer.pk}/").content.decode()
