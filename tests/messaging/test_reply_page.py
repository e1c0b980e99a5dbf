"""The customer answers on the page the link in the e-mail opens, without an account: in their language, with
files; the reply lands in the conversation and on the timeline, unread, and whoever wrote to them hears of it. A
link that does not work says so and nothing more."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kartei.accounts.models import StaffProfile
from kartei.messaging.models import Channel, Message, State
from kartei.messaging.services import message_send
from kartei.messaging.tasks import reply_mails
from kartei.timeline.models import Attachment, Event
from tests.factories import UserFactory, make_customer
from tests.messaging.helpers import deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(db):
    return make_customer(name="Piekarnia Kowalska", email="zofia.kowalska@example.pl", preferred_language="pl")


@pytest.fixture
def token(staff, customer):
    staff.email, staff.first_name = "anna@kartei.example", "Anna"
    staff.save()
    return deliver(message_send(actor=staff, customer=customer, subject="Oferta na grudzień",
                                body="Ceny obowiązują do 31.12."))  # fmt: skip


def test_the_reply_page_shows_the_conversation_in_the_customers_language_and_takes_a_reply(
    staff, staff_client, customer, token, django_capture_on_commit_callbacks
):
    page = Client().get(f"/m/{token}/")
    assert page.status_code == 200 and page["Content-Language"] == "pl"
    html = page.content.decode()
    assert "Ceny obowiązują do 31.12." in html and "Twoja odpowiedź" in html
    assert page["Referrer-Policy"] == "same-origin" and "noindex" in page["X-Robots-Tag"]

    photo = SimpleUploadedFile("zdjęcie.pdf", b"%PDF-1.4 tiny", content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        answer = Client().post(f"/m/{token}/", {"text": "Dziękuję, bierzemy 20 sztuk.", "files": [photo]})
    assert answer.status_code == 302 and answer["Location"] == f"/m/{token}/"

    reply = Message.objects.get(direction="in")
    assert (reply.state, reply.channel, reply.body) == (
        State.RECEIVED,
        Channel.REPLY_PAGE,
        "Dziękuję, bierzemy 20 sztuk.",
    )
    assert Attachment.objects.get(message=reply).name == "zdjęcie.pdf"
    event = Event.objects.get(kind="message.received")
    assert event.actor_type == "customer" and event.data["text"] == "Dziękuję, bierzemy 20 sztuk."
    # Staff see it unread on the timeline, in the card and in the navigation.
    detail = staff_client.get(f"/customers/{customer.pk}/").content.decode()
    assert "The customer replied" in detail and "Dziękuję, bierzemy 20 sztuk." in detail and "1 unread" in detail
    assert 'id="nav-replies">Replies <span class="badge' in detail
    # The one who wrote to them hears of it: the worker sends it.
    (queued,) = DBTaskResult.objects.filter(task_path=reply_mails.module_path)
    reply_mails.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])
    (notice,) = [m for m in mail.outbox if m.to == ["anna@kartei.example"]]
    assert notice.subject == "Piekarnia Kowalska replied" and "Dziękuję, bierzemy 20 sztuk." in notice.body
    assert f"/customers/{customer.pk}/messages/" in notice.body
    # Back on the page, the customer sees their reply and a thank-you.
    again = Client().get(f"/m/{token}/").content.decode()
    assert "Dziękuję, bierzemy 20 sztuk." in again


def test_an_empty_or_hostile_reply_is_refused_or_escaped_with_the_text_kept(customer, token, staff_client):
    empty = Client().post(f"/m/{token}/", {"text": "  \n "})
    assert empty.status_code == 422 and "Napisz swoją odpowiedź." in empty.content.decode()
    too_long = Client().post(f"/m/{token}/", {"text": "ą" * 20_001})
    assert too_long.status_code == 422 and "ą" * 20_001 in too_long.content.decode()
    assert Message.objects.filter(direction="in").count() == 0

    hostile = '<img src=x onerror=alert(1)>"><script>alert(2)</script>'
    Client().post(f"/m/{token}/", {"text": hostile})
    for page in (Client().get(f"/m/{token}/"), staff_client.get(f"/customers/{customer.pk}/"),
                 staff_client.get("/messages/"), staff_client.get(f"/customers/{customer.pk}/messages/")):  # fmt: skip
        html = page.content.decode()
        assert "<script>alert(2)" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html


@pytest.mark.parametrize("wrong", ["", "x", "a" * 32, "A" * 500, "%00", "ä" * 32])
def test_a_wrong_link_gets_the_same_friendly_page_and_changes_nothing(customer, token, wrong):
    answer = Client().post(f"/m/{wrong}/", {"text": "Hallo"}) if wrong else Client().get("/m//")
    assert answer.status_code == 404
    if wrong:
        assert "This link does not work" in answer.content.decode() and customer.name not in answer.content.decode()
    assert Message.objects.filter(direction="in").count() == 0


def test_the_token_is_found_whatever_its_case_as_mail_servers_may_fold_it(token):
    assert Client().get(f"/m/{token.upper()}/").status_code == 200


def test_a_link_stops_working_when_stopped_too_old_or_the_customer_is_deactivated(staff, staff_client, customer,
                                                                                   token, settings):  # fmt: skip
    staff_client.post(f"/customers/{customer.pk}/messages/stop-reply-links/")
    assert Client().get(f"/m/{token}/").status_code == 404
    assert Event.objects.filter(kind="message.reply_links_revoked").count() == 1

    newer = deliver(message_send(actor=staff, customer=customer, subject="Nowa", body="Nowa oferta"))
    assert Client().get(f"/m/{newer}/").status_code == 200  # a new message has a link of its own
    Message.objects.filter(subject="Nowa").update(sent_at=timezone.now() - timedelta(days=181))
    assert Client().get(f"/m/{newer}/").status_code == 404
    settings.KARTEI_REPLY_LINK_DAYS = 365
    assert Client().get(f"/m/{newer}/").status_code == 200
    customer.is_active = False
    customer.save()
    assert Client().get(f"/m/{newer}/").status_code == 404


def test_many_wrong_links_from_one_address_get_429(token):
    client = Client(REMOTE_ADDR="203.0.113.9")
    for i in range(20):
        client.get(f"/m/{'b' * 31}{'abcdefghijklmnopqrstu'[i]}/")
    assert client.get(f"/m/{token}/").status_code == 429


def test_the_customer_can_switch_the_pages_language(token):
    client = Client()
    client.post(f"/m/{token}/language/", {"language": "de"})
    page = client.get(f"/m/{token}/")
    assert page["Content-Language"] == "de" and "Ihre Antwort" in page.content.decode()


def test_no_notice_to_a_colleague_who_left_turned_it_off_or_when_nobody_wrote(staff, customer, token):
    from kartei.messaging.services import reply_add

    StaffProfile.objects.filter(user=staff).update(mention_email=False)
    first = reply_add(customer=customer, text="Dzięki")
    assert reply_mails.call([first.pk]) == 0
    StaffProfile.objects.filter(user=staff).update(mention_email=True)
    assert reply_mails.call([first.pk]) == 1
    staff.is_active = False
    staff.save()
    assert reply_mails.call([first.pk]) == 0

    stranger = make_customer(name="Bez wiadomości", email="x@example.pl")
    lone = reply_add(customer=stranger, text="Hallo")
    assert reply_mails.call([lone.pk]) == 0


def test_a_colleague_reads_the_notice_in_their_language_with_links_to_the_sites_address(
    staff, customer, token, settings
):
    from kartei.messaging.services import reply_add

    settings.KARTEI_BASE_URL = "https://kartei.example.com/"
    StaffProfile.objects.filter(user=staff).update(language="de")
    reply = reply_add(customer=customer, text="Dzięki")
    reply_mails.call([reply.pk], base_url="http://10.0.0.7:8000/")
    assert mail.outbox[-1].subject == "Piekarnia Kowalska hat geantwortet"
    assert f"https://kartei.example.com/customers/{customer.pk}/messages/" in mail.outbox[-1].body
    UserFactory(username="bea")  # another colleague hears nothing: she did not write
    assert [m.to for m in mail.outbox[1:]] == [["anna@kartei.example"]]
