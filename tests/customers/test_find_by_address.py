"""Staff find customers by where they are: the city, postal code or street of any of their addresses, not just
the default one, with accents folded ("Lodz" finds Łódź); search follows when an address is edited or removed."""

import pytest

from kartei.customers import services
from kartei.customers.queries import CustomerFilter, bounded_count, customer_page, customers_matching
from tests.factories import make_customer, make_customers_in_bulk

pytestmark = pytest.mark.django_db


def found(q: str, **params) -> set[str]:
    f = CustomerFilter.from_params(q=q, **params)
    names = set(customers_matching(f).values_list("name", flat=True))
    assert {c.name for c in customer_page(f, limit=50)[0]} == names
    assert bounded_count(f) == (len(names), False)
    return names


@pytest.fixture
def piekarnia(db):
    return make_customer(
        name="Piekarnia Nowak",
        addresses=[
            {"label": "Biuro", "street": "ul. Piotrkowska 12", "postal_code": "90-001", "city": "Łódź", "country": "PL",
             "is_default": True},
            {"label": "Magazyn", "street": "Wrocławska 3", "postal_code": "50-101", "city": "Wrocław", "country": "PL"},
        ],
    )  # fmt: skip


@pytest.mark.parametrize("q", ["Łódź", "łódź", "Lodz", "lod", "LÓDŹ"])
def test_it_finds_a_customer_by_the_city_with_accents_folded(piekarnia, q):
    make_customer(name="Bäckerei Müller", addresses=[{"city": "Berlin", "country": "DE"}])
    assert found(q) == {"Piekarnia Nowak"}


@pytest.mark.parametrize("q", ["90-001", "90001", "90 001", "90", "50-101"])
def test_it_finds_a_customer_by_a_postal_code_however_it_is_written(piekarnia, q):
    make_customer(name="Bäckerei Müller", addresses=[{"postal_code": "10115", "city": "Berlin", "country": "DE"}])
    assert found(q) == {"Piekarnia Nowak"}


@pytest.mark.parametrize("q", ["piotrkowska", "Piotrkowska 12", "wroclawska", "wrocław"])
def test_it_finds_a_customer_by_the_street_or_city_of_any_address(piekarnia, q):
    assert found(q) == {"Piekarnia Nowak"}


def test_it_finds_a_german_street_spelled_either_way(db):
    make_customer(name="Bäckerei Müller", addresses=[{"street": "Königstraße 5", "city": "Köln", "country": "DE"}])
    for q in ("königstraße", "koenigstrasse", "konigstr", "koeln", "Köln"):
        assert found(q) == {"Bäckerei Müller"}, q


def test_name_and_city_narrow_each_other(piekarnia):
    make_customer(name="Piekarnia Kowalski", addresses=[{"city": "Kraków", "country": "PL"}])
    assert found("piekarnia łódź") == {"Piekarnia Nowak"}
    assert found("piekarnia krakow") == {"Piekarnia Kowalski"}


def test_it_follows_an_address_that_is_edited(piekarnia, staff):
    services.customer_update(
        customer=piekarnia,
        actor=staff,
        data={"addresses": [{"street": "Długa 1", "postal_code": "80-831", "city": "Gdańsk", "country": "PL"}]},
    )
    assert found("gdansk") == {"Piekarnia Nowak"}
    assert found("80-831") == {"Piekarnia Nowak"}
    assert found("łódź") == set()
    assert found("wrocław") == set()
    assert found("piotrkowska") == set()


def test_it_forgets_an_address_that_is_removed(piekarnia, staff):
    services.customer_update(customer=piekarnia, actor=staff, data={"addresses": []})
    assert found("łódź") == set()
    assert found("90-001") == set()
    assert found("piekarnia") == {"Piekarnia Nowak"}


def test_it_keeps_the_addresses_searchable_after_other_changes(piekarnia, staff):
    services.customer_update(customer=piekarnia, actor=staff, data={"name": "Piekarnia Nowakowie", "tags": ["VIP"]})
    assert found("wrocław") == {"Piekarnia Nowakowie"}
    assert found("łódź", tags=["VIP"]) == {"Piekarnia Nowakowie"}


def test_it_finds_customers_inserted_in_bulk_by_their_city(db, staff):
    make_customers_in_bulk([{"name": "Zakład Stolarski", "city": "Łódź", "country": "PL"}], actor=staff)
    assert found("lodz") == {"Zakład Stolarski"}
