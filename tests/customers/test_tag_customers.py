"""Staff tag customers (VIP, regulars, new): a tag is one tag whatever case it is typed in, so the same
group is never split in two, and a customer's tags read in name order."""

import pytest

from kartei.customers import services
from kartei.customers.models import Tag
from kartei.customers.queries import CustomerFilter, customers_matching, tags_in_use
from tests.factories import make_customer

pytestmark = pytest.mark.django_db


def test_it_creates_the_tags_that_do_not_exist_yet():
    tags = services.tags_for_names(["VIP", "Stammkunde"])
    assert [t.name for t in tags] == ["VIP", "Stammkunde"]
    assert Tag.objects.count() == 2


def test_it_reuses_a_tag_typed_in_another_case():
    vip = services.tags_for_names(["VIP"])[0]
    assert services.tags_for_names(["vip", "Vip"]) == [vip, vip]
    assert list(Tag.objects.all()) == [vip]


def test_it_reuses_a_tag_with_umlauts_typed_in_another_case():
    arzte = services.tags_for_names(["Ärzte"])[0]
    grosshandel = services.tags_for_names(["ŁÓDŹ Großhandel"])[0]
    assert services.tags_for_names(["ärzte", "ÄRZTE", "łódź großhandel"]) == [arzte, arzte, grosshandel]
    assert Tag.objects.count() == 2


def test_it_keeps_one_tag_when_a_customer_gets_it_twice_in_different_cases(staff):
    customer = make_customer(staff, name="Bäckerei", tags=["VIP", "vip", " VIP ", "", "Neu"])
    assert sorted(t.name for t in customer.tags.all()) == ["Neu", "VIP"]


def test_it_puts_customers_tagged_in_any_case_into_the_same_group(staff):
    make_customer(staff, name="Bäckerei", tags=["Stammkunde"])
    make_customer(staff, name="Kiosk", tags=["stammkunde"])
    make_customer(staff, name="Praxis", tags=["Ärzte"])
    make_customer(staff, name="Klinik", tags=["ärzte"])
    assert sorted(t.name for t in tags_in_use()) == ["Stammkunde", "Ärzte"]
    f = CustomerFilter.from_params(tags=["STAMMKUNDE"])
    assert set(customers_matching(f).values_list("name", flat=True)) == {"Bäckerei", "Kiosk"}


def test_it_lists_tags_in_name_order_whatever_their_case(staff):
    make_customer(staff, name="Bäckerei", tags=["neu", "VIP", "Abholer", "stammkunde"])
    assert [t.name for t in tags_in_use()] == ["Abholer", "neu", "stammkunde", "VIP"]
