"""The activity page: what happened across all customers, newest first and by day, narrowed to a member of staff,
a kind or a customer, page by page as the user scrolls; the same through the API."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from kartei.customers import services as customer_services
from kartei.timeline import activity, actors
from kartei.timeline.models import Event
from kartei.timeline.services import comment_add, event_record
from tests.factories import UserFactory, make_customer, make_note

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def story(staff):
    bea = UserFactory(username="bea", first_name="Beata", last_name="Kowalska")
    mueller = make_customer(staff, name="Bäckerei Müller", email="info@baeckerei-mueller.de")
    nowak = make_customer(bea, name="Piekarnia Nowak")
    make_note(mueller, staff, text="Wants samples")
    comment_add(actor=bea, customer=nowak, text="<b>Call</b> them on Friday")
    event_record(customer=nowak, kind="customer.deactivated", actor=actors.SYSTEM)
    gone = make_customer(staff, name="Im Papierkorb")
    customer_services.customer_delete(customer=gone, actor=staff)
    yesterday = timezone.now() - timedelta(days=1)
    Event.objects.filter(customer=mueller).update(created_at=yesterday)
    return {"bea": bea, "mueller": mueller, "nowak": nowak}


def lines(page: str) -> list[str]:
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", m)).strip()
            for m in re.findall(r'<div class="card-body py-2 small event">(.*?)</div></li>', page, re.S)]  # fmt: skip


def test_everything_newest_first_by_day_without_the_trash(staff_client, story):
    page = staff_client.get("/activity/").content.decode()

    assert "Today" in page and "Yesterday" in page and page.index("Today") < page.index("Yesterday")
    found = lines(page)
    assert [line.split(" · ")[-1] for line in found] == [
        "Kartei deactivated the customer",
        "Beata Kowalska wrote a comment &lt;b&gt;Call&lt;/b&gt; them on Friday",
        "Beata Kowalska added the customer (source: Entered by hand)",
        "anna added a note",
        "anna added the customer (source: Entered by hand)",
    ]
    assert "Im Papierkorb" not in page and "<b>Call</b>" not in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("actor={bea}", 2),
        ("actor=system", 1),
        ("actor=customer", 0),
        ("kind=note", 1),
        ("kind=customer", 3),
        ("kind=customer.created", 2),
        ("customer=Müller", 2),
        ("customer=info@baeckerei-mueller.de", 2),
        ("customer=nowhere-to-be-found", 0),
        ("actor={bea}&kind=comment&customer=Nowak", 1),
    ],
)
def test_narrowed_to_a_person_a_kind_or_a_customer(staff_client, api, story, query, expected):
    query = query.format(bea=story["bea"].pk)
    page = staff_client.get(f"/activity/?{query}").content.decode()
    assert len(lines(page)) == expected
    assert len(api.client.get(f"/api/v1/activity?{query}", headers=api.headers).json()["items"]) == expected
    if not expected:
        assert "Nothing happened here yet" in page


def test_older_events_come_page_by_page_with_nothing_twice(staff_client, api, staff):
    customers = [make_customer(staff, name=f"Kunde {i}") for i in range(3)]
    for i in range(70):
        make_note(customers[i % 3], staff, text=f"Note {i}")

    shown, url = [], "/activity/?kind=note"
    while url:
        page = staff_client.get(url, **(HTMX if shown else {})).content.decode()
        shown.append(len(lines(page)))
        more = re.search(r'hx-get="\?kind=note&amp;cursor=([^"&]+)', page)
        url = more and f"/activity/?kind=note&cursor={more.group(1)}&continued=1"
    assert shown == [25, 25, 20]

    via_api, cursor = [], ""
    while True:
        page = api.get("/activity", kind="note", limit=30, cursor=cursor).json()
        via_api += [e["id"] for e in page["items"]]
        if not page["next_cursor"]:
            break
        cursor = page["next_cursor"]
    assert len(via_api) == len(set(via_api)) == 70


def test_a_family_across_several_customers_merges_in_order(staff_client, api, staff):
    a, b = make_customer(staff, name="Hofladen Alpha"), make_customer(staff, name="Hofladen Beta")
    for i in range(30):
        make_note(a if i % 2 else b, staff, text=f"Note {i}")
    ids = []
    cursor = ""
    while True:
        page = api.get("/activity", customer="hofladen", limit=7, cursor=cursor).json()  # both customers
        ids += [e["id"] for e in page["items"]]
        if not page["next_cursor"]:
            break
        cursor = page["next_cursor"]
    expected = list(
        Event.objects.filter(customer__in=[a, b]).order_by("-created_at", "-id").values_list("id", flat=True)
    )
    assert ids == expected


@pytest.mark.parametrize(
    "query", ["actor=nobody", "actor=99999999999999999999999", "kind=nope", "kind=order.nope", "cursor=forged"]
)
def test_odd_filters_go_back_to_everything_and_the_api_says_what_is_wrong(staff_client, api, story, query):
    answer = staff_client.get(f"/activity/?{query}")
    assert answer.status_code == 302 and answer["Location"] == "/activity/"
    assert api.client.get(f"/api/v1/activity?{query}", headers=api.headers).status_code == 422


def test_a_persons_events_of_one_kind_come_page_by_page_newest_first_with_nothing_twice(api, staff):
    colleague = UserFactory(username="bea")
    customer = make_customer(staff, name="Bäckerei Müller")
    for i in range(40):
        make_note(customer, staff, text=f"Note {i}")
        make_note(customer, colleague, text=f"Bea's note {i}")
        event_record(customer=customer, kind="customer.deactivated", actor=staff)

    items, cursor = [], ""
    while True:
        page = api.get("/activity", actor=staff.pk, kind="note", limit=15, cursor=cursor).json()
        items += page["items"]
        if not page["next_cursor"]:
            break
        cursor = page["next_cursor"]
    assert len(items) == len({e["id"] for e in items}) == 40
    assert {(e["kind"], e["actor"]["id"]) for e in items} == {("note.added", staff.pk)}
    assert [e["id"] for e in items] == sorted((e["id"] for e in items), reverse=True)


def test_a_rare_kind_of_a_busy_person_is_looked_for_a_stretch_at_a_time(staff_client, api, staff, monkeypatch):
    monkeypatch.setattr(activity, "SCAN_MAX", 30)
    customer = make_customer(staff, name="Bäckerei Müller")
    make_note(customer, staff, text="The only note")
    for _ in range(70):
        event_record(customer=customer, kind="customer.deactivated", actor=staff)
    kinds, cursor, pages = [], "", 0
    while True:
        page = api.get("/activity", actor=staff.pk, kind="note", cursor=cursor).json()
        kinds += [e["kind"] for e in page["items"]]
        pages += 1
        if not page["next_cursor"]:
            break
        cursor = page["next_cursor"]
    assert kinds == ["note.added"] and pages == 3  # 30 of the person's 72 events a page: empty, empty, the note

    first = staff_client.get(f"/activity/?actor={staff.pk}&kind=note").content.decode()
    assert "Nothing of this kind among this person" in first and "Show older" in first
