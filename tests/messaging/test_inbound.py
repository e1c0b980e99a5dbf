"""Replies by e-mail, as Gmail, Outlook, Apple Mail and Thunderbird write them in German and Polish, piped to
`kartei mail receive`: filed by the token in the reply address (never by the subject), quotes and signatures
stripped, files kept, the e-mail kept as it came; a reply from another address waits for review."""

import io
import json
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from kartei.messaging.models import Channel, Message, State
from kartei.messaging.services import message_send
from kartei.timeline.models import Attachment, Event
from tests.factories import make_customer
from tests.messaging.helpers import deliver

pytestmark = pytest.mark.django_db
MAILS = Path(__file__).parent / "mails"
EXPECTED = json.loads((MAILS / "expected.json").read_text())


@pytest.fixture
def customers(db, settings):
    settings.KARTEI_INBOUND_DOMAIN = "replies.example.com"
    return {
        "de": make_customer(name="Schmidt GmbH", email="Anna.Schmidt@example.de", preferred_language="de"),
        "pl": make_customer(name="Kowalska Sp. z o.o.", email="zofia.kowalska@example.pl", preferred_language="pl"),
    }


def sent_to(customer, staff) -> str:
    return deliver(message_send(actor=staff, customer=customer, subject="Angebot", body="Die Preise gelten bis 31.12."))


def receive(raw: bytes, *args) -> str:
    """Pipe the e-mail to `kartei mail receive`, as a mail server does; what it printed."""
    out = io.StringIO()
    stdin = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(raw))
    try:
        call_command("mail", "receive", *args, stdout=out)
    finally:
        sys.stdin = stdin
    return out.getvalue()


def mail_file(name: str, token: str) -> bytes:
    return (MAILS / name).read_bytes().replace(b"TOKEN", token.encode())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_clients_reply_is_filed_as_the_customer_wrote_it(customers, staff, staff_client, name):
    expected = EXPECTED[name]
    customer = customers["pl" if name.endswith("_pl.eml") else "de"]
    token = sent_to(customer, staff)
    raw = mail_file(name, token)

    printed = receive(raw)

    reply = Message.objects.get(direction="in")
    assert f"Reply {reply.pk}" in printed
    assert reply.conversation.customer == customer and reply.channel == Channel.EMAIL
    assert reply.body == expected["reply"] and reply.sender == expected["from"] and reply.subject == expected["subject"]
    for unwanted in expected["must_not_contain"]:
        assert unwanted not in reply.body
    assert [a.name for a in Attachment.objects.filter(message=reply).order_by("id")] == expected["attachments"]
    assert reply.raw.read() == raw
    if expected["from"] == "p.meier@other-company.example":
        assert reply.state == State.HELD and not Event.objects.filter(kind="message.received").exists()
        assert "Ich antworte für Frau Schmidt" not in staff_client.get(f"/customers/{customer.pk}/").content.decode()
        assert "Ich antworte für Frau Schmidt" in staff_client.get("/messages/?show=review").content.decode()
    else:
        assert reply.state == State.RECEIVED
        event = Event.objects.get(kind="message.received")
        assert event.customer == customer and event.data["text"] == expected["reply"]
        page = staff_client.get(f"/customers/{customer.pk}/").content.decode()
        assert "The customer replied" in page and "Unread" in page


def test_an_html_reply_never_brings_its_script_along(customers, staff, staff_client, api):
    token = sent_to(customers["de"], staff)
    receive(mail_file("html_only_script.eml", token))

    for page in ("/messages/", f"/customers/{customers['de'].pk}/", f"/customers/{customers['de'].pk}/messages/"):
        html = staff_client.get(page).content.decode()
        assert "Bitte um Rückruf." in html and "alert(" not in html and "javascript:" not in html
    (reply,) = [
        m for m in api.get(f"/customers/{customers['de'].pk}/messages").json()["items"] if m["direction"] == "in"
    ]
    assert reply["body"] == "Bitte um Rückruf.\nLink"


