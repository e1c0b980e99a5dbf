"""PATCH /api/v1/customers/{id}: only the fields sent change; If-Match with the ETag of a GET (412) or `version`
in the body (409) guards against lost updates."""

import pytest

from kartei.customers.models import Customer
from kartei.timeline.models import Event
from tests.api.helpers import error_body, field_error, stored_state
from tests.factories import make_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(staff):
    return make_customer(
        actor=staff,
        name="Müller GmbH",
        email="info@mueller.de",
        phone="+491712345678",
        status="potential",
        temperature="warm",
        discount_percent="5",
        addresses=[{"street": "Hauptstr. 1", "postal_code": "10115", "city": "Berlin", "country": "DE"}],
        tags=["VIP", "Neu"],
    )


def test_it_changes_only_the_fields_sent(api, customer):
    response = api.patch(f"/customers/{customer.pk}", {"status": "current", "temperature": "hot"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["temperature"]) == ("current", "hot")
    assert body["name"] == "Müller GmbH" and body["email"] == "info@mueller.de"
    assert body["tags"] == ["Neu", "VIP"] and body["discount_percent"] == "5.00"
    assert body["addresses"][0]["city"] == "Berlin"
    assert body["version"] == customer.version + 1
    customer.refresh_from_db()
    assert (customer.status, customer.temperature, customer.name) == ("current", "hot", "Müller GmbH")


def test_it_records_what_changed_on_the_timeline(api, customer, staff):
    api.patch(f"/customers/{customer.pk}", {"name": "Müller & Söhne GmbH"})

    event = Event.objects.filter(customer=customer).latest("id")
    assert (event.kind, event.actor) == ("customer.updated", staff)
    assert event.data["changes"]["name"] == ["Müller GmbH", "Müller & Söhne GmbH"]


def test_it_saves_with_the_current_version_and_refuses_a_stale_one_with_409(api, customer):
    first = api.patch(f"/customers/{customer.pk}", {"name": "First", "version": customer.version})
    assert first.status_code == 200
    before = stored_state()

    stale = api.patch(f"/customers/{customer.pk}", {"name": "Second", "version": customer.version})

    assert "changed" in error_body(stale, 409)["detail"]
    assert stored_state() == before
    assert Customer.objects.get(pk=customer.pk).name == "First"


def test_it_tags_a_customer_with_its_version_and_holds_a_change_to_an_if_match(api, customer):
    etag = api.get(f"/customers/{customer.pk}")["ETag"]
    assert etag == f'"{customer.version}"'

    first = api.patch(f"/customers/{customer.pk}", {"name": "First"}, **{"If-Match": etag})
    assert first.status_code == 200 and first["ETag"] == f'"{customer.version + 1}"'
    before = stored_state()

    stale = api.patch(f"/customers/{customer.pk}", {"name": "Second"}, **{"If-Match": etag})

    assert "changed" in error_body(stale, 412)["detail"]
    assert stored_state() == before
    assert api.patch(f"/customers/{customer.pk}", {"name": "Third"}, **{"If-Match": first["ETag"]}).status_code == 200


@pytest.mark.parametrize("if_match", ["3", 'W/"1"', '"1', '""', '"abc"', '"99999999999999999999999"', "x" * 5000])
def test_it_refuses_an_if_match_that_names_no_version_of_the_customer_with_412(api, customer, if_match):
    before = stored_state()

    response = api.patch(f"/customers/{customer.pk}", {"name": "X"}, **{"If-Match": if_match})

    error_body(response, 412)
    assert stored_state() == before


@pytest.mark.parametrize("if_match", ["*", '"0", "{version}"'])
def test_it_takes_a_star_or_a_list_holding_the_current_version(api, customer, if_match):
    header = if_match.format(version=customer.version)
    assert api.patch(f"/customers/{customer.pk}", {"name": "X"}, **{"If-Match": header}).status_code == 200


def test_without_if_match_or_version_the_last_save_wins_for_scripts(api, customer):
    api.patch(f"/customers/{customer.pk}", {"name": "First"})
    assert api.patch(f"/customers/{customer.pk}", {"name": "Second"}).json()["name"] == "Second"


@pytest.mark.parametrize("version", [0, -1, 10**30, 2**63])
def test_it_refuses_versions_that_never_were_with_409(api, customer, version):
    before = stored_state()

    response = api.patch(f"/customers/{customer.pk}", {"name": "X", "version": version})

    error_body(response, 409)
    assert stored_state() == before


def test_it_replaces_tags_and_addresses_with_the_lists_sent(api, customer):
    response = api.patch(
        f"/customers/{customer.pk}",
        {"tags": ["Stammkunde"], "addresses": [{"city": "Kraków", "country": "PL", "postal_code": "30-001"}]},
    )

    body = response.json()
    assert body["tags"] == ["Stammkunde"]
    assert [(a["city"], a["country"], a["is_default"]) for a in body["addresses"]] == [("Kraków", "PL", True)]
    customer.refresh_from_db()
    assert (customer.city, customer.country, customer.tag_names) == ("Kraków", "PL", "Stammkunde")


def test_it_clears_tags_addresses_and_the_discount_with_empty_values(api, customer):
    response = api.patch(f"/customers/{customer.pk}", {"tags": [], "addresses": [], "discount_percent": None})

    body = response.json()
    assert (body["tags"], body["addresses"], body["discount_percent"]) == ([], [], None)


def test_it_keeps_everything_and_records_nothing_for_an_empty_patch(api, customer):
    before = stored_state()

    response = api.patch(f"/customers/{customer.pk}", {})

    assert response.status_code == 200
    assert response.json()["version"] == customer.version
    assert stored_state() == before


def test_it_lets_a_customer_keep_its_own_email_in_another_case(api, customer):
    response = api.patch(f"/customers/{customer.pk}", {"email": "INFO@mueller.de"})

    assert response.status_code == 200


def test_it_refuses_the_email_of_another_customer_naming_that_customer(api, customer):
    other = make_customer(name="Other", email="other@example.com")
    before = stored_state()

    response = api.patch(f"/customers/{other.pk}", {"email": "Info@Mueller.DE"})

    error = field_error(response, "email", code="duplicate_email")
    assert error["customer"] == customer.pk
    assert stored_state() == before


def test_it_finds_the_customer_under_its_new_name(api, customer):
    api.patch(f"/customers/{customer.pk}", {"name": "Zimmermann Holzbau"})

    assert [c["id"] for c in api.get("/customers", q="zimmer").json()["items"]] == [customer.pk]
    assert api.get("/customers", q="müller").json()["items"] == []


BAD_PATCHES = [
    pytest.param({"name": None}, "name", id="name-null"),
    pytest.param({"name": ""}, "name", id="name-blank"),
    pytest.param({"name": 5}, "name", id="name-number"),
    pytest.param({"name": ["A"]}, "name", id="name-list"),
    pytest.param({"name": {"a": 1}}, "name", id="name-object"),
    pytest.param({"name": "x" * 1_000_000}, "name", id="name-1MB"),
    pytest.param({"name": "A\u0000"}, "name", id="name-NUL"),
    pytest.param({"tags": "vip"}, "tags", id="tags-string"),
    pytest.param({"tags": [f"t{i}" for i in range(10_000)]}, "tags", id="tags-10000"),
    pytest.param({"addresses": "Berlin"}, "addresses", id="addresses-string"),
    pytest.param({"addresses": [1]}, "addresses.0", id="address-number"),
    pytest.param({"addresses": [{"city": "B", "country": "XX"}]}, "addresses", id="country-unknown"),
    pytest.param({"addresses": [{"city": "c"}] * 10_000}, "addresses", id="addresses-10000"),
    pytest.param({"discount_percent": "abc"}, "discount_percent", id="discount-abc"),
    pytest.param({"discount_percent": -1}, "discount_percent", id="discount-negative"),
    pytest.param({"discount_percent": 101}, "discount_percent", id="discount-101"),
    pytest.param({"discount_percent": "NaN"}, "discount_percent", id="discount-NaN"),
    pytest.param({"status": "lost"}, "status", id="status-unknown"),
    pytest.param({"status": None}, "status", id="status-null"),
    pytest.param({"is_active": None}, "is_active", id="is-active-null"),
    pytest.param({"marketing_consent": None}, "marketing_consent", id="consent-null"),
    pytest.param({"system_notifications": "sometimes"}, "system_notifications", id="notifications-word"),
    pytest.param({"email": "nope"}, "email", id="email-invalid"),
    pytest.param({"phone": "abc"}, "phone", id="phone-invalid"),
    pytest.param({"version": "one"}, "version", id="version-word"),
    pytest.param({"version": 1.5}, "version", id="version-fraction"),
    pytest.param({"note": "hello"}, "note", id="note-is-not-patchable"),
    pytest.param({"nmae": "typo"}, "nmae", id="unknown-field"),
    pytest.param({"created_at": "2020-01-01T00:00:00Z"}, "created_at", id="read-only-field"),
]


@pytest.mark.parametrize("body, field", BAD_PATCHES)
def test_it_refuses_bad_input_with_a_422_naming_the_field_and_changes_nothing(api, customer, body, field):
    before = stored_state()

    response = api.patch(f"/customers/{customer.pk}", body)

    field_error(response, field)
    assert stored_state() == before


@pytest.mark.parametrize(
    "raw",
    ["", "{", "[]", '["name"]', '"Müller"', "null", "1", '{"name": "A\\udc00"}', "name=A"],
    ids=["empty", "invalid-json", "list", "list-of-names", "string", "null", "number", "lone-surrogate", "form"],
)
def test_it_refuses_malformed_bodies_with_a_422_and_changes_nothing(api, customer, raw):
    before = stored_state()

    response = api.patch(f"/customers/{customer.pk}", raw)

    assert error_body(response, 422)["errors"]
    assert stored_state() == before


def test_it_answers_404_for_a_customer_in_the_trash(api, customer):
    api.delete(f"/customers/{customer.pk}")
    before = stored_state()

    response = api.patch(f"/customers/{customer.pk}", {"name": "Back?"})

    error_body(response, 404)
    assert stored_state() == before


def test_it_records_consent_given_through_the_api_with_source_api(api, customer):
    response = api.patch(f"/customers/{customer.pk}", {"marketing_consent": True})

    assert response.json()["marketing_consent_at"]
    customer.refresh_from_db()
    assert (customer.marketing_consent, customer.marketing_consent_source) == (True, "api")
