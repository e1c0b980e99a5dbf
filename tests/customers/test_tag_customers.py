"""Staff tag customers (VIP, regulars, new): a tag is one tag whatever case it is typed in, so the same
group is never split in two, and a customer's tags read in name order."""

import pytest

from kartei.customers import services
from kartei.customers.models import Tag
from kartei.customers.queries import CustomerFilter, customers_matching, tag_choices
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
    assert sorted(t.name for t in tag_choices()) == ["Stammkunde", "Ärzte"]
    f = CustomerFilter.from_params(tags=["STAMMKUNDE"])
    assert set(customers_matching(f).values_list("name", flat=True)) == {"Bäckerei", "Kiosk"}


def test_it_lists_tags_in_name_order_whatever_their_case(staff):
    make_customer(staff, name="Bäckerei", tags=["neu", "VIP", "Abholer", "stammkunde"])
    assert [t.name for t in tag_choices()] == ["Abholer", "neu", "stammkunde", "VIP"]


def test_the_customers_page_carries_a_few_tags_however_many_there_are(staff_client):
    from kartei.customers.models import Tag

    for n in range(300):
        Tag.objects.create(name=f"Import {n:03d}")
    page = staff_client.get("/customers/", {"tag": "Import 299"}).content.decode()

    assert page.count('name="tag"') == 21  # the chosen tag and the first 20 by name
    assert 'value="Import 299" id="f-tag-' in page and "checked" in page.split('value="Import 299"')[1][:80]
    found = staff_client.get("/customers/tags/", {"tag_search": "29", "tag": "Import 299"}).content.decode()
    assert found.count('name="tag"') == 13  # Import 299 (chosen) and 029, 129, 229, 290-298
    suggested = staff_client.get("/customers/tags/", {"for": "form", "tags_new": "VIP, import 15"}).content.decode()
    assert suggested.count("<option") == 10 and 'value="Import 150"' in suggested


def test_only_an_owner_removes_the_tags_no_customer_has_from_the_trash_page(staff_client, owner_client):
    from kartei.customers.models import Tag

    make_customer(name="Bäckerei", tags=["Stammkunde"])
    Tag.objects.create(name="Messe 2019")

    assert "Remove unused tags" not in staff_client.get("/customers/trash/").content.decode()
    assert staff_client.post("/customers/tags/unused/delete/").status_code == 403
    page = owner_client.get("/customers/trash/").content.decode()
    assert "1 tag is on no customer." in page and "Remove unused tags" in page

    response = owner_client.post("/customers/tags/unused/delete/", follow=True)
    assert "Removed 1 tag no customer had." in response.content.decode()
    assert list(Tag.objects.values_list("name", flat=True)) == ["Stammkunde"]
