"""Demo data and large imports insert customers in bulk: each one ends up exactly like a customer entered by
hand (city, tags, notes, search, a "created" entry on its timeline), just faster."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kartei.customers import services
from kartei.customers.models import Customer, Tag
from kartei.customers.queries import CustomerFilter, customer_page, notes_in_order, with_card_details
from kartei.timeline.models import Event
from tests.factories import make_customers_in_bulk

pytestmark = pytest.mark.django_db


def test_it_inserts_every_row_and_says_how_many(staff):
    rows = [{"customer": {"name": f"Kunde {i}"}, "addresses": [], "tags": []} for i in range(250)]
    ids = services.customers_bulk_insert(actor=staff, rows=rows, source="import")
    assert len(set(ids)) == 250
    assert list(Customer.objects.filter(id__in=ids).order_by("id").values_list("name", flat=True)) == [
        f"Kunde {i}" for i in range(250)
    ]
    assert services.customers_bulk_insert(actor=staff, rows=[], source="import") == []


def test_it_gives_bulk_inserted_customers_their_city_tags_and_notes(staff):
    [customer] = make_customers_in_bulk(
        [
            {
                "name": "Piekarnia Łódź",
                "city": "Łódź",
                "country": "PL",
                "tags": ["VIP", "Stammkunde"],
                "notes": [("Pays late", "none"), ("Allergic to nuts", "high")],
            }
        ],
        actor=staff,
    )
    customer = Customer.objects.get(pk=customer.pk)
    assert (customer.city, customer.country, customer.source) == ("Łódź", "PL", "import")
    assert customer.tag_names == "Stammkunde, VIP"
    assert sorted(t.name for t in customer.tags.all()) == ["Stammkunde", "VIP"]
    assert [n.text for n in notes_in_order(customer)] == ["Allergic to nuts", "Pays late"]
    assert {n.author for n in customer.notes.all()} == {staff}


def test_it_records_the_creation_of_each_bulk_inserted_customer(staff):
    customers = make_customers_in_bulk([{"name": "A"}, {"name": "B"}], actor=staff, source="import")
    for customer in customers:
        event = Event.objects.get(customer=customer)
        assert (event.kind, event.actor, event.data) == ("customer.created", staff, {"source": "import"})


def test_it_lists_bulk_inserted_customers_with_their_card_details(staff):
    joined = timezone.now() - timedelta(days=400)
    make_customers_in_bulk(
        [{"name": "Piekarnia", "city": "Kraków", "country": "PL", "tags": ["VIP"], "notes": [("Hi", "medium")],
          "created_at": joined}],
        actor=staff,
    )  # fmt: skip
    [row], _ = customer_page(CustomerFilter.from_params(), limit=10)
    with_card_details([row])
    assert row.default_address.city == "Kraków"
    assert [t.name for t in row.tag_list] == ["VIP"]
    assert row.top_note.text == "Hi"
    assert row.created_at == joined


def test_it_reuses_existing_tags_for_bulk_inserted_customers(staff):
    services.tags_for_names(["VIP"])
    make_customers_in_bulk([{"name": "A", "tags": ["vip"]}, {"name": "B", "tags": ["VIP"]}], actor=staff)
    assert list(Tag.objects.values_list("name", flat=True)) == ["VIP"]
    assert Tag.objects.get().customers.count() == 2


def test_it_lets_a_bulk_inserted_customer_be_edited_deleted_and_restored_like_any_other(staff):
    [customer] = make_customers_in_bulk([{"name": "Alte Mühle", "email": "info@muehle.de"}], actor=staff)
    services.customer_update(customer=customer, actor=staff, data={"status": "current"}, version=1)
    services.customer_delete(customer=customer, actor=staff)
    services.customer_restore(customer=customer, actor=staff)
    kinds = Event.objects.filter(customer=customer).order_by("id").values_list("kind", flat=True)
    assert list(kinds) == ["customer.created", "customer.updated", "customer.deleted", "customer.restored"]


TWINS = {
    "kind": "company",
    "name": "Łódzka Piekarnia Müller",
    "contact_person": "Jörg Weiß",
    "email": "",  # unique: the twins would need two
    "phone": "+48 42 630 12 34",
    "vat_id": "PL1234563218",
    "status": "current",
    "temperature": "warm",
    "discount_percent": "12.5",
    "preferred_language": "pl",
    "marketing_consent": True,
    "tags": ["VIP", "Großhandel"],
    "addresses": [
        {"label": "Biuro", "street": "Piotrkowska 12", "postal_code": "90-001", "city": "Łódź", "country": "PL",
         "is_default": True},
        {"label": "Magazyn", "street": "Długa 3", "postal_code": "80-831", "city": "Gdańsk", "country": "PL"},
    ],
}  # fmt: skip
COMPARED = (
    "kind", "name", "contact_person", "email", "phone", "vat_id", "status", "temperature", "discount_percent",
    "preferred_currency", "preferred_language", "marketing_consent", "system_notifications", "is_active", "city",
    "country", "tag_names", "sort_name", "sort_city", "search_document", "version", "deleted_at",
)  # fmt: skip


def test_a_customer_written_in_bulk_is_the_twin_of_one_entered_by_hand(staff):
    """The same data through customer_create and through the bulk path: the same stored customer, found,
    filtered and sorted alike, each with its "created" event."""
    by_hand = services.customer_create(actor=staff, data=TWINS)
    entered = {f: getattr(by_hand, f) for f in COMPARED[:14]}  # as the services' cleaning left them
    addresses = [
        {"label": a.label, "street": a.street, "postal_code": a.postal_code, "city": a.city, "country": a.country.code,
         "is_default": a.is_default}
        for a in by_hand.addresses.order_by("id")
    ]  # fmt: skip
    row = {"customer": entered, "addresses": addresses, "tags": list(by_hand.tags.all())}
    [pk] = services.customers_bulk_insert(actor=staff, rows=[row], source="manual")
    in_bulk = Customer.objects.get(pk=pk)

    for field in COMPARED:
        assert getattr(in_bulk, field) == getattr(by_hand, field), field
    assert [(a.label, a.city, a.postal_code, a.is_default) for a in in_bulk.addresses.order_by("id")] == [
        (a["label"], a["city"], a["postal_code"], a["is_default"]) for a in addresses
    ]
    searches = [
        {"q": "łódź piekarnia"},
        {"q": "gdansk"},
        {"q": "90-001"},
        {"status": "current", "tags": ["VIP"]},
        {"temperature": ["warm"], "q": "weiss"},
        {"q": "PL 123 456 32 18"},
        {"q": "+48 42 630 12 34"},
        {"q": "42 630 12"},
    ]
    for params in searches:
        listed = {c.pk for c in customer_page(CustomerFilter.from_params(**params), limit=10)[0]}
        assert listed == {by_hand.pk, in_bulk.pk}, params
    for sort in ("name", "-name", "city", "-city", "tags", "status", "temperature"):
        listed = [c.pk for c in customer_page(CustomerFilter.from_params(q="piekarnia", sort=sort), limit=10)[0]]
        ties_by_id = [by_hand.pk, in_bulk.pk]  # equal sort values: the order of the ids, reversed with the sort
        assert listed == (ties_by_id[::-1] if sort.startswith("-") else ties_by_id), sort
    assert list(Event.objects.filter(customer=in_bulk).values_list("kind", "actor_type", "actor", "data")) == [
        ("customer.created", "staff", staff.pk, {"source": "manual"})
    ]
