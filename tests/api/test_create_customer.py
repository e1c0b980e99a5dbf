"""POST /api/v1/customers: the same service and validation as the UI; every bad input is a 422 naming the field,
never a 500, and nothing is stored."""

import json
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kartei.core.validation import single_line
from kartei.customers.models import Customer, Tag
from kartei.timeline.models import Event
from tests.api.helpers import error_body, field_error, stored_state
from tests.factories import make_customer

pytestmark = pytest.mark.django_db


def test_it_creates_a_customer_with_addresses_tags_and_a_first_note(api, staff):
    response = api.post(
        "/customers",
        {
            "kind": "company",
            "name": "Bäckerei Müller GmbH",
            "email": "Info@Mueller-Backwaren.DE",
            "phone": "0171 2345678",
            "vat_id": "DE 136 695 976",
            "contact_person": "Anna Müller",
            "status": "current",
            "temperature": "hot",
            "discount_percent": "12.5",
            "preferred_currency": "eur",
            "preferred_language": "de",
            "marketing_consent": True,
            "addresses": [
                {"label": "Work", "street": "Hauptstraße 1", "postal_code": "10115", "city": "Berlin", "country": "DE"},
                {"label": "Shipping", "street": "Lager 2", "city": "Potsdam", "country": "de", "is_default": True},
            ],
            "tags": ["VIP", "vip", " Stammkunde "],
            "note": "Wants samples.",
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    customer = Customer.objects.get(pk=body["id"])
    assert body["name"] == customer.name == "Bäckerei Müller GmbH"
    assert body["email"] == "Info@mueller-backwaren.de"
    assert body["phone"] == "+491712345678"
    assert body["vat_id"] == "DE136695976"
    assert body["discount_percent"] == "12.50" and customer.discount_percent == Decimal("12.50")
    assert body["preferred_currency"] == "EUR"
    assert body["status"] == "current" and body["temperature"] == "hot"
    assert body["marketing_consent"] is True and body["marketing_consent_at"]
    assert body["tags"] == ["Stammkunde", "VIP"]
    assert [(a["city"], a["country"], a["is_default"]) for a in body["addresses"]] == [
        ("Potsdam", "DE", True),
        ("Berlin", "DE", False),
    ]
    assert body["version"] == 1 and body["is_active"] is True
    assert customer.city == "Potsdam"
    assert customer.notes.get().text == "Wants samples."
    assert customer.notes.get().author == staff


def test_it_marks_customers_created_through_the_api_with_source_api_and_records_an_event(api, staff):
    response = api.post("/customers", {"name": "Kowalski Sp. z o.o."})

    assert response.status_code == 201
    assert response.json()["source"] == "api"
    customer = Customer.objects.get(pk=response.json()["id"])
    assert customer.source == "api"
    event = Event.objects.get(customer=customer)
    assert (event.kind, event.actor, event.data) == ("customer.created", staff, {"source": "api"})


def test_it_records_the_consent_source_as_api(api):
    response = api.post("/customers", {"name": "Consenting Ltd", "marketing_consent": True})

    assert Customer.objects.get(pk=response.json()["id"]).marketing_consent_source == "api"


def test_it_reuses_existing_tags_whatever_their_case(api):
    Tag.objects.create(name="Stammkunde", colour="green")

    response = api.post("/customers", {"name": "Salon Ewa", "tags": ["stammkunde", "Neu"]})

    assert response.status_code == 201
    assert response.json()["tags"] == ["Neu", "Stammkunde"]
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["Neu", "Stammkunde"]


def test_it_accepts_the_discount_as_a_json_number_or_a_string(api):
    as_number = api.post("/customers", {"name": "A", "discount_percent": 7.5})
    as_string = api.post("/customers", {"name": "B", "discount_percent": "100"})

    assert as_number.json()["discount_percent"] == "7.50"
    assert as_string.json()["discount_percent"] == "100.00"


def test_it_stores_html_and_sql_verbatim_and_returns_them_as_plain_json_strings(api):
    name = "<script>alert('x')</script> Robert'); DROP TABLE customers_customer;--"
    note = "<img src=x onerror=alert(1)> ' OR 1=1 --"

    response = api.post("/customers", {"name": name, "contact_person": '"><b>bold</b>', "note": note})

    assert response.status_code == 201
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["name"] == name
    customer = Customer.objects.get(pk=response.json()["id"])
    assert customer.name == name and customer.notes.get().text == note
    assert Customer.objects.count() == 1


def test_it_stores_non_latin_text(api):
    name = "Zakład Łódź — 東京 ☕ \U0001f600"

    response = api.post("/customers", {"name": name})

    assert response.status_code == 201
    assert Customer.objects.get().name == name


# Each case: body, the field the error must name (None: the body as a whole).
BAD_BODIES = [
    pytest.param({"name": 5}, "name", id="name-number"),
    pytest.param({"name": ["Müller"]}, "name", id="name-list"),
    pytest.param({"name": {"first": "A"}}, "name", id="name-object"),
    pytest.param({"name": None}, "name", id="name-null"),
    pytest.param({"name": "   "}, "name", id="name-blank"),
    pytest.param({"name": "x" * 201}, "name", id="name-too-long"),
    pytest.param({"name": "x" * 1_000_000}, "name", id="name-1MB"),
    pytest.param({"email": "a@b.de"}, "name", id="name-missing"),
    pytest.param({"name": "A", "tags": "vip"}, "tags", id="tags-string"),
    pytest.param({"name": "A", "tags": {"vip": True}}, "tags", id="tags-object"),
    pytest.param({"name": "A", "tags": [1, 2]}, "tags.0", id="tags-numbers"),
    pytest.param({"name": "A", "tags": [f"t{i}" for i in range(21)]}, "tags", id="tags-21"),
    pytest.param({"name": "A", "tags": [f"t{i}" for i in range(10_000)]}, "tags", id="tags-10000"),
    pytest.param({"name": "A", "tags": ["x" * 51]}, "tags", id="tag-too-long"),
    pytest.param({"name": "A", "discount_percent": "abc"}, "discount_percent", id="discount-abc"),
    pytest.param({"name": "A", "discount_percent": "NaN"}, "discount_percent", id="discount-NaN-string"),
    pytest.param({"name": "A", "discount_percent": "Infinity"}, "discount_percent", id="discount-Infinity-string"),
    pytest.param({"name": "A", "discount_percent": "1e400"}, "discount_percent", id="discount-1e400-string"),
    pytest.param({"name": "A", "discount_percent": "1e999999999999999999"}, "discount_percent", id="discount-huge-exp"),
    pytest.param({"name": "A", "discount_percent": -1}, "discount_percent", id="discount-negative"),
    pytest.param({"name": "A", "discount_percent": 101}, "discount_percent", id="discount-101"),
    pytest.param({"name": "A", "discount_percent": "12.345"}, "discount_percent", id="discount-3-decimals"),
    pytest.param({"name": "A", "discount_percent": True}, "discount_percent", id="discount-bool"),
    pytest.param({"name": "A", "discount_percent": [1]}, "discount_percent", id="discount-list"),
    pytest.param({"name": "A", "addresses": "Berlin"}, "addresses", id="addresses-string"),
    pytest.param({"name": "A", "addresses": {"city": "Berlin"}}, "addresses", id="addresses-object"),
    pytest.param({"name": "A", "addresses": ["Berlin"]}, "addresses.0", id="address-string"),
    pytest.param({"name": "A", "addresses": [None]}, "addresses.0", id="address-null"),
    pytest.param({"name": "A", "addresses": [[1]]}, "addresses.0", id="address-list"),
    pytest.param({"name": "A", "addresses": [{"city": "B", "country": "XX"}]}, "addresses", id="country-unknown"),
    pytest.param(
        {"name": "A", "addresses": [{"city": "B", "country": 49}]}, "addresses.0.country", id="country-number"
    ),
    pytest.param(
        {"name": "A", "addresses": [{"city": "B", "planet": "Mars"}]}, "addresses.0.planet", id="address-field"
    ),
    pytest.param({"name": "A", "addresses": [{"city": "x" * 101}]}, "addresses", id="city-too-long"),
    pytest.param(
        {"name": "A", "addresses": [{"city": "B", "is_default": True}, {"city": "C", "is_default": True}]},
        "addresses",
        id="two-defaults",
    ),
    pytest.param({"name": "A", "addresses": [{"city": f"c{i}"} for i in range(21)]}, "addresses", id="addresses-21"),
    pytest.param({"name": "A", "addresses": [{"city": "c"}] * 10_000}, "addresses", id="addresses-10000"),
    pytest.param({"name": "A", "email": "not-an-email"}, "email", id="email-invalid"),
    pytest.param({"name": "A", "email": ["a@b.de"]}, "email", id="email-list"),
    pytest.param({"name": "A", "email": "a" * 250 + "@b.de"}, "email", id="email-too-long"),
    pytest.param({"name": "A", "phone": "12"}, "phone", id="phone-short"),
    pytest.param({"name": "A", "phone": 491712345678}, "phone", id="phone-number"),
    pytest.param({"name": "A", "phone": "+" + "9" * 39}, "phone", id="phone-long-digits"),
    pytest.param({"name": "A", "vat_id": "DE123456789"}, "vat_id", id="vat-checksum"),
    pytest.param({"name": "A", "vat_id": "ZZ123"}, "vat_id", id="vat-unknown-country"),
    pytest.param({"name": "A", "vat_id": "ÄÖ123"}, "vat_id", id="vat-non-ascii-prefix"),
    pytest.param({"name": "A", "kind": "alien"}, "kind", id="kind-unknown"),
    pytest.param({"name": "A", "kind": None}, "kind", id="kind-null"),
    pytest.param({"name": "A", "status": "lost"}, "status", id="status-unknown"),
    pytest.param({"name": "A", "status": 1}, "status", id="status-number"),
    pytest.param({"name": "A", "temperature": "lukewarm"}, "temperature", id="temperature-unknown"),
    pytest.param({"name": "A", "preferred_currency": "EURO"}, "preferred_currency", id="currency-unknown"),
    pytest.param({"name": "A", "preferred_language": "fr"}, "preferred_language", id="language-unknown"),
    pytest.param({"name": "A", "is_active": "maybe"}, "is_active", id="bool-maybe"),
    pytest.param({"name": "A", "is_active": None}, "is_active", id="bool-null"),
    pytest.param({"name": "A", "marketing_consent": [True]}, "marketing_consent", id="bool-list"),
    pytest.param({"name": "A", "note": 5}, "note", id="note-number"),
    pytest.param({"name": "A", "note": "x" * 10_001}, "note", id="note-too-long"),
    pytest.param({"name": "A", "colour": "red"}, "colour", id="unknown-field"),
    pytest.param({"name": "A", "id": 5}, "id", id="read-only-id"),
    pytest.param({"name": "A", "source": "import"}, "source", id="read-only-source"),
    pytest.param({"name": "A", "version": 3}, "version", id="version-on-create"),
    pytest.param({"name": "A\u0000B"}, "name", id="name-NUL"),
    pytest.param({"name": "A", "email": "a\u0000@b.de"}, "email", id="email-NUL"),
    pytest.param({"name": "A", "tags": ["vip\u0000"]}, "tags.0", id="tag-NUL"),
    pytest.param({"name": "A", "addresses": [{"city": "Berlin\u0000"}]}, "addresses.0.city", id="city-NUL"),
    pytest.param({"name": "A", "note": "\u0000"}, "note", id="note-NUL"),
]


@pytest.mark.parametrize("body, field", BAD_BODIES)
def test_it_refuses_bad_input_with_a_422_naming_the_field_and_stores_nothing(api, body, field):
    make_customer(name="Existing", email="existing@example.com", tags=["VIP"])
    before = stored_state()

    response = api.post("/customers", body)

    field_error(response, field)
    assert stored_state() == before


# Raw bodies: not what json.dumps would send.
BAD_RAW_BODIES = [
    pytest.param('{"name": "A", "discount_percent": NaN}', "discount_percent", id="discount-NaN"),
    pytest.param('{"name": "A", "discount_percent": Infinity}', "discount_percent", id="discount-Infinity"),
    pytest.param('{"name": "A", "discount_percent": -Infinity}', "discount_percent", id="discount-minus-Infinity"),
    pytest.param('{"name": "A", "discount_percent": 1e400}', "discount_percent", id="discount-1e400"),
    pytest.param('{"name": "A\\ud800B"}', "name", id="name-lone-surrogate"),
    pytest.param('{"name": "A", "tags": ["\\udfff"]}', "tags.0", id="tag-lone-surrogate"),
    pytest.param('{"name": "A", "note": "\\ud83d"}', "note", id="note-half-emoji"),
    pytest.param("", None, id="empty-body"),
    pytest.param("{", None, id="invalid-json"),
    pytest.param("{'name': 'A'}", None, id="single-quotes"),
    pytest.param('{"name": "A",}', None, id="trailing-comma"),
    pytest.param("[]", None, id="json-list"),
    pytest.param('[{"name": "A"}]', None, id="json-list-of-customers"),
    pytest.param('"Müller"', None, id="json-string"),
    pytest.param("null", None, id="json-null"),
    pytest.param("42", None, id="json-number"),
    pytest.param("true", None, id="json-true"),
    pytest.param("name=A&email=a%40b.de", None, id="form-encoded"),
    pytest.param('{"name": ' + "1" * 5000 + "}", None, id="5000-digit-number"),
    pytest.param("[" * 100_000, None, id="deeply-nested"),
    pytest.param(b'{"name": "\xff\xfe"}', None, id="not-utf8"),
]


@pytest.mark.parametrize("raw, field", BAD_RAW_BODIES)
def test_it_refuses_malformed_bodies_with_a_422_and_stores_nothing(api, raw, field):
    before = stored_state()

    response = api.post("/customers", raw)

    field_error(response, field)
    assert stored_state() == before


def test_it_names_every_wrong_field_at_once(api):
    response = api.post("/customers", {"name": "", "email": "nope", "status": "lost"})

    assert {e["field"] for e in error_body(response, 422)["errors"]} == {"name", "email", "status"}


def test_it_refuses_a_duplicate_email_naming_the_customer_who_has_it(api):
    existing = make_customer(name="Müller GmbH", email="info@mueller.de")
    before = stored_state()

    response = api.post("/customers", {"name": "Other", "email": "INFO@Mueller.de"})

    error = field_error(response, "email", code="duplicate_email")
    assert error["customer"] == existing.pk
    assert "Müller GmbH" in error["message"]
    assert stored_state() == before


def test_it_allows_the_email_of_a_customer_in_the_trash(api):
    trashed = make_customer(name="Gone", email="info@mueller.de")
    api.delete(f"/customers/{trashed.pk}")

    response = api.post("/customers", {"name": "New", "email": "info@mueller.de"})

    assert response.status_code == 201


def test_it_refuses_a_body_over_the_upload_limit_with_a_413(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000_000
    before = stored_state()

    response = api.post("/customers", json.dumps({"name": "x" * 1_100_000}))

    error_body(response, 413)
    assert stored_state() == before


@given(
    name=st.text(st.characters(codec=None, exclude_categories=()), max_size=300),
    email=st.text(max_size=60),
    phone=st.text(max_size=40),
    vat_id=st.text(max_size=40),
)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_it_answers_any_text_with_a_201_or_a_422(api, name, email, phone, vat_id):
    # Any characters, surrogates and NUL included: stored as the one-line name it is (invisible and control
    # characters removed, see tests/core/test_text_fields.py), or refused with the field.
    before = Customer.objects.count()
    raw = json.dumps({"name": name, "email": email, "phone": phone, "vat_id": vat_id})

    response = api.post("/customers", raw)

    assert response.status_code in (201, 422), response.content[:300]
    if response.status_code == 201:
        assert response.json()["name"] == single_line(name)
        assert Customer.objects.count() == before + 1
    else:
        assert error_body(response, 422)["errors"]
        assert Customer.objects.count() == before