def test_forwarded_with_its_headers_stripped_it_still_lands_in_the_thread_its_token_names(customers, staff):
    sent_to(customers["de"], staff)  # another message to the same customer, newer links
    other = make_customer(name="Zweite Firma", email="anna.schmidt@example.de".replace("anna", "info"))
    first = sent_to(customers["de"], staff)
    sent_to(other, staff)

    receive(mail_file("forwarded_de.eml", first))

    reply = Message.objects.get(direction="in")
    assert reply.conversation.customer == customers["de"] and reply.subject == "WG: Ihr Angebot für Dezember"


def test_the_same_e_mail_delivered_twice_is_filed_once(customers, staff):
    raw = mail_file("gmail_de.eml", sent_to(customers["de"], staff))
    receive(raw)
    receive(raw)
    assert Message.objects.filter(direction="in").count() == 1


def test_a_reviewed_reply_from_another_address_goes_into_the_thread_or_away(customers, staff, staff_client):
    token = sent_to(customers["de"], staff)
    receive(mail_file("foreign_sender_de.eml", token))
    held = Message.objects.get(state=State.HELD)
    review = staff_client.get("/messages/?show=review").content.decode()
    assert "p.meier@other-company.example" in review and "Put into the conversation with Schmidt GmbH" in review

    staff_client.post(f"/messages/{held.pk}/review/", {"action": "accept"})
    held.refresh_from_db()
    assert held.state == State.RECEIVED and Event.objects.filter(kind="message.received").count() == 1
    assert "Ich antworte für Frau Schmidt" in staff_client.get(f"/customers/{customers['de'].pk}/").content.decode()

    receive(mail_file("foreign_sender_de.eml", token).replace(b"Message-ID: <", b"Message-ID: <again-"))
    again = Message.objects.get(state=State.HELD)
    staff_client.post(f"/messages/{again.pk}/review/", {"action": "discard"})
    assert not Message.objects.filter(pk=again.pk).exists()
    assert not Attachment.objects.filter(message_id=again.pk).exists()


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"", 65),
        (b"   \n", 65),
        (b"From: anna.schmidt@example.de\nTo: info@example.com\nSubject: Hallo\n\nHallo", 67),
        (b"From: anna.schmidt@example.de\nTo: reply+aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@replies.example.com\n\nHallo", 67),
        (b"\x00\xff\xfe garbage \x80", 67),
    ],
)
def test_what_is_not_a_reply_is_refused_with_the_status_a_mail_server_understands(customers, staff, raw, code):
    sent_to(customers["de"], staff)
    with pytest.raises(CommandError) as refused:
        receive(raw)
    assert refused.value.returncode == code
    assert not Message.objects.filter(direction="in").exists()


def test_a_reply_to_a_stopped_link_or_a_trashed_customer_is_refused(customers, staff, staff_client):
    token = sent_to(customers["de"], staff)
    staff_client.post(f"/customers/{customers['de'].pk}/messages/stop-reply-links/")
    with pytest.raises(CommandError) as refused:
        receive(mail_file("gmail_de.eml", token))
    assert refused.value.returncode == 67


def test_the_mail_servers_recipient_is_used_when_the_headers_do_not_name_it(customers, staff):
    token = sent_to(customers["de"], staff)
    raw = mail_file("gmail_de.eml", "nothing").replace(b"reply+nothing@", b"team@")
    receive(raw, "--recipient", f"reply+{token.upper()}@replies.example.com")
    assert Message.objects.filter(direction="in").count() == 1


def test_a_huge_reply_is_kept_whole_as_it_came_and_shortened_on_the_page(customers, staff):
    token = sent_to(customers["de"], staff)
    text = "Sehr lang. " * 5_000
    raw = (f"From: anna.schmidt@example.de\nTo: reply+{token}@replies.example.com\nSubject: Lang\n"
           f"Content-Type: text/plain; charset=utf-8\n\n{text}").encode()  # fmt: skip
    receive(raw)
    reply = Message.objects.get(direction="in")
    assert len(reply.body) == 20_000 and reply.raw.read() == raw
