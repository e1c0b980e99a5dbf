"""Staff add coupons on the coupons page: a percentage or an amount off, dates, uses and a minimum; a wrong one
is said at its field and nothing typed is lost."""

from decimal import Decimal

import pytest

from kartei.orders.models import Coupon

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
