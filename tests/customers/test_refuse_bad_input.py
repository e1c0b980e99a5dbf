"""Staff (or an import, or an API script) enter something a customer's field cannot hold: they are told
which field is wrong, and nothing is stored; an edit leaves the customer exactly as it was."""

import pytest
from django.core.exceptions import ValidationError

from kartei.customers import services
from kartei.customers.models import Customer, Tag
from kartei.timeline.models import Event
from tests.factories import make_customer

pytestmark = pytest.mark.django_db

BAD_INPUT = [
    ("name", ""),
    ("name", "   "),
    ("name", "x" * 201),
    ("name", "Bäckerei\x00Müller"),
    ("name", "Bäckerei \ud800"),
    ("kind", "robot"),
    ("email", "not-an-email"),
    ("email", "anna@"),
    ("email", "@example.com"),
    ("email", "anna@example"),
    ("email", "anna müller@example.com"),
    ("email", "a@b@example.com"),
    ("email", "x" * 250 + "@example.com"),
    ("email", "anna@\ud800.de"),
    ("phone", "12"),
    ("phone", "call me"),
    ("phone", "+49 171"),
    ("phone", "1" * 41),
    ("vat_id", "DE123456789"),
    ("vat_id", "PL1234563219"),
    ("vat_id", "1234563218"),  # a valid Polish NIP, but the customer is German (the business's country)
    ("vat_id", "XX123"),
    ("vat_id", "DE" + "1" * 40),
    ("contact_person", "x" * 201),
    ("contact_person", "\x00"),
    ("status", "lost"),
    ("temperature", "lukewarm"),
    ("discount_percent", "101"),
    ("discount_percent", "100.01"),
    ("discount_percent", "-1"),
    ("discount_percent", "-0.01"),
    ("discount_percent", "abc"),
    ("discount_percent", "12,5 %"),
    ("discount_percent", "1,000.5"),
    ("discount_percent", "12.345"),
    ("discount_percent", "NaN"),
    ("discount_percent", "Infinity"),
    ("discount_percent", "1e999999"),
    ("discount_percent", [10]),
    ("preferred_currency", "EURO"),
    ("preferred_currency", "XYZ"),
    ("preferred_currency", "€"),
    ("preferred_language", "fr"),
    ("preferred_language", "deutsch"),
    ("tags", ["x" * 51]),
    ("tags", [f"tag {i}" for i in range(21)]),
    ("tags", ["VIP\x00"]),
    ("addresses", [{"city": "Berlin", "country": "XX"}]),
    ("addresses", [{"city": "x" * 101, "country": "DE"}]),
    ("addresses", [{"street": "Teststraße\x00 1", "country": "DE"}]),
    ("addresses", [{"city": "Berlin", "is_default": True}, {"city": "Potsdam", "is_default": True}]),
    ("addresses", [{"city": f"Stadt {i}"} for i in range(21)]),
    ("note", "x" * 10_001),
    ("note", "Ruft zurück\x00"),
]


def _ids(case):
    field, value = case
    return f"{field}={str(value)[:30]!r}"


@pytest.mark.parametrize("field, value", BAD_INPUT, ids=[_ids(c) for c in BAD_INPUT])
def test_it_refuses_bad_input_on_create_names_the_field_and_stores_nothing(staff, field, value):
    with pytest.raises(ValidationError) as error:
        services.customer_create(actor=staff, data={"name": "Valid GmbH", field: value})
    assert list(error.value.error_dict) == [field]
    assert all(str(message) for message in error.value.messages)
    assert not Customer.objects.exists()
    assert not Event.objects.exists()
    assert not Tag.objects.exists()


@pytest.mark.parametrize("field, value", BAD_INPUT, ids=[_ids(c) for c in BAD_INPUT])
def test_it_refuses_bad_input_on_edit_and_leaves_the_customer_as_it_was(staff, field, value):
    customer = make_customer(
        staff,
        name="Bäckerei Müller",
        email="info@mueller.de",
        phone="+49 171 2345678",
        discount_percent="5",
        tags=["VIP"],
        addresses=[{"street": "Hauptstraße 1", "city": "Berlin", "country": "DE"}],
    )
    before = Customer.objects.values().get(pk=customer.pk)
    addresses_before = list(customer.addresses.values())
    events_before = Event.objects.count()
    with pytest.raises(ValidationError) as error:
        services.customer_update(customer=customer, actor=staff, data={field: value}, version=customer.version)
    assert list(error.value.error_dict) == [field]
    assert Customer.objects.values().get(pk=customer.pk) == before
    assert list(customer.addresses.values()) == addresses_before
    assert [t.name for t in customer.tags.all()] == ["VIP"]
    assert Event.objects.count() == events_before
    assert list(Tag.objects.values_list("name", flat=True)) == ["VIP"]


def test_it_names_every_wrong_field_at_once(staff):
    with pytest.raises(ValidationError) as error:
        services.customer_create(
            actor=staff,
            data={"name": "", "email": "nope", "phone": "12", "discount_percent": "200", "preferred_language": "fr"},
        )
    assert set(error.value.error_dict) == {"name", "email", "phone", "discount_percent", "preferred_language"}


def test_it_asks_for_a_name_when_none_is_given(staff):
    with pytest.raises(ValidationError) as error:
        services.customer_create(actor=staff, data={"email": "info@example.com"})
    assert list(error.value.error_dict) == ["name"]
    assert not Customer.objects.exists()


def test_it_refuses_an_edit_to_an_email_another_customer_uses_whatever_its_case(staff):
    make_customer(staff, name="First GmbH", email="sales@example.com")
    second = make_customer(staff, name="Second", email="second@example.com")
    with pytest.raises(ValidationError) as error:
        services.customer_update(customer=second, actor=staff, data={"email": "Sales@EXAMPLE.com"})
    assert list(error.value.error_dict) == ["email"]
    second.refresh_from_db()
    assert second.email == "second@example.com"
