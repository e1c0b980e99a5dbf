"""GET /api/v1/customers/{id}/events: a customer's timeline, newest first, in cursor pages; each event with who did
it, what it was about and its sentence in the language the client asks for (Accept-Language)."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kartei.customers import services
from kartei.timeline import actors
from kartei.timeline.models import Event
from kartei.timeline.queries import events_page
from kartei.timeline.services import event_record
from tests.api.helpers import error_body, field_error
from tests.factories import UserFactory, make_customer, make_note

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(staff):
    staff.first_name, staff.last_name = "Anna", "Nowak"
    staff.save()
    return make_customer(staff, name="Bäckerei Müller", email="info@mueller.de")


def get_events(client, api, customer_id, lang=None, **params):
    headers = dict(api.headers)
    if lang:
        headers["Accept-Language"] = lang
    return client.get(f"/api/v1/customers/{customer_id}/events", params, headers=headers)


def items(response) -> list[dict]:
    assert response.status_code == 200, response.content[:500]
    return response.json()["items"]


def record_many(customer, count: int, *, start=None) -> list[Event]:
    """`count` events a minute apart, oldest first, ending before `start` (default: now)."""
    start = start or timezone.now()
    events = [event_record(customer=customer, kind="customer.deactivated", actor=actors.SYSTEM) for _ in range(count)]
    for age, event in enumerate(reversed(events), start=1):
        Event.objects.filter(pk=event.pk).update(created_at=start - timedelta(minutes=age))
    return events


def test_it_lists_the_timeline_newest_first_with_who_what_and_a_sentence(client, api, staff, customer):
    note = make_note(customer, staff, text="Wants samples", priority="high")
    services.customer_update(customer=customer, actor=staff, data={"email": "shop@mueller.de"})

    events = items(get_events(client, api, customer.pk))

    assert [e["kind"] for e in events] == ["customer.updated", "note.added", "customer.created"]
    updated, added, created = events
    assert updated["actor"] == {"type": "staff", "id": staff.pk, "name": "Anna Nowak"}
    assert updated["data"] == {"changes": {"email": ["info@mueller.de", "shop@mueller.de"]}}
    assert updated["subject"] is None
    assert updated["text"] == "Anna Nowak changed the email address"
    assert added["subject"] == {"type": "customers.note", "id": note.pk}
    assert (added["data"], added["text"]) == ({"priority": "high"}, "Anna Nowak added a note")
    assert created["text"] == "Anna Nowak added the customer (source: Entered by hand)"
    assert set(created) == {"id", "kind", "created_at", "actor", "subject", "data", "text"}
    stored = Event.objects.get(pk=created["id"])
    sent = datetime.fromisoformat(created["created_at"].replace("Z", "+00:00"))
    assert abs(sent - stored.created_at) < timedelta(milliseconds=1)


@pytest.mark.usefixtures("translations")
@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("de-DE,de;q=0.9,en;q=0.5", ["Anna Nowak hat eine Notiz hinzugefügt",
                                     "Anna Nowak hat den Kunden angelegt (Quelle: Manuell angelegt)"]),
        ("pl", ["Dodano notatkę (Anna Nowak)", "Dodano klienta (Anna Nowak, źródło: Dodany ręcznie)"]),
        ("en-GB,en;q=0.8", ["Anna Nowak added a note", "Anna Nowak added the customer (source: Entered by hand)"]),
        ("fr-FR", ["Anna Nowak added a note", "Anna Nowak added the customer (source: Entered by hand)"]),
    ],
)  # fmt: skip
def test_it_writes_the_sentences_in_the_language_the_client_accepts(client, api, staff, customer, accept_language,
                                                                    expected):  # fmt: skip
    make_note(customer, staff)

    response = get_events(client, api, customer.pk, lang=accept_language)

    assert [e["text"] for e in items(response)] == expected
    assert "Accept-Language" in response["Vary"]


@pytest.mark.usefixtures("translations")
@pytest.mark.parametrize(
    ("lang", "names"),
    [("en", ["Someone", "The customer", "Kartei"]), ("de", ["Jemand", "Der Kunde", "Kartei"]),
     ("pl", ["Nieznany użytkownik", "Klient", "Kartei"])],
)  # fmt: skip
def test_it_names_the_customer_the_system_and_a_deleted_user(client, api, customer, lang, names):
    ewa = UserFactory(username="ewa")
    event_record(customer=customer, kind="customer.reactivated", actor=actors.SYSTEM)
    event_record(customer=customer, kind="note.added", actor=actors.CUSTOMER, data={"priority": "none"})
    event_record(customer=customer, kind="customer.deactivated", actor=ewa)
    ewa.delete()

    deleted_user, by_customer, by_system = items(get_events(client, api, customer.pk, lang=lang))[:3]

    assert [e["actor"]["type"] for e in (deleted_user, by_customer, by_system)] == ["staff", "customer", "system"]
    assert [e["actor"]["id"] for e in (deleted_user, by_customer, by_system)] == [None, customer.pk, None]
    assert [e["actor"]["name"] for e in (deleted_user, by_customer, by_system)] == names
    assert by_customer["text"] == {"en": "The customer left a note", "de": "Der Kunde hat eine Notiz hinterlassen",
                                   "pl": "Klient zostawił notatkę"}[lang]  # fmt: skip


def test_an_event_of_an_unknown_kind_reads_neutrally(client, api, staff, customer):
    Event.objects.create(customer=customer, kind="order.teleported", actor_type="staff", actor=staff, data={"x": 1})

    [event] = items(get_events(client, api, customer.pk, limit=1))

    assert (event["kind"], event["data"], event["text"]) == ("order.teleported", {"x": 1}, "Anna Nowak made a change")


def test_it_pages_without_duplicates_or_gaps(client, api, customer):
    record_many(customer, 7)
    expected = list(Event.objects.filter(customer=customer).order_by("-created_at", "-id").values_list("id", flat=True))

    first = get_events(client, api, customer.pk, limit=5).json()
    second = get_events(client, api, customer.pk, limit=5, cursor=first["next_cursor"]).json()

    assert [e["id"] for e in first["items"]] + [e["id"] for e in second["items"]] == expected
    assert len(first["items"]) == 5 and first["next_cursor"]
    assert second["next_cursor"] is None


def test_it_orders_events_of_the_same_moment_by_id(client, api, customer):
    record_many(customer, 6)
    Event.objects.filter(customer=customer).update(created_at=timezone.now())
    expected = list(Event.objects.filter(customer=customer).order_by("-id").values_list("id", flat=True))

    seen, cursor = [], ""
    while True:
        page = get_events(client, api, customer.pk, limit=2, cursor=cursor).json()
        seen += [e["id"] for e in page["items"]]
        if not (cursor := page["next_cursor"]):
            break

    assert seen == expected


def test_the_next_page_is_the_same_when_events_arrive_in_between(client, api, staff, customer):
    record_many(customer, 5)
    first = get_events(client, api, customer.pk, limit=3).json()
    expected_rest = [e["id"] for e in items(get_events(client, api, customer.pk, limit=100))][3:]

    make_note(customer, staff)
    services.customer_set_active(customer=customer, actor=staff, active=False)
    second = get_events(client, api, customer.pk, limit=3, cursor=first["next_cursor"]).json()

    assert [e["id"] for e in second["items"]] == expected_rest[:3]
    assert not {e["id"] for e in first["items"]} & {e["id"] for e in second["items"]}
    newest = items(get_events(client, api, customer.pk, limit=2))
    assert [e["kind"] for e in newest] == ["customer.deactivated", "note.added"]


def test_it_shows_only_the_customer_s_own_events(client, api, staff, customer):
    other = make_customer(staff, name="Other GmbH")
    make_note(other, staff)

    assert [e["kind"] for e in items(get_events(client, api, customer.pk))] == ["customer.created"]


@pytest.mark.parametrize("cursor", ["garbage", "x" * 300, "WyJldmVudHMiLDEsMV0"])
def test_it_refuses_a_damaged_cursor_with_422(client, api, customer, cursor):
    field_error(get_events(client, api, customer.pk, cursor=cursor), "cursor")


def test_it_refuses_another_list_s_cursor_with_422(client, api, staff, customer):
    other = make_customer(staff, name="Other GmbH")
    record_many(other, 3)
    other_cursor = get_events(client, api, other.pk, limit=1).json()["next_cursor"]
    customers_cursor = api.get("/customers", limit=1).json()["next_cursor"]

    field_error(get_events(client, api, customer.pk, cursor=other_cursor), "cursor")
    field_error(get_events(client, api, customer.pk, cursor=customers_cursor), "cursor")


@pytest.mark.parametrize("limit", ["0", "101", "-1", "ten", "1.5"])
def test_it_refuses_a_limit_outside_1_to_100_with_422(client, api, customer, limit):
    field_error(get_events(client, api, customer.pk, limit=limit), "limit")


def test_it_is_404_for_a_customer_that_does_not_exist_or_is_in_the_trash(client, api, staff, customer):
    assert get_events(client, api, customer.pk).status_code == 200
    services.customer_delete(customer=customer, actor=staff)

    error_body(get_events(client, api, customer.pk), 404)
    error_body(get_events(client, api, 999_999), 404)
    error_body(get_events(client, api, 99999999999999999999999), 404)
    error_body(client.get("/api/v1/customers/abc/events", headers=api.headers), 404)


def test_it_wants_a_token(client, customer):
    response = client.get(f"/api/v1/customers/{customer.pk}/events")

    assert "Bearer" in error_body(response, 401)["detail"]
    assert "Müller" not in response.content.decode()


def test_a_long_timeline_is_paged_through_the_index_without_counting_or_sorting(customer):
    """Each page reads its rows off the (customer, -created_at, -id) index from the cursor on: as fast with
    100,000 events as with ten. No COUNT, no OFFSET, no sort of the customer's events."""
    record_many(customer, 3)
    _, cursor = events_page(customer.pk, limit=1)
    with CaptureQueriesContext(connection) as queries:
        events_page(customer.pk, cursor=cursor, limit=1)
    [query] = queries.captured_queries
    sql = query["sql"]
    assert "COUNT(" not in sql.upper() and "OFFSET" not in sql.upper()

    with connection.cursor() as db:
        if connection.vendor == "sqlite":
            db.execute("EXPLAIN QUERY PLAN " + sql)
            plan = " | ".join(str(row[-1]) for row in db.fetchall())
            assert "USING INDEX event_customer_time" in plan, plan
        else:
            db.execute("SET LOCAL enable_seqscan = off")
            db.execute("EXPLAIN " + sql)
            plan = " | ".join(row[0] for row in db.fetchall())
            assert "event_customer_time" in plan, plan
        assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan


def test_it_narrows_the_timeline_to_a_kind_or_a_family(client, api, staff, customer):
    make_note(customer, staff, text="Wants samples")
    record_many(customer, 3)

    assert {e["kind"] for e in items(get_events(client, api, customer.pk, kind="note"))} == {"note.added"}
    deactivated = items(get_events(client, api, customer.pk, kind="customer.deactivated", limit=2))
    assert [e["kind"] for e in deactivated] == ["customer.deactivated"] * 2
    family = items(get_events(client, api, customer.pk, kind="customer"))
    assert {e["kind"] for e in family} == {"customer.created", "customer.deactivated"} and len(family) == 4


def test_a_kind_that_is_not_one_says_which_are(client, api, customer):
    message = field_error(get_events(client, api, customer.pk, kind="orders; DROP TABLE"), "kind")["message"]

    assert "note" in message and "order" in message


def test_a_cursor_of_another_kind_is_refused(client, api, customer):
    record_many(customer, 5)
    cursor = get_events(client, api, customer.pk, kind="customer", limit=2).json()["next_cursor"]

    field_error(get_events(client, api, customer.pk, cursor=cursor, limit=2), "cursor")
