"""Replies read from a mailbox (INBOUND_IMAP_URL) by the worker, for a mail server that cannot pipe to `kartei mail
receive`: each unseen e-mail is filed and marked seen; one that is no reply is marked seen and left there; the
worker comes back to it on its own. A real IMAP server (Dovecot)."""

import io

import pytest
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult

from kartei.messaging.models import Message, State
from kartei.messaging.tasks import mailbox_read, schedule_mailbox_read
from kartei.timeline.models import Attachment, Event
from tests.factories import UserFactory, make_customer
from tests.messaging.imap import Mailbox
from tests.messaging.test_inbound import mail_file, sent_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailbox():
    box = Mailbox()
    yield box
    box.stop()


def test_the_worker_files_the_replies_in_the_mailbox_and_comes_back(mailbox, settings):
    settings.KARTEI_INBOUND_DOMAIN, settings.INBOUND_IMAP_URL = "replies.example.com", mailbox.url
    customer = make_customer(name="Schmidt GmbH", email="anna.schmidt@example.de")
    token = sent_to(customer, UserFactory())
    mailbox.deliver(mail_file("outlook_de.eml", token))
    mailbox.deliver(mail_file("foreign_sender_de.eml", token))
    mailbox.deliver(b"From: someone@example.com\r\nTo: info@replies.example.com\r\nSubject: Hallo\r\n\r\nWerbung")

    assert mailbox_read.call() == 2

    received = Message.objects.filter(direction="in").order_by("id")
    assert [m.state for m in received] == [State.RECEIVED, State.HELD]
    assert received[0].body.startswith("Hallo,\n\nbitte schicken Sie uns noch das Datenblatt.")
    assert Attachment.objects.get(message=received[0]).name == "Bestellung 2026-11.pdf"
    assert Event.objects.filter(kind="message.received").count() == 1
    assert mailbox.unseen() == 0
    (again,) = DBTaskResult.objects.filter(task_path=mailbox_read.module_path, status="READY")
    assert again.run_after is not None

    assert mailbox_read.call() == 0  # read already: nothing twice
    assert Message.objects.filter(direction="in").count() == 2


def test_kartei_mail_poll_reads_the_mailbox_once_and_says_what_it_did(mailbox, settings):
    settings.KARTEI_INBOUND_DOMAIN, settings.INBOUND_IMAP_URL = "replies.example.com", mailbox.url
    customer = make_customer(name="Kowalska", email="zofia.kowalska@example.pl")
    mailbox.deliver(mail_file("thunderbird_pl.eml", sent_to(customer, UserFactory())))
    out = io.StringIO()

    call_command("mail", "poll", stdout=out)

    assert "1 replies filed, 0 e-mails that are not replies" in out.getvalue()
    assert Message.objects.get(direction="in").body == "Dzień dobry,\n\npotwierdzamy zamówienie."


def test_a_wrong_password_or_no_mailbox_is_said_plainly(mailbox, settings):
    settings.INBOUND_IMAP_URL = mailbox.url.replace("s3cret", "wrong")
    with pytest.raises(CommandError, match="could not be read"):
        call_command("mail", "poll")
    settings.INBOUND_IMAP_URL = "pop3://example.com/"
    with pytest.raises(CommandError, match="imaps://user:password@host/INBOX"):
        call_command("mail", "poll")
    settings.INBOUND_IMAP_URL = ""
    with pytest.raises(CommandError, match="Set INBOUND_IMAP_URL"):
        call_command("mail", "poll")


def test_without_a_mailbox_nothing_is_scheduled_and_an_unreachable_one_is_tried_again(settings, mailbox):
    settings.INBOUND_IMAP_URL = ""
    schedule_mailbox_read()
    assert not DBTaskResult.objects.filter(task_path=mailbox_read.module_path).exists()

    settings.INBOUND_IMAP_URL = mailbox.url
    mailbox.stop()  # the mail server is away
    assert mailbox_read.call() == 0
    assert DBTaskResult.objects.filter(task_path=mailbox_read.module_path, status="READY").count() == 1
    schedule_mailbox_read()  # `kartei serve` starting again queues it no second time
    assert DBTaskResult.objects.filter(task_path=mailbox_read.module_path, status="READY").count() == 1
