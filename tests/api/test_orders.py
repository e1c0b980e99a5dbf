"""The orders API (DESIGN.md): place an order on a customer's behalf, list and filter, read, move through the
statuses; coupons. Wrong input gets 422 naming the field, a step the order cannot take 409."""

from decimal import Decimal

import pytest

from kartei.catalog.models import ExchangeRate
from kartei.orders.models import Coupon, Order
from tests.catalog.helpers import make_product
from tests.factories import make_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def bread():
    ExchangeRate.objects.create(currency="PLN", rate=Decimal("4.30"))
    return make_product(sku="BRT-500", name_de="Roggenbrot", name_pl="Chleb żytni", base_price="3.20", pack_size=6)


def test_an_order_placed_through_the_api_is_priced_by_the_server_and_reads_back(api, bread):
    customer = make_customer(name="Sklep Ewa", discount_percent="10", preferred_currency="PLN", preferred_language="pl")
    Coupon.objects.create(code="ZEHN", percent=10)

    response = api.post("/orders", {"customer": customer.pk, "lines": [{"product": bread.pk, "quantity": 12}],
                                    "coupon": "zehn", "comment": "Bitte bis Freitag"})  # fmt: skip

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["currency"], body["subtotal"], body["coupon"], body["coupon_discount"], body["total"]) == (
        "PLN", "148.56", "ZEHN", "14.86", "133.7")  # fmt: skip
    assert body["lines"] == [{"product": bread.pk, "sku": "BRT-500", "name": "Chleb żytni", "quantity": 12,
                              "list_price": "13.76", "unit_price": "12.38", "total": "148.56"}]  # fmt: skip
    assert body["status"] == "new" and body["source"] == "api" and body["history"][0]["to"] == "new"
    assert api.get(f"/orders/{body['id']}").json() == body


def test_a_retry_with_the_same_idempotency_key_places_one_order(api, bread):
    customer = make_customer()
    body = {"customer": customer.pk, "lines": [{"product": bread.pk, "quantity": 6}]}

    first = api.post("/orders", body, **{"Idempotency-Key": "order-1"})
    again = api.post("/orders", body, **{"Idempotency-Key": "order-1"})

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and Order.objects.count() == 1
    other = api.post("/orders", {**body, "customer": make_customer().pk}, **{"Idempotency-Key": "order-1"})
    assert other.status_code == 422 and Order.objects.count() == 1  # never another customer's order


@pytest.mark.parametrize(
    ("lines", "coupon", "field", "text"),
    [
        ([], "", "lines", "Add at least one product."),
        ([{"product": 999999, "quantity": 6}], "", "lines", "No product has the id 999999."),
        ([{"product": "BREAD", "quantity": 6}], "", "lines.0.product", ""),
        ([{"product": "bread", "quantity": 0}], "", "lines.0.quantity", ""),
        ([{"product": "bread", "quantity": 7}], "", "lines", "comes in packs of 6"),
        ([{"product": "bread", "quantity": 6}], "NOPE", "coupon", "No coupon has the code NOPE."),
    ],
)
def test_an_order_that_cannot_be_placed_gets_a_422_naming_the_problem(api, bread, lines, coupon, field, text):
    customer = make_customer()
    lines = [{**line, "product": bread.pk} if line["product"] == "bread" else line for line in lines]

    response = api.post("/orders", {"customer": customer.pk, "lines": lines, "coupon": coupon})

    assert response.status_code == 422
    errors = [e for e in response.json()["errors"] if e["field"] == field]
    assert errors and text in errors[0]["message"]
    assert not Order.objects.exists()


def test_an_order_for_a_customer_who_does_not_exist_is_a_404(api, bread):
    response = api.post("/orders", {"customer": 999999, "lines": [{"product": bread.pk, "quantity": 6}]})

    assert response.status_code == 404


def test_orders_are_listed_newest_first_and_filtered(api, bread):
    anna, ewa = make_customer(name="Anna"), make_customer(name="Ewa")
    ids = [api.post("/orders", {"customer": c.pk, "lines": [{"product": bread.pk, "quantity": 6}]}).json()["id"]
           for c in (anna, ewa, anna)]  # fmt: skip
    api.post(f"/orders/{ids[0]}/transition", {"to": "confirmed"})

    assert [o["id"] for o in api.get("/orders").json()["items"]] == ids[::-1]
    assert [o["id"] for o in api.get("/orders", customer=anna.pk).json()["items"]] == [ids[2], ids[0]]
    assert [o["id"] for o in api.get("/orders", status="confirmed").json()["items"]] == [ids[0]]
    page = api.get("/orders", limit=2).json()
    assert len(page["items"]) == 2 and api.get("/orders", cursor=page["next_cursor"]).json()["items"][0]["id"] == ids[0]
    assert api.get("/orders", status="lost").status_code == 422
    assert api.get("/orders", since="2020-13-45").status_code == 422


def test_a_step_the_order_cannot_take_is_a_409_and_an_unknown_status_a_422(api, bread):
    customer = make_customer()
    order = api.post("/orders", {"customer": customer.pk, "lines": [{"product": bread.pk, "quantity": 6}]}).json()

    refused = api.post(f"/orders/{order['id']}/transition", {"to": "delivered"})
    assert refused.status_code == 409 and "from there it can go to" in refused.json()["detail"]
    assert api.post(f"/orders/{order['id']}/transition", {"to": "lost"}).status_code == 422
    moved = api.post(f"/orders/{order['id']}/transition", {"to": "confirmed"})
    assert moved.status_code == 200 and moved.json()["history"][-1]["by"] == "anna"
    assert api.post("/orders/999999/transition", {"to": "confirmed"}).status_code == 404


def test_coupons_are_created_and_listed(api):
    made = api.post("/coupons", {"code": "herbst-10", "percent": "10", "valid_until": "2026-12-31", "max_uses": 100})

    assert made.status_code == 201
    assert made.json()["code"] == "HERBST-10" and made.json()["percent"] == "10"
    assert [c["code"] for c in api.get("/coupons").json()] == ["HERBST-10"]
    duplicate = api.post("/coupons", {"code": "Herbst-10", "amount": "5"})
    assert duplicate.status_code == 422 and duplicate.json()["errors"][0]["code"] == "duplicate_code"


@pytest.mark.parametrize(
    ("body", "field"),
    [({"code": "X"}, "percent"), ({"code": "X", "percent": "10", "amount": "5"}, "percent"),
     ({"code": "X Y", "percent": "10"}, "code"), ({"code": "X", "percent": "120"}, "percent"),
     ({"code": "X", "amount": "-5"}, "amount"), ({"code": "X", "percent": 5, "customers": [999999]}, "customers"),
     ({"code": "X", "percent": 5, "valid_from": "2026-12-31", "valid_until": "2026-01-01"}, "valid_until"),
     ({"code": "", "percent": 5}, "code")],
)  # fmt: skip
def test_a_wrong_coupon_is_refused_naming_its_field(api, body, field):
    response = api.post("/coupons", body)

    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not Coupon.objects.exists()
