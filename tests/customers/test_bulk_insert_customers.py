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
