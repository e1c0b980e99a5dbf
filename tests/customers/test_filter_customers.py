"""Staff narrow the customer list by status, temperature, tags and active/inactive, with or without a
search; the filters combine, and customers in the trash never show."""

import pytest

from kartei.customers import services
from kartei.customers.queries import CustomerFilter, bounded_count, customer_page, customers_matching
from tests.factories import make_customer

pytestmark = pytest.mark.django_db


def listed(**params) -> set[str]:
    return set(customers_matching(CustomerFilter.from_params(**params)).values_list("name", flat=True))


@pytest.fixture
def customers(db):
    make_customer(name="Bäckerei Müller", status="current", temperature="hot", tags=["VIP", "Stammkunde"])
    make_customer(name="Müller Transporte", status="potential", temperature="warm", tags=["VIP"])
    make_customer(name="Café Schulz", status="potential", temperature="cold", tags=["Stammkunde"])
    make_customer(name="Kiosk Nowak", status="potential", temperature="not_interested")
    make_customer(name="Blumen Weber", status="current")
    old = make_customer(name="Alte Mühle Müller", status="current", temperature="hot", tags=["VIP", "Stammkunde"])
    services.customer_set_active(customer=old, actor=None, active=False)
    gone = make_customer(name="Gelöscht Müller", status="current", temperature="hot", tags=["VIP", "Stammkunde"])
    services.customer_delete(customer=gone, actor=None)
    gone_inactive = make_customer(name="Inaktiv Gelöscht Müller", status="current", tags=["VIP"])
    services.customer_set_active(customer=gone_inactive, actor=None, active=False)
    services.customer_delete(customer=gone_inactive, actor=None)


ACTIVE = {"Bäckerei Müller", "Müller Transporte", "Café Schulz", "Kiosk Nowak", "Blumen Weber"}


def test_it_lists_every_active_customer_when_nothing_is_chosen(customers):
    assert listed() == ACTIVE


def test_it_lists_customers_of_one_status(customers):
    assert listed(status="current") == {"Bäckerei Müller", "Blumen Weber"}
    assert listed(status="potential") == {"Müller Transporte", "Café Schulz", "Kiosk Nowak"}


def test_it_lists_customers_of_any_of_the_temperatures_chosen(customers):
    assert listed(temperature=["hot"]) == {"Bäckerei Müller"}
    assert listed(temperature=["hot", "cold"]) == {"Bäckerei Müller", "Café Schulz"}
    assert listed(temperature=["warm", "cold", "not_interested"]) == {"Müller Transporte", "Café Schulz", "Kiosk Nowak"}


def test_it_lists_customers_that_have_every_tag_chosen(customers):
    assert listed(tags=["VIP"]) == {"Bäckerei Müller", "Müller Transporte"}
    assert listed(tags=["Stammkunde"]) == {"Bäckerei Müller", "Café Schulz"}
    assert listed(tags=["VIP", "Stammkunde"]) == {"Bäckerei Müller"}
    assert listed(tags=["VIP", "Nonexistent"]) == set()


def test_it_matches_tags_whatever_their_case(customers):
    assert listed(tags=["vip", "STAMMKUNDE"]) == {"Bäckerei Müller"}


def test_it_matches_tags_with_umlauts_whatever_their_case(db):
    make_customer(name="Praxis Dr. Lange", tags=["Ärzte"])
    make_customer(name="Kanzlei Roth", tags=["Anwälte"])
    assert listed(tags=["ärzte"]) == {"Praxis Dr. Lange"}
    assert listed(tags=["ÄRZTE"]) == {"Praxis Dr. Lange"}
    assert listed(tags=["ANWÄLTE"]) == {"Kanzlei Roth"}


def test_it_lists_only_inactive_customers_when_asked_for_inactive_ones(customers):
    assert listed(active="false") == {"Alte Mühle Müller"}
    for word in ("0", "no", "off", "False", " FALSE "):
        assert listed(active=word) == {"Alte Mühle Müller"}, word
    for word in ("", "1", "true", "yes", "on", "whatever"):
        assert listed(active=word) == ACTIVE, word


def test_it_combines_filters_and_search(customers):
    assert listed(q="müller") == {"Bäckerei Müller", "Müller Transporte"}
    assert listed(q="müller", status="current") == {"Bäckerei Müller"}
    assert listed(q="müller", tags=["VIP"], temperature=["warm"]) == {"Müller Transporte"}
    assert listed(q="müller", status="current", temperature=["hot"], tags=["VIP", "Stammkunde"]) == {"Bäckerei Müller"}
    assert listed(q="müller", active="false") == {"Alte Mühle Müller"}
    assert listed(q="müller", active="false", tags=["VIP"], temperature=["hot"]) == {"Alte Mühle Müller"}
    assert listed(q="schulz", status="current") == set()


def test_it_never_lists_customers_in_the_trash(customers):
    everything = [
        {},
        {"active": "false"},
        {"q": "gelöscht"},
        {"q": "gelöscht", "active": "false"},
        {"tags": ["VIP"]},
        {"status": "current", "temperature": ["hot"], "tags": ["VIP", "Stammkunde"]},
    ]
    for params in everything:
        names = listed(**params)
        assert not {n for n in names if "Gelöscht" in n}, params
        rows, _ = customer_page(CustomerFilter.from_params(**params), limit=50)
        assert not {c.name for c in rows if "Gelöscht" in c.name}, params


def test_it_ignores_parameters_that_mean_nothing_so_old_links_still_open(customers):
    f = CustomerFilter.from_params(status="lost", temperature=["lukewarm", "hot"], sort="shoe size", tags=["", "  "])
    assert f.status == "" and f.temperature == ["hot"] and f.sort == "newest" and f.tags == []
    assert listed(status="lost", temperature=["lukewarm", "hot"], sort="shoe size") == {"Bäckerei Müller"}


def test_it_says_whether_the_list_is_narrowed(db):
    assert not CustomerFilter.from_params().is_narrowed()
    assert not CustomerFilter.from_params(status="lost", q="  ").is_narrowed()
    for params in ({"q": "a"}, {"status": "current"}, {"temperature": ["hot"]}, {"tags": ["VIP"]}, {"active": "no"}):
        assert CustomerFilter.from_params(**params).is_narrowed(), params


def test_it_counts_matching_customers_up_to_a_bound(customers):
    assert bounded_count(CustomerFilter.from_params()) == (5, False)
    assert bounded_count(CustomerFilter.from_params(), bound=5) == (5, False)
    assert bounded_count(CustomerFilter.from_params(), bound=3) == (3, True)
    assert bounded_count(CustomerFilter.from_params(q="müller")) == (2, False)
    assert bounded_count(CustomerFilter.from_params(q="xylophon")) == (0, False)
    assert bounded_count(CustomerFilter.from_params(active="no")) == (1, False)


def test_it_counts_one_status_when_the_board_asks_for_it(customers):
    assert bounded_count(CustomerFilter.from_params(), status="current") == (2, False)
    rows, _ = customer_page(CustomerFilter.from_params(), status="potential", limit=50)
    assert {c.name for c in rows} == {"Müller Transporte", "Café Schulz", "Kiosk Nowak"}
