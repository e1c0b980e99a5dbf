from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kartei.customers import services
from kartei.customers.models import Customer
from kartei.timeline.models import Event
from tests.factories import make_customer

pytestmark = pytest.mark.django_db


def test_it_stores_a_customer_with_addresses_tags_and_a_first_note(staff):
    customer = services.customer_create(
        actor=staff,
        data={
            "name": "Bäckerei Müller GmbH",
            "email": "Info@Mueller-Backwaren.DE",
            "phone": "0171 2345678",
            "vat_id": "DE 136 695 976",
            "discount_percent": "12,5",
            "addresses": [
                {"label": "Work", "street": "Hauptstraße 1", "postal_code": "10115", "city": "Berlin", "country": "DE"},
                {"label": "Shipping", "street": "Lager 2", "city": "Potsdam", "country": "de", "is_default": True},
            ],
            "tags": ["VIP", "vip", " Stammkunde "],
            "note": "Wants samples.",
        },
    )
    customer.refresh_from_db()
    assert customer.email == "Info@mueller-backwaren.de"
    assert customer.phone == "+491712345678"
    assert customer.vat_id == "DE136695976"
    assert customer.discount_percent == Decimal("12.50")
    assert customer.city == "Potsdam"
    assert sorted(t.name for t in customer.tags.all()) == ["Stammkunde", "VIP"]
    assert customer.notes.get().text == "Wants samples."
    assert list(Event.objects.filter(customer=customer).values_list("kind", flat=True).order_by("id")) == [
        "customer.created",
        "note.added",
    ]


@pytest.mark.parametrize(
    "field, value",
    [
        ("name", ""),
        ("name", "x" * 201),
        ("email", "not-an-email"),
        ("phone", "12"),
        ("vat_id", "DE123456789"),
        ("discount_percent", "101"),
        ("discount_percent", "-1"),
        ("discount_percent", "abc"),
        ("preferred_currency", "EURO"),
        ("preferred_language", "fr"),
        ("status", "lost"),
        ("temperature", "lukewarm"),
    ],
)
def test_it_refuses_bad_input_and_stores_nothing(staff, field, value):
    data = {"name": "Valid GmbH", field: value}
    with pytest.raises(ValidationError) as error:
        services.customer_create(actor=staff, data=data)
    assert field in error.value.error_dict
    assert not Customer.objects.exists()


def test_it_refuses_an_email_another_customer_uses_and_names_them(staff):
    other = make_customer(name="First GmbH", email="sales@example.com")
    with pytest.raises(ValidationError) as error:
        services.customer_create(actor=staff, data={"name": "Second", "email": "SALES@example.com"})
    [problem] = error.value.error_dict["email"]
    assert problem.code == "duplicate_email"
    assert problem.params["customer_id"] == other.pk
