"""Services record what happened: who did it (a member of staff, the customer, the system), what it was about
(a note), and only kinds and data that are registered; a mistake there is a programming error, caught at once."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from kartei.customers import services
from kartei.customers.models import Note
from kartei.timeline import actors
from kartei.timeline.models import Event
from kartei.timeline.services import event_record
from tests.factories import UserFactory, make_customer, make_customers_in_bulk, make_note

pytestmark = pytest.mark.django_db


def latest(customer) -> Event:
    return Event.objects.filter(customer=customer).latest("id")


def test_it_records_a_member_of_staff_as_the_actor(staff):
    customer = make_customer(staff, name="Bäckerei Müller")
    event = latest(customer)
    assert (event.kind, event.actor_type, event.actor, event.data) == (
        "customer.created", "staff", staff, {"source": "manual"},
    )  # fmt: skip


def test_it_records_the_customer_as_the_actor(staff):
    customer = make_customer(staff, name="Bäckerei Müller")
    event = event_record(
        customer=customer, kind="customer.updated", actor=actors.CUSTOMER, data={"changes": {"phone": ["", "+4930"]}}
    )
    event.refresh_from_db()
    assert (event.actor_type, event.actor) == ("customer", None)
    assert event.text() == "The customer changed the phone number"


@pytest.mark.parametrize("actor", [actors.SYSTEM, None], ids=["SYSTEM", "None"])
def test_it_records_the_system_as_the_actor(actor):
    customer = services.customer_create(actor=actor, data={"name": "Import GmbH", "note": "From the old file"})
    assert [(e.kind, e.actor_type, e.actor) for e in Event.objects.filter(customer=customer).order_by("id")] == [
        ("customer.created", "system", None),
        ("note.added", "system", None),
    ]
    assert Note.objects.get(customer=customer).author is None
    assert latest(customer).text() == "Kartei added a note"


def test_it_points_note_events_at_their_note(staff):
    customer = make_customer(staff, name="Bäckerei Müller")
    note = make_note(customer, staff, text="Wants samples", priority="high")
    services.note_update(note=note, actor=staff, text="Wants samples of rye bread")
    note_id = note.pk
    services.note_delete(note=note, actor=staff)

    events = list(Event.objects.filter(customer=customer, kind__startswith="note.").order_by("id"))
    assert [e.kind for e in events] == ["note.added", "note.updated", "note.deleted"]
    note_type = ContentType.objects.get_for_model(Note)
    assert {(e.subject_type, e.subject_id) for e in events} == {(note_type, note_id)}
    assert [e.data for e in events] == [
        {"priority": "high"},
        {"priority": "high"},
        {"text": "Wants samples of rye bread"},
    ]
    assert events[-1].subject is None  # the note is gone; the event still says which it was


def test_customer_events_point_at_nothing_but_the_customer(staff):
    customer = make_customer(staff, name="Bäckerei Müller")
    services.customer_set_active(customer=customer, actor=staff, active=False)
    assert list(Event.objects.filter(customer=customer).values_list("subject_type", "subject_id")) == [(None, None)] * 2


def test_a_deleted_user_leaves_their_events_as_someone_s(staff):
    colleague = UserFactory(username="ewa", first_name="Ewa", last_name="Kowalska")
    customer = make_customer(colleague, name="Bäckerei Müller")
    make_note(customer, colleague)
    assert latest(customer).text() == "Ewa Kowalska added a note"

    colleague.delete()

    event = latest(customer)
    assert (event.actor_type, event.actor) == ("staff", None)
    assert event.text() == "Someone added a note"


def test_it_refuses_a_kind_nobody_registered(staff):
    customer = make_customer(staff, name="Bäckerei Müller")
    with pytest.raises(ValueError, match="customer.teleported"):
        event_record(customer=customer, kind="customer.teleported", actor=staff)
    assert not Event.objects.filter(kind="customer.teleported").exists()


def test_it_refuses_data_the_kind_does_not_declare(staff):
    customer = make_customer(staff, name="Bäckerei Müller")
    with pytest.raises(ValueError, match="colour"):
        event_record(customer=customer, kind="customer.deleted", actor=staff, data={"colour": "red"})


@pytest.mark.parametrize("actor", ["anna", 42, AnonymousUser()], ids=["a name", "an id", "anonymous"])
def test_it_refuses_an_actor_that_is_not_a_user_or_a_marker(staff, actor):
    customer = make_customer(staff, name="Bäckerei Müller")
    with pytest.raises((TypeError, ValueError)):
        event_record(customer=customer, kind="customer.deleted", actor=actor)


def test_it_refuses_an_unsaved_subject(staff):
    customer = make_customer(staff, name="Bäckerei Müller")
    with pytest.raises(ValueError, match="saved"):
        event_record(customer=customer, kind="note.added", actor=staff, subject=Note(customer=customer, text="x"))


@pytest.mark.parametrize(("actor", "actor_type"), [("staff", "staff"), (None, "system")])
def test_the_bulk_path_records_who_added_the_customers(staff, actor, actor_type):
    [customer] = make_customers_in_bulk([{"name": "Bulk GmbH"}], actor=staff if actor else None)
    event = Event.objects.get(customer=customer)
    assert (event.kind, event.actor_type, event.data) == ("customer.created", actor_type, {"source": "import"})


@pytest.mark.parametrize(
    "fields",
    [
        {"actor_type": "robot"},
        {"actor_type": "customer", "actor": "user"},
        {"actor_type": "system", "actor": "user"},
        {"actor_type": "system", "subject_id": 1},
        {"actor_type": "system", "subject_type": "note"},
    ],
    ids=["unknown actor type", "customer with a user", "system with a user", "subject id alone", "subject type alone"],
)
def test_the_database_refuses_an_event_that_contradicts_itself(staff, fields):
    customer = make_customer(staff, name="Bäckerei Müller")
    fields = dict(fields)
    if fields.get("actor") == "user":
        fields["actor"] = staff
    if fields.get("subject_type") == "note":
        fields["subject_type"] = ContentType.objects.get_for_model(Note)
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(customer=customer, kind="customer.updated", **fields)
