"""Staff scroll through the customer list page by page, in the order they chose: every customer shows up
exactly once, in that order, even while others add customers; a damaged page link is told apart."""

import base64
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from kartei.core.pagination import BadCursor
from kartei.customers import services
from kartei.customers.queries import CustomerFilter, customer_page
from tests.factories import make_customer, make_customers_in_bulk

pytestmark = pytest.mark.django_db

BASE = timezone.now().replace(microsecond=0) - timedelta(days=100)

# name, city, days after BASE they joined: equal names, cities and join dates on purpose (ties go by id).
PEOPLE = [
    ("alpha", "Berlin", 10),
    ("Alpha", "berlin", 10),
    ("beta", "", 3),
    ("Gamma", "Hamburg", 30),
    ("delta", "", 30),
    ("Omega", "Aachen", 1),
    ("omega", "Zwickau", 5),
    ("Kappa", "Hamburg", 20),
    ("eta", "Bonn", 2),
    ("Zeta", "", 40),
    ("iota", "Essen", 7),
]


@pytest.fixture
def customers(db):
    """Eleven customers from an import, joined on various days, then two entered by hand today."""
    bulk = make_customers_in_bulk(
        {"name": name, "city": city, "country": "DE" if city else "", "created_at": BASE + timedelta(days=days)}
        for name, city, days in PEOPLE
    )
    by_hand = [make_customer(name="Mu", addresses=[{"city": "Dresden", "country": "DE"}]), make_customer(name="nu")]
    return bulk + by_hand


EXPECTED_ORDER = {
    "newest": lambda c: -c.pk,
    "oldest": lambda c: c.pk,
    "name": lambda c: (c.name.lower(), c.pk),
    "city": lambda c: (c.city.lower(), c.pk),
    "joined": lambda c: (c.created_at, c.pk),
}


def walk(f: CustomerFilter, limit: int) -> list:
    """Every row the list shows, following the cursor page by page to the end."""
    seen, cursor = [], None
    for _ in range(100):
        rows, cursor = customer_page(f, cursor=cursor, limit=limit)
        seen += rows
        if cursor is None:
            return seen
    raise AssertionError("the cursor never ran out")


def walk_from(f, cursor, limit):
    seen = []
    while cursor:
        rows, cursor = customer_page(f, cursor=cursor, limit=limit)
        seen += rows
    return seen


def expected(customers, sort):
    if sort == "-name":
        return sorted(customers, key=EXPECTED_ORDER["name"], reverse=True)
    return sorted(customers, key=EXPECTED_ORDER[sort])


@pytest.mark.parametrize("sort", ["newest", "oldest", "name", "-name", "city", "joined"])
@pytest.mark.parametrize("limit", [1, 4, 13])
def test_it_shows_every_customer_once_in_the_chosen_order(customers, sort, limit):
    for c in customers:
        c.refresh_from_db()
    pages = walk(CustomerFilter.from_params(sort=sort), limit)
    assert [c.pk for c in pages] == [c.pk for c in expected(customers, sort)]


def test_it_sorts_by_name_ignoring_case_and_newest_by_when_they_were_added(customers):
    names = [c.name for c in walk(CustomerFilter.from_params(sort="name"), 4)]
    assert names[:2] == ["alpha", "Alpha"]
    assert names[-1] == "Zeta"
    assert [c.name for c in walk(CustomerFilter.from_params(sort="newest"), 4)][:2] == ["nu", "Mu"]


def test_it_sorts_names_and_cities_with_accents_where_a_reader_looks_for_them(db):
    make_customers_in_bulk(
        {"name": name, "city": city, "country": "PL"}
        for name, city in [("Zakład Zielony", "Zabrze"), ("Łukasz Nowak", "Łódź"), ("Lidl", "Legnica"),
                           ("Ölmühle Ost", "Öhringen"), ("Müller", "Mielec"), ("Ortega", "Opole")]
    )  # fmt: skip
    by_name = [c.name for c in walk(CustomerFilter.from_params(sort="name"), 4)]
    assert by_name == ["Lidl", "Łukasz Nowak", "Müller", "Ölmühle Ost", "Ortega", "Zakład Zielony"]
    by_city = [c.city for c in walk(CustomerFilter.from_params(sort="-city"), 4)]
    assert by_city == ["Zabrze", "Opole", "Öhringen", "Mielec", "Łódź", "Legnica"]
    customer = make_customer(name="Anna")
    services.customer_update(customer=customer, actor=None, data={"name": "Ądam"})
    assert [c.name for c in walk(CustomerFilter.from_params(sort="name"), 4)][0] == "Ądam"


