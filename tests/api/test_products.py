"""The products API (DESIGN.md): list and search, create, read, change; and the exchange rates. Wrong, empty,
huge and hostile input gets a 422 naming the field, and nothing stored changes."""

import json
from decimal import Decimal

import pytest

from kartei.catalog.models import ExchangeRate, Product
from tests.catalog.helpers import make_product

pytestmark = pytest.mark.django_db


def test_a_product_created_through_the_api_reads_back_as_sent(api):
    response = api.post("/products", {"sku": "BRT-500", "name": "Roggenbrot", "names": {"pl": "Chleb żytni"},
                                      "base_price": "4.50", "prices": {"PLN": "19.99"}, "unit": "piece",
                                      "min_quantity": 2, "pack_size": 6})  # fmt: skip

    assert response.status_code == 201
    body = response.json()
    assert body["sku"] == "BRT-500" and body["base_price"] == "4.5" and body["currency"] == "EUR"
    assert body["names"] == {"de": "Roggenbrot", "pl": "Chleb żytni", "en": ""}
    assert body["name"] == "Roggenbrot"  # no English name: the catalog's (German) one
    assert body["prices"] == {"PLN": "19.99"} and body["active"] is True
    assert (body["min_quantity"], body["pack_size"]) == (2, 6)
    assert api.get(f"/products/{body['id']}").json() == body
    assert api.get(f"/products/{body['id']}", HTTP_ACCEPT_LANGUAGE="pl").status_code == 200


def test_the_name_is_in_the_language_the_caller_asks_for(client, api_token):
    make_product(sku="BRT-500", name_de="Roggenbrot", name_pl="Chleb żytni")

    response = client.get("/api/v1/products", headers={"Authorization": f"Bearer {api_token}",
                                                       "Accept-Language": "pl"})  # fmt: skip

    assert response.json()["items"][0]["name"] == "Chleb żytni"


def test_the_list_is_searched_filtered_and_paged(api):
    for n in range(5):
        make_product(sku=f"SAFT-{n}", name_de=f"Saft {n}")
    make_product(sku="BRT-1", name_de="Brot", is_active=False)

    first = api.get("/products", q="saft", limit=3).json()
    rest = api.get("/products", q="saft", limit=3, cursor=first["next_cursor"]).json()
    assert [p["sku"] for p in first["items"] + rest["items"]] == [f"SAFT-{n}" for n in range(5)]
    assert rest["next_cursor"] is None
    assert [p["sku"] for p in api.get("/products", active="false").json()["items"]] == ["BRT-1"]
    assert len(api.get("/products").json()["items"]) == 6
    assert api.get("/products", cursor="forged").status_code == 422


def test_a_change_touches_only_what_was_sent(api):
    bread = make_product(sku="BRT-500", name_de="Roggenbrot", base_price="4.50", prices={"PLN": "19.99"})

    response = api.patch(f"/products/{bread.pk}", {"base_price": 4.9, "active": False})

    assert response.status_code == 200
    body = response.json()
    assert (body["base_price"], body["active"], body["prices"], body["name"]) == ("4.9", False, {"PLN": "19.99"},
                                                                                 "Roggenbrot")  # fmt: skip


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({}, "sku", "required"),
        ({"sku": "A", "base_price": "1"}, "name_de", "required"),
        ({"sku": "A b", "name": "X", "base_price": "1"}, "sku", "invalid"),
        ({"sku": "A", "name": "X", "base_price": "1,5,5"}, "base_price", "invalid"),
        ({"sku": "A", "name": "X", "base_price": -1}, "base_price", "min_value"),
        ({"sku": "A", "name": "X", "base_price": "1" * 40}, "base_price", "max_value"),
        ({"sku": "A", "name": "X", "base_price": True}, "base_price", None),
        ({"sku": "A", "name": "X", "base_price": "1", "prices": {"PLN": "1.999"}}, "prices", "invalid"),
        ({"sku": "A", "name": "X", "base_price": "1", "prices": ["PLN"]}, "prices", None),
        ({"sku": "A", "name": "X", "base_price": "1", "names": {"fr": "Pain"}}, "names", "invalid"),
        ({"sku": "A", "name": "X", "names": {"de": "Y"}, "base_price": "1"}, "name", "invalid"),
        ({"sku": "A", "name": "X" * 10_000, "base_price": "1"}, "name_de", "max_length"),
        ({"sku": "A", "name": "X\u0000", "base_price": "1"}, "name", "null_character"),
        ({"sku": "A", "name": "X", "base_price": "1", "unit": "barrel"}, "unit", "invalid_choice"),
        ({"sku": "A", "name": "X", "base_price": "1", "pack_size": 0}, "pack_size", "range"),
        ({"sku": "A", "name": "X", "base_price": "1", "colour": "red"}, "colour", "extra_forbidden"),
        ({"sku": "A", "name": "X", "base_price": "1", "active": None}, "active", None),
    ],
)
def test_wrong_input_gets_a_422_naming_the_field_and_nothing_is_stored(api, body, field, code):
    response = api.post("/products", body)

    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert field in [e["field"] for e in errors]
    if code:
        assert code in [e["code"] for e in errors if e["field"] == field]
    assert not Product.objects.exists()


def test_a_sku_taken_in_another_case_is_refused_with_a_clear_reason(api):
    make_product(sku="BRT-500")

    response = api.post("/products", {"sku": "brt-500", "name": "Zweites Brot", "base_price": "3"})

    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "sku", "message": "Another product has the SKU brt-500.",
                                          "code": "duplicate_sku"}]  # fmt: skip


def test_bodies_that_are_not_json_objects_are_refused(api):
    assert api.post("/products", "not json").status_code == 422
    assert api.post("/products", json.dumps([1, 2])).status_code == 422
    assert api.get("/products/999999").status_code == 404
    assert api.patch("/products/999999", {"name": "X"}).status_code == 404


def test_the_exchange_rates_are_read_by_everyone_and_set_by_owners(api, owner_api):
    assert api.get("/exchange-rates").json() == {}

    assert owner_api.put("/exchange-rates", {"PLN": "4.30", "CHF": 0.95}).json() == {"PLN": "4.3", "CHF": "0.95"}
    assert api.get("/exchange-rates").json() == {"CHF": "0.95", "PLN": "4.3"}
    assert owner_api.put("/exchange-rates", {"PLN": "4.25"}).status_code == 200
    assert dict(ExchangeRate.objects.values_list("currency", "rate")) == {"PLN": Decimal("4.25")}

    forbidden = api.put("/exchange-rates", {"PLN": "9"})
    assert forbidden.status_code == 403
    assert dict(ExchangeRate.objects.values_list("currency", "rate")) == {"PLN": Decimal("4.25")}


@pytest.mark.parametrize("body", [{"PLN": "0"}, {"EUR": "1"}, {"XYZ": "1"}, {"PLN": "abc"}, {"PLN": None}, ["PLN"]])
def test_wrong_rates_are_refused_and_the_stored_ones_stay(owner_api, body):
    ExchangeRate.objects.create(currency="GBP", rate=Decimal("0.85"))

    response = owner_api.put("/exchange-rates", body)

    assert response.status_code == 422
    assert dict(ExchangeRate.objects.values_list("currency", "rate")) == {"GBP": Decimal("0.85")}
