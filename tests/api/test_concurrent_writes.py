"""Many people (or scripts) writing at the same moment: every database rule that fires under that pressure
answers like the check in front of it does, never with a 500, and no customer is lost. Real concurrent clients,
each with its own database connection (on PostgreSQL the writes really overlap)."""

import json
import threading

import pytest
from django.db import connection, connections
from django.test import Client

from kartei.accounts.services import api_token_create
from kartei.customers.models import Customer, Tag
from tests.factories import UserFactory, make_customer

pytestmark = pytest.mark.django_db(transaction=True)
CLIENTS = 16


def at_once(bodies: list[dict], path: str = "/api/v1/customers") -> list:
    """POST each body from its own thread and connection, all released together; the responses."""
    headers = {"Authorization": f"Bearer {api_token_create(user=UserFactory())}"}
    start = threading.Barrier(len(bodies))
    responses = [None] * len(bodies)

    def post(i: int) -> None:
        try:
            start.wait()
            responses[i] = Client().post(path, json.dumps(bodies[i]), content_type="application/json", headers=headers)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def test_of_many_adding_one_email_address_at_once_one_gets_it_and_the_others_are_told_who_has_it():
    responses = at_once([{"name": f"Bäckerei {i}", "email": "info@baeckerei.de"} for i in range(CLIENTS)])

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [422] * (CLIENTS - 1)
    owner = Customer.objects.get()
    for response in responses:
        if response.status_code == 422:
            error = response.json()["errors"][0]
            assert error["field"] == "email" and error["code"] == "duplicate_email"
            assert owner.name in error["message"]


def test_many_adding_customers_with_one_new_tag_at_once_all_get_it_and_it_exists_once():
    responses = at_once([{"name": f"Salon {i}", "tags": ["Neukunde", f"Messe {i % 2}"]} for i in range(CLIENTS)])

    assert [r.status_code for r in responses] == [201] * CLIENTS
    assert Customer.objects.count() == CLIENTS
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["Messe 0", "Messe 1", "Neukunde"]
    assert Customer.objects.filter(tags__name="Neukunde").count() == CLIENTS


def test_an_email_address_the_index_takes_for_a_duplicate_is_one_for_the_check_too(api):
    """The Kelvin sign "K" (U+212A) is "k" to PostgreSQL's LOWER, not to SQLite's: each database's check agrees
    with its own unique index."""
    make_customer(name="Kate", email="kate@example.com")
    with connection.cursor() as cursor:
        cursor.execute("SELECT LOWER(%s) = LOWER(%s)", ["\u212aate@example.com", "kate@example.com"])
        same_for_the_index = cursor.fetchone()[0]

    response = api.post("/customers", {"name": "Kelvin", "email": "\u212aate@example.com"})

    if same_for_the_index:
        assert response.status_code == 422 and response.json()["errors"][0]["code"] == "duplicate_email"
    else:
        assert response.status_code == 201


def test_of_many_adding_one_sku_at_once_one_gets_it_and_the_others_are_told_it_is_taken():
    bodies = [
        {"sku": "BRT-500" if i % 2 else "brt-500", "name": f"Brot {i}", "base_price": "4.50"} for i in range(CLIENTS)
    ]

    responses = at_once(bodies, path="/api/v1/products")

    assert sorted(r.status_code for r in responses) == [201] + [422] * (CLIENTS - 1)
    for response in responses:
        if response.status_code == 422:
            assert response.json()["errors"][0]["code"] == "duplicate_sku"


def test_of_many_using_the_last_uses_of_a_coupon_at_once_only_as_many_as_it_allows_get_it():
    from kartei.orders.models import Coupon, Order
    from tests.catalog.helpers import make_product

    bread = make_product(sku="BRT-500", base_price="3.20")
    Coupon.objects.create(code="DREI", percent=10, max_uses=3)
    customers = [make_customer(name=f"Laden {i}") for i in range(CLIENTS)]

    responses = at_once([{"customer": c.pk, "lines": [{"product": bread.pk, "quantity": 1}], "coupon": "DREI"}
                         for c in customers], path="/api/v1/orders")  # fmt: skip

    assert sorted(r.status_code for r in responses) == [201] * 3 + [422] * (CLIENTS - 3)
    for response in responses:
        if response.status_code == 422:
            assert response.json()["errors"][0] == {"field": "coupon", "code": "invalid",
                                                    "message": "The coupon DREI has been used up."}  # fmt: skip
    assert Coupon.objects.get().uses == 3 and Order.objects.count() == 3
