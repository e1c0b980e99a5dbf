"""A colleague mentioned in a comment: the comment box takes the names picked while typing "@", the colleague sees an
unread count in the navigation, finds the comment under Mentions and, unless they turned it off, gets an e-mail in
their language. The same through the API."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from kartei.accounts.models import StaffProfile
from kartei.catalog.models import Product
from kartei.timeline.models import Comment, Mention
from kartei.timeline.services import comment_add
from tests.catalog.helpers import make_product
from tests.factories import UserFactory, make_customer

pytestmark = pytest.mark.django_db
# The task worker sends the e-mails, after the comment's transaction has committed.
sent_by_the_worker = pytest.mark.django_db(transaction=True)

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def bea(db):
    return UserFactory(username="bea", first_name="Beata", last_name="Kowalska", email="bea@example.com")


@pytest.fixture
def bea_client(bea):
    client = Client()
    client.force_login(bea)
    return client


def unread_badge(client) -> str:
    page = client.get("/customers/").content.decode()
    found = re.search(r'id="nav-mentions">.*?</a>', page, re.S)
    badge = re.search(r"badge[^>]*>(\d+\+?)<", found.group(0))
    return badge.group(1) if badge else ""


def test_a_comment_with_a_picked_colleague_lands_in_their_inbox(staff_client, bea, bea_client):
    customer = make_customer(name="Bäckerei Müller")

    typed = {"text": "@Beata Kowalska please call", "mentions": [f"staff:{bea.pk}"]}

    response = staff_client.post(f"/customers/{customer.pk}/comments/", typed, **HTMX)

    assert response.status_code == 200
    assert f'<a class="mention" href="/staff/#member-{bea.pk}">@Beata Kowalska</a> please call' in (
        staff_client.get(f"/customers/{customer.pk}/").content.decode()
    )
    assert unread_badge(bea_client) == "1" and unread_badge(staff_client) == ""
    inbox = bea_client.get("/mentions/").content.decode()
    mention = Mention.objects.get(user=bea)
    assert "Bäckerei Müller" in inbox and f'href="/mentions/{mention.pk}/"' in inbox and "Unread" in inbox


def test_a_broken_pick_says_why_and_keeps_the_text_and_the_picks(staff_client):
    customer = make_customer()

    response = staff_client.post(f"/customers/{customer.pk}/comments/",
                                 {"text": "Ask @Someone", "mentions": ["staff:99999", "nonsense"]}, **HTMX)  # fmt: skip

    page = response.content.decode()
    assert response.status_code == 422 and "from the list again" in page and "Ask @Someone</textarea>" in page
    assert '<input type="hidden" name="mentions" value="staff:99999">' in page
    assert not Comment.objects.exists()


def test_opening_a_mention_goes_to_the_comment_and_marks_it_read(staff, bea, bea_client):
    customer = make_customer()
    comment_add(actor=staff, customer=customer, text="@bea look")
    mention = Mention.objects.get()

    response = bea_client.get(f"/mentions/{mention.pk}/")

    assert response.status_code == 302
    assert response["Location"] == f"/customers/{customer.pk}/?kind=comment#timeline-body"
    mention.refresh_from_db()
    assert mention.read_at is not None and unread_badge(bea_client) == ""
    assert "No mentions yet" not in bea_client.get("/mentions/").content.decode()
    assert "Nothing unread" in bea_client.get("/mentions/?show=unread").content.decode()


def test_nobody_opens_or_reads_anothers_mention(staff, staff_client, bea):
    comment_add(actor=UserFactory(username="carl"), customer=make_customer(), text="@bea look")
    mention = Mention.objects.get()

    assert staff_client.get(f"/mentions/{mention.pk}/").status_code == 404
    staff_client.post("/mentions/read/")
    assert Mention.objects.get().read_at is None
    assert Client().get("/mentions/").status_code == 302  # logged out: to the login page


def test_mark_all_read_and_the_count_in_the_navigation(staff, bea, bea_client):
    for n in range(101):
        comment_add(actor=staff, customer=make_customer(), text=f"@bea number {n}")

    assert unread_badge(bea_client) == "99+"
    first = bea_client.get("/mentions/").content.decode()
    assert first.count('class="mention-text') == 30 and "number 100" in first and "cursor=" in first

    response = bea_client.post("/mentions/read/", follow=True)

    assert "101 mentions marked read." in response.content.decode() and unread_badge(bea_client) == ""


def test_the_list_to_pick_from_finds_regardless_of_accents_and_escapes_names(staff_client, bea):
    make_customer(name="Łódź <b>Bakery</b>")
    make_product(sku="LOD-1", name_de="Lodz-Becher", name_en="Lodz mug", base_price="5.00")

    page = staff_client.get("/mentions/options/", {"q": "lodz"}).content.decode()
    colleagues = staff_client.get("/mentions/options/", {"q": "kowal"}).content.decode()
    nothing = staff_client.get("/mentions/options/", {"q": "zzz" * 100}).content.decode()

    assert 'data-name="Łódź &lt;b&gt;Bakery&lt;/b&gt;"' in page and 'data-name="Lodz mug"' in page
    assert f'data-pick="staff:{bea.pk}"' in colleagues and 'data-name="Beata Kowalska"' in colleagues
    assert "data-pick" not in nothing and "No colleague, customer or product by that name." in nothing


@sent_by_the_worker
def test_a_mentioned_colleague_gets_an_email_in_their_language(staff, bea):
    StaffProfile.objects.filter(user=bea).update(language="de")
    customer = make_customer(name="Bäckerei Müller")
    staff.first_name = "Anna"
    staff.save()

    comment_add(actor=staff, customer=customer, text="@bea <b>Muster</b> schicken", base_url="https://k.example/")
    call_command("db_worker", batch=True)

    (sent,) = mail.outbox
    mention = Mention.objects.get()
    assert sent.to == ["bea@example.com"] and sent.subject == "Anna hat Sie bei Bäckerei Müller erwähnt"
    assert "@bea <b>Muster</b> schicken" in sent.body and f"https://k.example/mentions/{mention.pk}/" in sent.body


@sent_by_the_worker
def test_no_email_when_turned_off_without_an_address_or_read_already(staff, bea, bea_client):
    bea_client.post("/account/notifications/", {})  # the box unticked
    UserFactory(username="carl", email="")
    dora = UserFactory(username="dora", email="dora@example.com")

    comment_add(actor=staff, customer=make_customer(), text="@bea @carl @dora")
    Mention.objects.filter(user=dora).update(read_at="2026-01-01T00:00Z")
    call_command("db_worker", batch=True)

    assert mail.outbox == []
    assert StaffProfile.objects.get(user=bea).mention_email is False
    assert 'id="mention-email" aria-describedby' in bea_client.get("/account/").content.decode()  # unticked


def test_the_api_takes_mentions_and_lists_the_callers(api, staff, bea):
    customer = make_customer(name="Kiosk")
    lamp = Product.objects.create(sku="LMP-001", name_en="Aurora lamp", base_price="9")
    bea_comment = comment_add(actor=bea, customer=customer, text="@anna FYI")

    typed = {"text": "@Beata Kowalska: @LMP-001", "mentions": [{"type": "staff", "id": bea.pk}]}

    created = api.post(f"/customers/{customer.pk}/comments", typed)

    assert created.status_code == 201
    assert created.json()["mentions"] == [
        {"type": "staff", "id": bea.pk, "start": 0, "end": 15},
        {"type": "product", "id": lamp.pk, "start": 17, "end": 25},
    ]
    inbox = api.get("/mentions", unread="true").json()
    (item,) = inbox["items"]
    assert item["comment"]["id"] == bea_comment.pk and item["read"] is False
    assert item["author"] == {"id": bea.pk, "name": "Beata Kowalska"} and item["customer"]["name"] == "Kiosk"
    assert api.post("/mentions/read", {"ids": [item["id"], 123456]}).json() == {"marked": 1}
    assert api.get("/mentions", unread="true").json()["items"] == []
    assert api.get("/mentions").json()["items"][0]["read"] is True


@pytest.mark.parametrize(
    ("mentions", "field"),
    [([{"type": "boss", "id": 1}], "mentions"), ([{"type": "staff", "id": 999}], "mentions"),
     ([{"type": "staff", "id": 2**70}], "mentions.0.id"), ([{"type": "staff"}], "mentions.0.id"),
     ([{"type": "staff", "id": 1, "x": 1}], "mentions.0.x"), ([{"type": "staff", "id": 1}] * 51, "mentions"),
     ("staff:1", "mentions")],
)  # fmt: skip
def test_the_api_refuses_odd_mentions_and_saves_nothing(api, mentions, field):
    customer = make_customer()

    response = api.post(f"/customers/{customer.pk}/comments", {"text": "@x", "mentions": mentions})

    assert response.status_code == 422 and field in [e["field"] for e in response.json()["errors"]]
    assert not Comment.objects.exists()


@pytest.mark.parametrize("body", [{"ids": [2**70]}, {"ids": "all"}, {"ids": list(range(1001))}, {"all": True}])
def test_marking_read_refuses_odd_input(api, body):
    assert api.post("/mentions/read", body).status_code == 422
