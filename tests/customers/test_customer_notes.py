"""Staff write notes on a customer with a priority: the notes read high, then medium, then the rest,
newest first within each; the customer's card shows the note on top; every note change is on the timeline."""

import pytest
from django.core.exceptions import ValidationError

from kartei.customers import services
from kartei.customers.models import Note
from kartei.customers.queries import CustomerFilter, customer_page, notes_in_order, with_card_details
from kartei.timeline.models import Event
from tests.factories import make_customer, make_note

pytestmark = pytest.mark.django_db


def kinds(customer) -> list[str]:
    return list(Event.objects.filter(customer=customer).order_by("id").values_list("kind", flat=True))


def test_it_lists_notes_high_then_medium_then_the_rest_newest_first(staff):
    customer = make_customer(staff, name="Bäckerei Müller")
    for text, priority in [
        ("old plain", "none"),
        ("old high", "high"),
        ("old medium", "medium"),
        ("new plain", "none"),
        ("new high", "high"),
        ("new medium", "medium"),
    ]:
        make_note(customer, staff, text=text, priority=priority)
    assert [n.text for n in notes_in_order(customer)] == [
        "new high",
        "old high",
        "new medium",
        "old medium",
        "new plain",
        "old plain",
    ]


def test_it_shows_the_top_note_on_the_customers_card(staff):
    plain_only = make_customer(staff, name="A")
    make_note(plain_only, staff, text="first", priority="none")
    make_note(plain_only, staff, text="second", priority="none")
    with_medium = make_customer(staff, name="B")
    make_note(with_medium, staff, text="medium", priority="medium")
    make_note(with_medium, staff, text="later plain", priority="none")
    with_high = make_customer(staff, name="C")
    make_note(with_high, staff, text="older high", priority="high")
    make_note(with_high, staff, text="newer medium", priority="medium")
    without = make_customer(staff, name="D")
    rows, _ = customer_page(CustomerFilter.from_params(sort="name"), limit=10)
    with_card_details(rows)
    assert [(c.name, c.top_note and c.top_note.text) for c in rows] == [
        ("A", "second"),
        ("B", "medium"),
        ("C", "older high"),
        ("D", None),
    ]
    with_card_details([without])
    assert without.top_note is None


def test_it_moves_a_note_to_the_top_when_its_priority_is_raised(staff):
    customer = make_customer(staff, name="Bäckerei Müller")
    make_note(customer, staff, text="Wants a quote", priority="medium")
    call_back = make_note(customer, staff, text="Call back", priority="none")
    services.note_update(note=call_back, actor=staff, priority="high")
    assert [n.text for n in notes_in_order(customer)] == ["Call back", "Wants a quote"]
    [row], _ = customer_page(CustomerFilter.from_params(), limit=1)
    with_card_details([row])
    assert row.top_note.text == "Call back"


def test_it_adds_a_note_and_records_it_on_the_timeline(staff):
    customer = make_customer(staff, name="Bäckerei Müller")
    note = services.note_create(customer=customer, actor=staff, text="  Wants samples.  ", priority="high")
    assert (note.text, note.priority, note.author) == ("Wants samples.", "high", staff)
    event = Event.objects.get(customer=customer, kind="note.added")
    assert (event.actor, event.subject, event.data) == (staff, note, {"priority": "high"})


def test_it_adds_a_note_without_priority_when_none_is_given(staff):
    customer = make_customer(staff, name="Bäckerei Müller")
    note = services.note_create(customer=customer, actor=staff, text="Plain", priority="")
    assert note.priority == "none"


@pytest.mark.parametrize(
    "text, priority, field",
    [("", "none", "text"), ("   ", "high", "text"), ("x" * 10_001, "none", "text"), ("ok", "urgent", "priority")],
)
def test_it_refuses_an_empty_or_overlong_note_or_an_unknown_priority(staff, text, priority, field):
    customer = make_customer(staff, name="Bäckerei Müller")
    with pytest.raises(ValidationError) as error:
        services.note_create(customer=customer, actor=staff, text=text, priority=priority)
    assert list(error.value.error_dict) == [field]
    assert not Note.objects.exists()
    assert kinds(customer) == ["customer.created"]


def test_it_accepts_a_note_of_10000_characters(staff):
    customer = make_customer(staff, name="Bäckerei Müller")
    assert len(services.note_create(customer=customer, actor=staff, text="x" * 10_000).text) == 10_000


def test_it_edits_a_note_and_records_it(staff):
    customer = make_customer(staff, name="Bäckerei Müller")
    note = make_note(customer, staff, text="Call back", priority="none")
    services.note_update(note=note, actor=staff, text="Called back, wants 20 kg")
    note.refresh_from_db()
    assert (note.text, note.priority) == ("Called back, wants 20 kg", "none")
    assert kinds(customer)[-1] == "note.updated"


def test_it_records_nothing_when_a_note_is_saved_unchanged(staff):
    customer = make_customer(staff, name="Bäckerei Müller")
    note = make_note(customer, staff, text="Call back", priority="medium")
    services.note_update(note=note, actor=staff, text=" Call back ", priority="medium")
    services.note_update(note=note, actor=staff)
    assert kinds(customer) == ["customer.created", "note.added"]


def test_it_refuses_to_empty_a_note_and_keeps_it(staff):
    customer = make_customer(staff, name="Bäckerei Müller")
    note = make_note(customer, staff, text="Call back", priority="medium")
    with pytest.raises(ValidationError) as error:
        services.note_update(note=note, actor=staff, text="  ", priority="urgent")
    assert set(error.value.error_dict) == {"text", "priority"}
    assert Note.objects.values_list("text", "priority").get() == ("Call back", "medium")
    assert kinds(customer) == ["customer.created", "note.added"]


def test_it_deletes_a_note_and_keeps_its_text_on_the_timeline(staff):
    customer = make_customer(staff, name="Bäckerei Müller")
    note = make_note(customer, staff, text="Wrong customer, sorry", priority="none")
    services.note_delete(note=note, actor=staff)
    assert not Note.objects.exists()
    event = Event.objects.get(customer=customer, kind="note.deleted")
    assert (event.actor, event.data) == (staff, {"text": "Wrong customer, sorry"})


def test_it_adds_the_first_note_given_when_the_customer_is_created(staff):
    customer = services.customer_create(actor=staff, data={"name": "Bäckerei", "note": "  Met at the fair. "})
    assert [(n.text, n.priority) for n in notes_in_order(customer)] == [("Met at the fair.", "none")]


def test_it_adds_no_note_when_the_first_note_is_left_blank(staff):
    customer = services.customer_create(actor=staff, data={"name": "Bäckerei", "note": "   "})
    assert not customer.notes.exists()
    assert kinds(customer) == ["customer.created"]
