"""The same through the API: write to a customer, read the conversation page by page, retry a message that failed,
read and review replies. Bad input gets 422 with the field, never a 500, and changes nothing."""

import pytest
from django.core import mail

from kartei.messaging.models import Message, State
from kartei.messaging.services import message_failed, message_send, reply_add
from kartei.messaging.tasks import message_deliver
from tests.factories import make_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(db):
    return make_customer(name="Bäckerei Müller", email="anna.schmidt@example.de", preferred_language="de")


def test_a_message_written_through_the_api_is_queued_sent_and_listed(api, customer, staff):
    answer = api.post(f"/customers/{customer.pk}/messages", {"subject": "Angebot", "body": "Guten Tag"})

    assert answer.status_code == 201
    created = answer.json()
    assert created["state"] == "queued" and created["direction"] == "out" and created["author"] == staff.pk
    message_deliver.call(created["id"])
    assert mail.outbox[0].subject == "Angebot"

    listed = api.get(f"/customers/{customer.pk}/messages").json()
    assert [m["state"] for m in listed["items"]] == ["sent"] and listed["next_cursor"] is None


def test_the_conversation_comes_in_pages_newest_first(api, customer, staff):
    for i in range(5):
        message_send(actor=staff, customer=customer, subject=f"Nr. {i}", body="Hallo")
    first = api.get(f"/customers/{customer.pk}/messages", limit=3).json()
    second = api.get(f"/customers/{customer.pk}/messages", limit=3, cursor=first["next_cursor"]).json()

    assert [m["subject"] for m in first["items"] + second["items"]] == [f"Nr. {i}" for i in range(4, -1, -1)]
    assert second["next_cursor"] is None
    other = make_customer(name="Andere", email="x@example.de")
    assert api.get(f"/customers/{other.pk}/messages", cursor=first["next_cursor"]).status_code == 422


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"subject": "", "body": "Hallo"}, "subject"),
        ({"subject": "Angebot", "body": ""}, "body"),
        ({"subject": "Angebot"}, "body"),
        ({"subject": "x" * 201, "body": "Hallo"}, "subject"),
        ({"subject": "Angebot", "body": "x" * 20_001}, "body"),
        ({"subject": "Angebot", "body": "Hal\ud800lo"}, "body"),
        ({"subject": "An\x00gebot", "body": "Hallo"}, "subject"),
        ({"subject": ["Angebot"], "body": "Hallo"}, "subject"),
        ({"subject": "Angebot", "body": "Hallo", "to": "someone@else.example"}, "to"),
    ],
)
def test_bad_input_gets_422_with_the_field_and_sends_nothing(api, customer, body, field):
    answer = api.post(f"/customers/{customer.pk}/messages", body)

    assert answer.status_code == 422, answer.content
    assert field in [e["field"] for e in answer.json()["errors"]]
    assert Message.objects.count() == 0


def test_unknown_deleted_or_addressless_customers(api, customer):
    assert api.post("/customers/999999/messages", {"subject": "a", "body": "b"}).status_code == 404
    assert api.get(f"/customers/{2**63}/messages").status_code in (404, 422)
    nobody = make_customer(name="Ohne")
    answer = api.post(f"/customers/{nobody.pk}/messages", {"subject": "a", "body": "b"})
    assert answer.status_code == 422 and "no e-mail address" in answer.content.decode()
    api.delete(f"/customers/{customer.pk}")
    assert api.post(f"/customers/{customer.pk}/messages", {"subject": "a", "body": "b"}).status_code == 404


def test_only_a_failed_message_can_be_retried(api, customer, staff):
    message = message_send(actor=staff, customer=customer, subject="Angebot", body="Hallo")
    assert api.post(f"/messages/{message.pk}/retry").status_code == 409
    message_failed(message, "SMTPServerDisconnected")
    assert api.get(f"/customers/{customer.pk}/messages").json()["items"][0]["state"] == "failed"

    answer = api.post(f"/messages/{message.pk}/retry")
    assert answer.status_code == 200 and answer.json()["state"] == "queued"
    assert api.post(f"/messages/{message.pk}/retry").status_code == 409
    assert api.post("/messages/999999/retry").status_code == 404


def test_replies_are_listed_unread_marked_read_and_reviewed(api, customer, staff):
    message_send(actor=staff, customer=customer, subject="Angebot", body="Hallo")
    own = reply_add(customer=customer, text="Danke", channel="email", sender="Anna.Schmidt@example.de")
    foreign = reply_add(customer=customer, text="Ich auch", channel="email", sender="p.meier@other.example")
    assert (own.state, foreign.state) == (State.RECEIVED, State.HELD)

    unread = api.get("/replies").json()["items"]
    assert [(m["id"], m["read"]) for m in unread] == [(own.pk, False)]
    assert [m["id"] for m in api.get("/replies", held="true").json()["items"]] == [foreign.pk]
    assert foreign.pk not in [m["id"] for m in api.get(f"/customers/{customer.pk}/messages").json()["items"]]

    assert api.post(f"/customers/{customer.pk}/messages/read").json() == {"marked": 1}
    assert api.get("/replies").json()["items"] == []

    assert api.post(f"/messages/{foreign.pk}/review", {"accept": True}).json() == {"done": True}
    assert api.post(f"/messages/{foreign.pk}/review", {"accept": False}).json() == {"done": False}
    assert Message.objects.get(pk=foreign.pk).state == State.RECEIVED
    assert api.post(f"/messages/{foreign.pk}/review", {"accept": "maybe"}).status_code == 422
