"""GET /api/v1/customers/{id}, and what every endpoint with an id in its path answers for ids that are not there
or are not ids at all: a JSON 404, never an HTML page or a 500."""

import pytest

from tests.api.helpers import error_body, stored_state
from tests.factories import make_customer, make_note

pytestmark = pytest.mark.django_db


def test_it_shows_a_customer_with_everything_a_client_needs(api):
    customer = make_customer(
        name="Salon Ewa",
        kind="person",
        email="ewa@salon.pl",
        phone="+48601234567",
        tags=["VIP"],
        addresses=[
            {"label": "Salon", "street": "ul. Piotrkowska 1", "postal_code": "90-001", "city": "Łódź", "country": "PL"}
        ],
    )

    response = api.get(f"/customers/{customer.pk}")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "id", "kind", "name", "vat_id", "contact_person", "email", "phone", "addresses", "status", "temperature",
        "discount_percent", "preferred_currency", "preferred_language", "marketing_consent", "marketing_consent_at",
        "system_notifications", "tags", "picture", "is_active", "source", "created_at", "updated_at", "deleted_at",
        "version", "last_order_at", "orders_total",
    }  # fmt: skip
    assert (body["id"], body["kind"], body["name"], body["tags"]) == (customer.pk, "person", "Salon Ewa", ["VIP"])
    assert body["addresses"][0]["city"] == "Łódź" and body["addresses"][0]["is_default"] is True
    assert body["version"] == customer.version
    assert (body["last_order_at"], body["orders_total"]) == (None, "0.00")  # no orders yet


def test_it_shows_an_inactive_customer(api):
    customer = make_customer(name="Sleeping", is_active=False)

    assert api.get(f"/customers/{customer.pk}").json()["is_active"] is False


BAD_IDS = [
    "0",
    "-1",
    "abc",
    "1.5",
    "1e3",
    "0x10",
    "%20",
    "1%00",
    "9223372036854775807",
    "9223372036854775808",
    "99999999999999999999999",
    "1" * 1000,
    "١٢",  # Arabic-Indic digits
]


def _endpoints(customer_id, note_id):
    return [
        ("get", f"/customers/{customer_id}"),
        ("patch", f"/customers/{customer_id}"),
        ("delete", f"/customers/{customer_id}"),
        ("post", f"/customers/{customer_id}/restore"),
        ("get", f"/customers/{customer_id}/notes"),
        ("post", f"/customers/{customer_id}/notes"),
        ("patch", f"/notes/{note_id}"),
        ("delete", f"/notes/{note_id}"),
    ]


BODIES = {"patch": {"name": "X", "text": "X"}, "post": {"text": "X"}}


@pytest.mark.parametrize("bad_id", BAD_IDS)
def test_it_answers_ids_that_are_not_there_with_a_json_404_and_changes_nothing(api, bad_id):
    customer = make_customer(name="Real")
    make_note(customer)
    before = stored_state()

    for method, path in _endpoints(bad_id, bad_id):
        call = getattr(api, method)
        if method == "patch":
            # A body fit for either endpoint is unknown fields for the other: send each its own.
            body = {"text": "X"} if path.startswith("/notes") else {"name": "X"}
            response = call(path, body)
        elif method == "post" and path.endswith("/notes"):
            response = call(path, BODIES["post"])
        else:
            response = call(path)
        error_body(response, 404)

    assert stored_state() == before


def test_it_answers_a_path_that_is_no_endpoint_with_a_json_404(api):
    for path in ["/", "/nope", "/customers/", "/customers/1/", "/customers/1/nope", "/notes", "/tags/1", "/v2"]:
        error_body(api.get(path), 404)


def test_it_answers_a_method_an_endpoint_lacks_with_a_json_405(api):
    customer = make_customer(name="Real")

    response = api.post(f"/customers/{customer.pk}", {"name": "X"})

    assert "PATCH" in error_body(response, 405)["detail"]
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "PATCH", "DELETE"}


def test_it_answers_an_error_of_ours_with_a_json_500_and_a_request_id_in_the_log(api, monkeypatch, caplog):
    from kartei.customers import queries

    make_customer(name="Salon Ewa")

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is gone")

    monkeypatch.setattr(queries, "customer_page", broken)
    response = api.get("/customers")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["request_id"] == response["X-Request-ID"] and body["request_id"] in body["detail"]
    assert "the disk is gone" not in body["detail"], "no internals for the caller"
    logged = [r for r in caplog.records if r.levelname == "ERROR" and body["request_id"] in r.getMessage()]
    assert logged and "the disk is gone" in str(logged[0].exc_info[1])
