"""Staff paste a whole e-mail address, phone number or VAT ID into search, from an e-mail signature or an
invoice: exactly the customer it belongs to is listed, in any case and any way the number is written, on the
customers page and in the API, also with filters. Kartei looks such a key up in a b-tree index instead of
searching its words (an address's "example" and "com" match a third of any customer file)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kartei.customers import services
from kartei.customers.queries import CustomerFilter, bounded_count, customer_page, customers_matching
from tests.factories import make_customer

pytestmark = pytest.mark.django_db


def listed(q: str, **params) -> list[str]:
    f = CustomerFilter.from_params(q=q, **params)
    rows, _ = customer_page(f, limit=50)
    names = [c.name for c in rows]
    assert set(names) == set(customers_matching(f).values_list("name", flat=True)), "list and definition differ"
    assert bounded_count(f) == (len(names), False), "the count differs from the list"
    return names


def search_index_reads(q: str) -> list[str]:
    """The statements a search sends to the search index (FTS5 or the tsvector table)."""
    with CaptureQueriesContext(connection) as queries:
        customer_page(CustomerFilter.from_params(q=q), limit=24)
        bounded_count(CustomerFilter.from_params(q=q))
    return [
        q["sql"] for q in queries if "customers_customer_fts" in q["sql"] or "customers_customer_search" in q["sql"]
    ]


@pytest.fixture
def file(db):
    make_customer(name="Anna Müller", email="anna.mueller@example.com", phone="+49 30 1234567", vat_id="DE136695976")
    make_customer(name="Mueller Backwaren", email="mueller@example.com", phone="+49 30 12345678")
    make_customer(name="Example Com GmbH", email="info@example.com")
    make_customer(name="Piekarnia Nowak", vat_id="1234563218", phone="+48 501 234 567", addresses=[{"country": "PL"}])


@pytest.mark.parametrize(
    "q", ["mueller@example.com", "MUELLER@EXAMPLE.COM", "Mueller@Example.Com", " <mueller@example.com> "]
)
def test_a_whole_email_address_lists_exactly_its_customer_in_any_case(file, q):
    # Word by word, "mueller example com" would also find anna.mueller@example.com.
    assert listed(q) == ["Mueller Backwaren"]


def test_an_unknown_whole_email_address_finds_nobody(file):
    assert listed("anna@example.com") == []
    assert listed("mueller@example.org") == []


def test_an_address_typed_up_to_its_last_letters_already_finds_its_customer(file):
    assert listed("mueller@example.co") == ["Mueller Backwaren"]


def test_part_of_an_email_address_is_still_searched_by_its_words(file):
    assert set(listed("mueller@exam")) == {"Mueller Backwaren", "Anna Müller"}
    assert set(listed("anna.mueller")) == {"Anna Müller"}
    assert set(listed("mueller@")) == {"Mueller Backwaren", "Anna Müller"}


@pytest.mark.parametrize(
    "q", ["+49 30 1234567", "030 1234567", "0049 30 1234567", "030-123 45 67", "(030) 1234567", "+49 (0)30 1234567"]
)
def test_a_whole_phone_number_lists_exactly_its_customer_however_it_is_written(file, q):
    # Word by word, the digits would also find +49 30 12345678, which begins with them.
    assert listed(q) == ["Anna Müller"]


def test_the_beginning_of_a_phone_number_still_finds_every_number_that_begins_so(file):
    assert set(listed("030 12345")) == {"Anna Müller", "Mueller Backwaren"}


def test_a_whole_number_nobody_has_is_searched_as_the_beginning_of_one(file):
    make_customer(name="Kiosk", phone="+49 171 23456789")
    assert listed("0171 2345678") == ["Kiosk"]  # a valid number, and the beginning of the kiosk's
    assert listed("0171 9999999") == []


@pytest.mark.parametrize("q", ["DE136695976", "de136695976", "DE 136 695 976", "DE 136.695.976"])
def test_a_whole_vat_id_lists_exactly_its_customer(file, q):
    assert listed(q) == ["Anna Müller"]


@pytest.mark.parametrize("q", ["PL1234563218", "PL 123-456-32-18", "1234563218", "123-456-32-18"])
def test_a_polish_nip_is_found_with_or_without_its_prefix(file, q):
    assert listed(q) == ["Piekarnia Nowak"]


def test_a_key_lookup_respects_the_filters(file, staff):
    anna = make_customer(name="Anna Nowak", email="anna@nowak.pl", status="current", temperature="hot", tags=["VIP"])
    assert listed("anna@nowak.pl", status="current") == ["Anna Nowak"]
    assert listed("anna@nowak.pl", status="potential") == []
    assert listed("anna@nowak.pl", temperature=["hot"], tags=["VIP"]) == ["Anna Nowak"]
    assert listed("anna@nowak.pl", tags=["Stammkunde"]) == []
    services.customer_set_active(customer=anna, actor=staff, active=False)
    assert listed("anna@nowak.pl") == []
    assert listed("anna@nowak.pl", active="false") == ["Anna Nowak"]
    services.customer_delete(customer=anna, actor=staff)
    assert listed("anna@nowak.pl", active="false") == []


def test_a_key_lookup_keeps_the_chosen_order_and_pages(db):
    for name in ("Zeta", "Alpha", "Mu"):
        make_customer(name=name, phone="+49 30 7654321")
    for sort, expected in (("name", ["Alpha", "Mu", "Zeta"]), ("-name", ["Zeta", "Mu", "Alpha"])):
        f = CustomerFilter.from_params(q="030 7654321", sort=sort)
        first, cursor = customer_page(f, limit=2)
        second, end = customer_page(f, cursor=cursor, limit=2)
        assert [c.name for c in first + second] == expected
        assert end is None


@pytest.mark.parametrize("q", ["mueller@example.com", "030 1234567", "DE 136 695 976", "1234563218"])
def test_a_whole_key_is_looked_up_without_the_search_index(file, q):
    assert search_index_reads(q) == []


def test_words_still_go_through_the_search_index(file):
    assert search_index_reads("mueller") != []


def test_the_api_and_the_customers_page_find_a_customer_by_a_whole_key(file, api, staff_client):
    body = api.get("/customers", q="MUELLER@example.com").json()
    assert [c["name"] for c in body["items"]] == ["Mueller Backwaren"]
    body = api.get("/customers", q="030 1234567", status="potential").json()
    assert [c["name"] for c in body["items"]] == ["Anna Müller"]

    page = staff_client.get("/customers/", {"q": "DE 136 695 976"}, headers={"HX-Request": "true"})
    assert page.status_code == 200
    assert "Anna Müller" in page.content.decode()
    assert "Mueller Backwaren" not in page.content.decode()
