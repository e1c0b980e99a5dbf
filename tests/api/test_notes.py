"""Notes: GET/POST /api/v1/customers/{id}/notes, PATCH/DELETE /api/v1/notes/{id}."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kartei.customers.models import Note
from kartei.timeline.models import Event
from tests.api.helpers import error_body, field_error, stored_state
from tests.factories import make_customer, make_note

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer():
    return make_customer(name="Müller GmbH")


def test_it_adds_a_note_written_by_the_tokens_user(api, customer, staff):
    response = api.post(f"/customers/{customer.pk}/notes", {"text": "  Wants a quote.  ", "priority": "high"})

    assert response.status_code == 201, response.content
    body = response.json()
    note = Note.objects.get(pk=body["id"])
    assert (body["customer"], body["text"], body["priority"], body["author"]) == (
        customer.pk, "Wants a quote.", "high", "anna",
    )  # fmt: skip
    assert (note.text, note.author) == ("Wants a quote.", staff)
    event = Event.objects.filter(customer=customer).latest("id")
    assert (event.kind, event.actor, event.subject) == ("note.added", staff, note)


def test_it_gives_a_note_no_priority_unless_asked(api, customer):
    assert api.post(f"/customers/{customer.pk}/notes", {"text": "Called."}).json()["priority"] == "none"


def test_it_lists_notes_high_then_medium_then_none_newest_first_within_each(api, customer):
    now = timezone.now()
    made = {}
    for name, priority, hours_ago in [
        ("old-none", "none", 50),
        ("new-high", "high", 1),
        ("old-medium", "medium", 40),
        ("new-none", "none", 2),
        ("old-high", "high", 30),
        ("new-medium", "medium", 3),
    ]:
        note = make_note(customer, text=name, priority=priority)
        Note.objects.filter(pk=note.pk).update(created_at=now - timedelta(hours=hours_ago))
        made[name] = note

    response = api.get(f"/customers/{customer.pk}/notes")

    assert [n["text"] for n in response.json()] == [
        "new-high", "old-high", "new-medium", "old-medium", "new-none", "old-none",
    ]  # fmt: skip


def test_it_lists_only_the_customers_own_notes(api, customer):
    make_note(make_customer(name="Other"), text="not yours")

    assert api.get(f"/customers/{customer.pk}/notes").json() == []


def test_it_changes_a_notes_text_or_priority(api, customer, staff):
    note = make_note(customer, text="Call back", priority="none")

    by_priority = api.patch(f"/notes/{note.pk}", {"priority": "medium"})
    by_text = api.patch(f"/notes/{note.pk}", {"text": "Called back"})

    assert (by_priority.json()["text"], by_priority.json()["priority"]) == ("Call back", "medium")
    assert (by_text.json()["text"], by_text.json()["priority"]) == ("Called back", "medium")
    assert list(Event.objects.filter(customer=customer, kind="note.updated").values_list("actor", flat=True)) == [
        staff.pk,
        staff.pk,
    ]


def test_it_records_nothing_when_a_patch_changes_nothing(api, customer):
    note = make_note(customer, text="Same", priority="high")
    before = stored_state()

    response = api.patch(f"/notes/{note.pk}", {"text": "Same", "priority": "high"})

    assert response.status_code == 200
    assert stored_state() == before


def test_it_deletes_a_note(api, customer, staff):
    note = make_note(customer, text="Obsolete")

    response = api.delete(f"/notes/{note.pk}")

    assert response.status_code == 204 and response.content == b""
    assert not Note.objects.filter(pk=note.pk).exists()
    event = Event.objects.filter(customer=customer).latest("id")
    assert (event.kind, event.actor, event.data) == ("note.deleted", staff, {"text": "Obsolete"})
    error_body(api.delete(f"/notes/{note.pk}"), 404)


BAD_NOTES = [
    pytest.param({}, "text", id="text-missing"),
    pytest.param({"text": ""}, "text", id="text-empty"),
    pytest.param({"text": "   "}, "text", id="text-blank"),
    pytest.param({"text": None}, "text", id="text-null"),
    pytest.param({"text": 5}, "text", id="text-number"),
    pytest.param({"text": ["a"]}, "text", id="text-list"),
    pytest.param({"text": "x" * 10_001}, "text", id="text-too-long"),
    pytest.param({"text": "x" * 1_000_000}, "text", id="text-1MB"),
    pytest.param({"text": "a\u0000b"}, "text", id="text-NUL"),
    pytest.param({"text": "a", "priority": "urgent"}, "priority", id="priority-unknown"),
    pytest.param({"text": "a", "priority": 1}, "priority", id="priority-number"),
    pytest.param({"text": "a", "author": "boss"}, "author", id="unknown-field"),
]


@pytest.mark.parametrize("body, field", BAD_NOTES)
def test_it_refuses_a_bad_new_note_with_a_422_and_stores_nothing(api, customer, body, field):
    before = stored_state()

    response = api.post(f"/customers/{customer.pk}/notes", body)

    field_error(response, field)
    assert stored_state() == before


@pytest.mark.parametrize(
    "body, field",
    [
        pytest.param({"text": ""}, "text", id="text-empty"),
        pytest.param({"text": None}, "text", id="text-null"),
        pytest.param({"text": 5}, "text", id="text-number"),
        pytest.param({"text": "x" * 10_001}, "text", id="text-too-long"),
        pytest.param({"text": "\u0000"}, "text", id="text-NUL"),
        pytest.param({"priority": "urgent"}, "priority", id="priority-unknown"),
        pytest.param({"priority": None}, "priority", id="priority-null"),
        pytest.param({"customer": 1}, "customer", id="moving-the-note"),
    ],
)
def test_it_refuses_a_bad_change_with_a_422_and_changes_nothing(api, customer, body, field):
    note = make_note(customer)
    before = stored_state()

    response = api.patch(f"/notes/{note.pk}", body)

    field_error(response, field)
    assert stored_state() == before


@pytest.mark.parametrize("raw", ["", "{", "[]", '"text"', "null", '{"text": "\\ud800"}'])
def test_it_refuses_a_malformed_body_with_a_422_and_stores_nothing(api, customer, raw):
    note = make_note(customer)
    before = stored_state()

    error_body(api.post(f"/customers/{customer.pk}/notes", raw), 422)
    error_body(api.patch(f"/notes/{note.pk}", raw), 422)
    assert stored_state() == before
