"""What staff see of a customer: on the card in the list its default address, its tags in name order and
its top note; on the customer page every address (the default first) and its tags."""

import pytest

from kartei.customers import services
from kartei.customers.models import Customer
from kartei.customers.queries import CustomerFilter, customer_detail, customer_page, with_card_details
from tests.factories import make_customer, make_note

pytestmark = pytest.mark.django_db


def test_it_shows_the_default_address_tags_and_top_note_on_each_card(staff):
    make_customer(
        staff,
        name="Bäckerei Müller",
        tags=["VIP", "abholer", "Stammkunde"],
        addresses=[{"city": "Berlin", "country": "DE"}, {"city": "Potsdam", "country": "DE", "is_default": True}],
        note="Met at the fair",
    )
    make_customer(staff, name="Kiosk Nowak")
    rows, _ = customer_page(CustomerFilter.from_params(sort="name"), limit=10)
    with_card_details(rows)
    muller, nowak = rows
    assert muller.default_address.city == "Potsdam"
    assert [t.name for t in muller.tag_list] == ["abholer", "Stammkunde", "VIP"]
    assert muller.top_note.text == "Met at the fair"
    assert (nowak.default_address, nowak.tag_list, nowak.top_note) == (None, [], None)


def test_it_shows_the_city_of_the_default_address_in_the_list(staff):
    customer = make_customer(staff, name="Bäckerei", addresses=[{"city": "Köln", "country": "DE"}])
    services.customer_update(customer=customer, actor=staff, data={"addresses": []})
    [row], _ = customer_page(CustomerFilter.from_params(), limit=10)
    with_card_details([row])
    assert (row.city, row.default_address) == ("", None)


def test_it_fills_the_cards_of_a_whole_page_with_a_few_queries(staff, django_assert_max_num_queries):
    customers = []
    for i in range(10):
        customer = make_customer(staff, name=f"Kunde {i}", tags=["VIP", f"Tag {i}"], addresses=[{"city": "Berlin"}])
        make_note(customer, staff, priority="high")
        make_note(customer, staff)
        customers.append(Customer.objects.get(pk=customer.pk))
    with django_assert_max_num_queries(3):
        with_card_details(customers)
        for c in customers:
            (c.default_address.city, [t.name for t in c.tag_list], c.top_note.text)


def test_it_shows_every_address_on_the_customer_page_default_first(staff):
    customer = make_customer(
        staff,
        name="Bäckerei",
        tags=["VIP"],
        addresses=[
            {"label": "Office", "city": "Berlin"},
            {"label": "Warehouse", "city": "Potsdam", "is_default": True},
            {"label": "Shop", "city": "Cottbus"},
        ],
    )
    detail = customer_detail(customer.pk)
    assert [a.label for a in detail.addresses.all()] == ["Warehouse", "Office", "Shop"]
    assert [t.name for t in detail.tags.all()] == ["VIP"]


def test_it_does_not_open_the_page_of_a_customer_that_does_not_exist(db):
    with pytest.raises(Customer.DoesNotExist):
        customer_detail(123456)
