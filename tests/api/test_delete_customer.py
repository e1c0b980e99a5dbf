"""DELETE /api/v1/customers/{id} moves a customer to the trash; POST …/restore brings it back."""

import pytest

from kartei.customers.models import Customer
from kartei.timeline.models import Event
from tests.api.helpers import error_body, field_error, stored_state
from tests.factories import make_customer, make_note

pytestmark = pytest.mark.django_db


def test_it_moves_a_customer_to_the_trash_and_restores_it(api, staff):
    customer = make_customer(name="Müller GmbH", email="info@mueller.de", tags=["VIP"])
    note = make_note(customer, text="Keep me")

    deleted = api.delete(f"/customers/{customer.pk}")

    assert deleted.status_code == 204 and deleted.content == b""
    error_body(api.get(f"/customers/{customer.pk}"), 404)
    error_body(api.get(f"/customers/{customer.pk}/notes"), 404)
    assert customer.pk not in [c["id"] for c in api.get("/customers").json()["items"]]
    assert api.get("/customers", q="müller").json()["items"] == []
    assert Customer.objects.get(pk=customer.pk).deleted_at is not None

    restored = api.post(f"/customers/{customer.pk}/restore")

    assert restored.status_code == 200
    assert restored.json()["id"] == customer.pk and restored.json()["tags"] == ["VIP"]
    assert api.get(f"/customers/{customer.pk}").status_code == 200
    assert [n["id"] for n in api.get(f"/customers/{customer.pk}/notes").json()] == [note.pk]
    assert [c["id"] for c in api.get("/customers", q="müller").json()["items"]] == [customer.pk]
    kinds = list(Event.objects.filter(customer=customer).order_by("id").values_list("kind", "actor"))
    assert kinds[-2:] == [("customer.deleted", staff.pk), ("customer.restored", staff.pk)]


def test_it_answers_404_when_deleting_a_customer_already_in_the_trash(api):
    customer = make_customer(name="Gone")
    api.delete(f"/customers/{customer.pk}")
    before = stored_state()

    error_body(api.delete(f"/customers/{customer.pk}"), 404)
    assert stored_state() == before


def test_it_answers_404_when_restoring_a_customer_not_in_the_trash(api):
    customer = make_customer(name="Here")
    before = stored_state()

    error_body(api.post(f"/customers/{customer.pk}/restore"), 404)
    assert stored_state() == before


def test_it_keeps_a_customer_in_the_trash_when_its_email_is_taken_meanwhile(api):
    customer = make_customer(name="Old", email="info@mueller.de")
    api.delete(f"/customers/{customer.pk}")
    make_customer(name="New", email="INFO@mueller.de")
    before = stored_state()

    response = api.post(f"/customers/{customer.pk}/restore")

    assert "info@mueller.de" in field_error(response, "email")["message"]
    assert stored_state() == before
    error_body(api.get(f"/customers/{customer.pk}"), 404)


def test_it_hides_the_notes_of_a_customer_in_the_trash(api):
    customer = make_customer(name="Gone")
    note = make_note(customer)
    api.delete(f"/customers/{customer.pk}")
    before = stored_state()

    error_body(api.patch(f"/notes/{note.pk}", {"text": "changed"}), 404)
    error_body(api.delete(f"/notes/{note.pk}"), 404)
    error_body(api.post(f"/customers/{customer.pk}/notes", {"text": "new"}), 404)
    assert stored_state() == before


def test_it_ignores_a_body_sent_with_delete(api):
    customer = make_customer(name="Gone")

    response = api._call("delete", f"/customers/{customer.pk}", {"anything": [1, 2, 3]})

    assert response.status_code == 204
