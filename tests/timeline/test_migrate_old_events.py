"""Events recorded before events had types keep their history once migrated: an event with a user is staff's,
one without is the system's, and a note event points at its note while the note still exists."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from kartei.customers.models import Customer, Note
from kartei.timeline.models import Event
from tests.factories import UserFactory
from tests.migrating import migrated_back_to

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("timeline", "0001_initial")]


@pytest.fixture
def executor():
    """The database with the timeline as it was before event types; migrated back to the latest state after."""
    with migrated_back_to(BEFORE) as executor:
        yield executor


def test_it_fills_in_who_acted_and_what_note_each_old_event_was_about(executor):
    OldEvent = executor.loader.project_state(BEFORE).apps.get_model("timeline", "Event")
    anna = UserFactory(username="anna", first_name="Anna", last_name="Nowak")
    customer = Customer.objects.create(name="Bäckerei Müller", created_at=timezone.now())
    kept = Note.objects.create(customer=customer, text="Still here")
    gone = Note.objects.create(customer=customer, text="Deleted later")
    old = {
        "created": OldEvent.objects.create(customer_id=customer.pk, kind="customer.created", actor_id=anna.pk,
                                           data={"source": "manual"}),
        "by_nobody": OldEvent.objects.create(customer_id=customer.pk, kind="customer.created", actor_id=None,
                                             data={"source": "import"}),
        "note_kept": OldEvent.objects.create(customer_id=customer.pk, kind="note.added", actor_id=anna.pk,
                                             data={"note": kept.pk, "priority": "high"}),
        "note_gone": OldEvent.objects.create(customer_id=customer.pk, kind="note.updated", actor_id=anna.pk,
                                             data={"note": gone.pk, "priority": "none"}),
        "note_deleted": OldEvent.objects.create(customer_id=customer.pk, kind="note.deleted", actor_id=anna.pk,
                                                data={"text": "Deleted later"}),
    }  # fmt: skip
    # As the app deleted a note then (today's Note would look for the attachments, which came later).
    executor.loader.project_state(BEFORE).apps.get_model("customers", "Note").objects.filter(pk=gone.pk).delete()
    times = {name: OldEvent.objects.get(pk=e.pk).created_at for name, e in old.items()}

    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    events = {name: Event.objects.select_related("actor").get(pk=e.pk) for name, e in old.items()}
    assert {name: (e.actor_type, e.actor) for name, e in events.items()} == {
        "created": ("staff", anna),
        "by_nobody": ("system", None),
        "note_kept": ("staff", anna),
        "note_gone": ("staff", anna),
        "note_deleted": ("staff", anna),
    }
    assert events["note_kept"].subject == kept
    assert events["note_kept"].subject_type == ContentType.objects.get_for_model(Note)
    for name in ("created", "by_nobody", "note_gone", "note_deleted"):
        assert (events[name].subject_type, events[name].subject_id) == (None, None), name
    # The rest of their history is as it was.
    assert {name: (e.kind, e.data, e.created_at) for name, e in events.items()} == {
        name: (e.kind, e.data, times[name]) for name, e in old.items()
    }
    assert [e.text() for e in Event.objects.filter(customer=customer).order_by("id")] == [
        "Anna Nowak added the customer (source: Entered by hand)",
        "Kartei added the customer (source: Import)",
        "Anna Nowak added a note",
        "Anna Nowak edited a note",
        "Anna Nowak deleted the note “Deleted later”",
    ]
