"""Staff add coupons on the coupons page: a percentage or an amount off, dates, uses and a minimum; a wrong one
is said at its field and nothing typed is lost."""

from decimal import Decimal

import pytest

from kartei.orders.models import Coupon
from tests.factories import make_customer

pytestmark = pytest.mark.django_db


def test_a_coupon_added_on_the_page_is_listed(staff_client):
    response = staff_client.post("/orders/coupons/", {"code": "herbst10", "kind": "percent", "value": "10",
                                                      "valid_until": "2099-12-31", "max_uses": "50"})  # fmt: skip
    assert response.status_code == 302
    coupon = Coupon.objects.get()
    assert (coupon.code, coupon.percent, coupon.amount, coupon.max_uses) == ("HERBST10", Decimal("10"), None, 50)
    staff_client.post("/orders/coupons/", {"code": "FUENF", "kind": "amount", "value": "5,00", "min_order": "50"})
    page = staff_client.get("/orders/coupons/").content.decode()
    assert "HERBST10" in page and "FUENF" in page and "€5.00" in page and "from €50.00" in page and "0 / 50" in page


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [({"code": "", "value": "10"}, "code", "Enter the coupon&#x27;s code."),
     ({"code": "A B", "value": "10"}, "code", "Use up to 40 letters"),
     ({"code": "X", "value": ""}, "value", "Give a percentage or an amount off."),
     ({"code": "X", "value": "150"}, "value", "between 0 and 100"),
     ({"code": "X", "kind": "amount", "value": "-3"}, "value", "cannot be negative"),
     ({"code": "X", "value": "5", "valid_from": "2026-12-31", "valid_until": "2026-01-01"}, "valid_until",
      "valid until"),
     ({"code": "X", "value": "5", "max_uses": "0"}, "max_uses", "at least 1")],
)  # fmt: skip
def test_a_wrong_coupon_is_said_at_its_field_and_nothing_typed_is_lost(staff_client, form, field, message):
    response = staff_client.post("/orders/coupons/", {"kind": "percent", **form})

    assert response.status_code == 422
    page = response.content.decode()
    inputs = {"code": "coupon-code", "value": "coupon-value", "valid_until": "coupon-until", "max_uses": "coupon-uses"}
    field_input = page.split(f'id="{inputs[field]}"')[0].rsplit("<input", 1)[1]
    assert message in page and "is-invalid" in field_input
    assert f'value="{form["code"]}"' in page
    assert not Coupon.objects.exists()


def test_a_code_taken_in_another_case_is_refused(staff_client):
    Coupon.objects.create(code="HERBST", percent=10)

    response = staff_client.post("/orders/coupons/", {"code": "herbst", "kind": "percent", "value": "5"})

    assert response.status_code == 422 and "Another coupon has the code HERBST." in response.content.decode()


def test_a_coupon_is_limited_to_customers_found_and_ticked_on_the_page(staff_client):
    anna, ewa = make_customer(name="Anna Bakery", city="Berlin"), make_customer(name="Ewa Sklep")
    make_customer(name="Anna Nowak")

    options = staff_client.get("/orders/coupons/customers/", {"customer_q": "anna"}).content.decode()
    assert "Anna Bakery" in options and "Anna Nowak" in options and "Ewa" not in options
    assert f'name="customers" value="{anna.pk}"' in options
    options = staff_client.get("/orders/coupons/customers/", {"customer_q": "anna", "customers": anna.pk}).content
    assert "Anna Bakery" not in options.decode()  # already chosen
    nobody = staff_client.get("/orders/coupons/customers/", {"customer_q": "zzz"}).content.decode()
    assert "No customer matches" in nobody

    response = staff_client.post("/orders/coupons/", {"code": "STAMM", "kind": "percent", "value": "5",
                                                      "customers": [anna.pk, ewa.pk]})  # fmt: skip

    assert response.status_code == 302
    assert set(Coupon.objects.get().customers.all()) == {anna, ewa}
    page = staff_client.get("/orders/coupons/").content.decode()
    assert "Anna Bakery" in page and "Ewa Sklep" in page


def test_a_coupon_with_an_error_keeps_the_customers_chosen(staff_client):
    anna = make_customer(name="Anna Bakery")

    response = staff_client.post("/orders/coupons/", {"code": "", "kind": "percent", "value": "5",
                                                      "customers": [anna.pk]})  # fmt: skip

    assert response.status_code == 422
    assert f'value="{anna.pk}" id="coupon-customer-{anna.pk}" checked' in response.content.decode()


@pytest.mark.parametrize("sent", ["abc", "9999999", "1e3", "١٢", "99999999999999999999999"])
def test_a_customer_that_cannot_be_read_or_is_gone_never_makes_a_coupon_for_everyone(staff_client, sent):
    anna = make_customer(name="Anna Bakery")

    response = staff_client.post("/orders/coupons/", {"code": "STAMM", "kind": "percent", "value": "5",
                                                      "customers": [anna.pk, sent]})  # fmt: skip

    assert response.status_code == 422
    assert "coupon-customers-errors" in response.content.decode()
    assert not Coupon.objects.exists()
