"""Many at once: the first messages to a customer from several colleagues make one conversation, and one e-mail
handed over several times at once (a mail server retrying while the mailbox is read) is one reply. Real
concurrent clients, each with its own database connection (on PostgreSQL the writes really overlap)."""

import json
import threading

import pytest
from django.db import connections
from django.test import Client

from kartei.accounts.services import api_token_create
from kartei.messaging.inbound import received
from kartei.messaging.models import Conversation, Message
from tests.factories import UserFactory, make_customer
from tests.messaging.test_inbound import mail_file, sent_to

pytestmark = pytest.mark.django_db(transaction=True)
AT_ONCE = 8


def at_once(work, count: int = AT_ONCE) -> list:
    """work(i) in `count` threads released together, each with its own connection; what each returned or raised."""
    start = threading.Barrier(count)
    results = [None] * count

    def run(i: int) -> None:
        try:
            start.wait()
            results[i] = work(i)
        except Exception as error:  # reported by the test
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_first_messages_from_several_colleagues_at_once_make_one_conversation():
    customer = make_customer(name="Bäckerei Müller", email="info@baeckerei.de")
    headers = {"Authorization": f"Bearer {api_token_create(user=UserFactory())}"}
    body = json.dumps({"subject": "Angebot", "body": "Guten Tag"})

    answers = at_once(lambda i: Client().post(f"/api/v1/customers/{customer.pk}/messages", body,
                                              content_type="application/json", headers=headers))  # fmt: skip

    assert [getattr(a, "status_code", a) for a in answers] == [201] * AT_ONCE
    assert Conversation.objects.count() == 1 and Message.objects.count() == AT_ONCE


def test_one_e_mail_handed_over_several_times_at_once_is_one_reply(settings):
    settings.KARTEI_INBOUND_DOMAIN = "replies.example.com"
    customer = make_customer(name="Schmidt GmbH", email="anna.schmidt@example.de")
    raw = mail_file("gmail_de.eml", sent_to(customer, UserFactory()))

    replies = at_once(lambda i: received(raw))

    assert not [r for r in replies if isinstance(r, Exception)], replies
    assert len({r.pk for r in replies}) == 1 and Message.objects.filter(direction="in").count() == 1