def test_it_lists_customers_without_a_city_first_when_sorted_by_city(customers):
    rows = walk(CustomerFilter.from_params(sort="city"), 5)
    assert [c.name for c in rows[:4]] == ["beta", "delta", "Zeta", "nu"]
    assert rows[-1].name == "omega"


def test_it_pages_through_a_search_in_the_chosen_order(customers):
    pages = walk(CustomerFilter.from_params(q="o", sort="-name"), 1)
    assert [c.name for c in pages] == ["omega", "Omega"]  # equal but for case: the later one first
    pages = walk(CustomerFilter.from_params(q="alp", sort="joined"), 1)
    assert [c.name for c in pages] == ["alpha", "Alpha"]


def test_it_ends_the_last_page_without_a_next_link(customers):
    rows, cursor = customer_page(CustomerFilter.from_params(), limit=13)
    assert len(rows) == 13
    assert cursor is None


def test_it_uses_the_page_size_given(customers):
    rows, cursor = customer_page(CustomerFilter.from_params(), limit=5)
    assert len(rows) == 5
    assert cursor is not None


@pytest.mark.parametrize("sort", ["newest", "oldest", "name", "joined"])
def test_it_shows_no_customer_twice_when_one_is_added_while_paging(customers, sort):
    f = CustomerFilter.from_params(sort=sort)
    first, cursor = customer_page(f, limit=4)
    make_customer(name="Aaron")  # sorts before the page already seen by name, after it by date
    make_customer(name="Zora")
    ids = [c.pk for c in first + walk_from(f, cursor, 4)]
    assert len(ids) == len(set(ids))
    assert {c.pk for c in customers} <= set(ids)


def test_it_shows_no_customer_twice_when_one_is_deleted_while_paging(customers):
    f = CustomerFilter.from_params(sort="name")
    rows, cursor = customer_page(f, limit=4)
    services.customer_delete(customer=rows[-1], actor=None)
    later = walk_from(f, cursor, 4)
    ids = [c.pk for c in rows + later]
    assert len(ids) == len(set(ids)) == len(customers)


def _raw_cursor(payload) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "sort, cursor",
    [
        pytest.param("newest", "garbage!!", id="not base64"),
        pytest.param("newest", "eyJ", id="base64 cut short"),
        pytest.param("name", "bm90IGpzb24", id="not json"),
        pytest.param("name", _raw_cursor({"sort": "name"}), id="json object"),
        pytest.param("name", _raw_cursor(["name", "alpha"]), id="two items"),
        pytest.param("name", _raw_cursor(["name", "alpha", "7"]), id="id as text"),
        pytest.param("name", _raw_cursor(["name", ["alpha"], 7]), id="value a list"),
        pytest.param("newest", _raw_cursor(["name", "alpha", 7]), id="made for another order"),
        pytest.param("joined", _raw_cursor(["joined", {"dt": "not a date"}, 7]), id="date not a date"),
        pytest.param("joined", _raw_cursor(["joined", {"when": "2024-01-01"}, 7]), id="date without dt"),
        pytest.param("joined", _raw_cursor(["joined", "yesterday", 7]), id="joined with text value"),
        pytest.param("joined", _raw_cursor(["joined", 5, 7]), id="joined with number value"),
        pytest.param("-joined", _raw_cursor(["-joined", {"dt": 5}, 7]), id="date a number"),
        pytest.param("city", _raw_cursor(["city", None, None]), id="no id"),
        pytest.param("name", "\x00\x00", id="nul bytes"),
        pytest.param("name", "é" * 50, id="not ascii"),
    ],
)
def test_it_refuses_a_damaged_page_link(customers, sort, cursor):
    with pytest.raises(BadCursor):
        customer_page(CustomerFilter.from_params(sort=sort), cursor=cursor, limit=4)


def test_it_refuses_a_page_link_cut_short(customers):
    _rows, cursor = customer_page(CustomerFilter.from_params(sort="joined"), limit=4)
    with pytest.raises(BadCursor):
        customer_page(CustomerFilter.from_params(sort="joined"), cursor=cursor[: len(cursor) // 2], limit=4)
