"""Staff add a customer (by hand, through the API, from the shop): what they entered is stored in its
clean form, with sensible defaults, and the timeline says who added it. Bad input: test_refuse_bad_input.py."""

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


def test_it_refuses_an_email_another_customer_uses_and_names_them(staff):
    other = make_customer(name="First GmbH", email="sales@example.com")
    with pytest.raises(ValidationError) as error:
        services.customer_create(actor=staff, data={"name": "Second", "email": "SALES@example.com"})
    [problem] = error.value.error_dict["email"]
    assert problem.code == "duplicate_email"
    assert problem.params["customer_id"] == other.pk


def test_it_records_that_the_customer_was_created_and_by_whom(staff):
    customer = services.customer_create(actor=staff, data={"name": "Kiosk Nowak"})
    event = Event.objects.get(customer=customer)
    assert (event.kind, event.actor, event.data) == ("customer.created", staff, {"source": "manual"})


def test_it_records_where_a_customer_came_from(staff):
    customer = services.customer_create(actor=staff, data={"name": "Kiosk Nowak"}, source="api")
    assert customer.source == "api"
    assert Event.objects.get(customer=customer).data == {"source": "api"}


def test_it_gives_a_new_customer_sensible_defaults(staff, settings):
    settings.KARTEI_DEFAULT_CURRENCY = "PLN"
    customer = services.customer_create(actor=staff, data={"name": "  Kiosk Nowak  "})
    customer.refresh_from_db()
    assert customer.name == "Kiosk Nowak"
    assert (customer.kind, customer.status, customer.temperature) == ("company", "potential", "")
    assert customer.preferred_currency == "PLN"
    assert customer.is_active and customer.system_notifications and not customer.marketing_consent
    assert customer.version == 1
    assert customer.created_at is not None
    assert customer.deleted_at is None


@pytest.mark.parametrize(
    "value, stored",
    [
        ("12,5", Decimal("12.50")),
        ("12.5", Decimal("12.50")),
        (" 7 ", Decimal("7.00")),
        (0, Decimal("0.00")),
        ("100", Decimal("100.00")),
        (Decimal("99.99"), Decimal("99.99")),
        (15, Decimal("15.00")),
        ("", None),
        (None, None),
    ],
)
def test_it_accepts_a_discount_from_0_to_100_with_a_decimal_comma_or_point(staff, value, stored):
    customer = services.customer_create(actor=staff, data={"name": "Kiosk Nowak", "discount_percent": value})
    customer.refresh_from_db()
    assert customer.discount_percent == stored


def test_it_accepts_a_name_of_200_characters(staff):
    customer = services.customer_create(actor=staff, data={"name": "x" * 200})
    assert Customer.objects.get(pk=customer.pk).name == "x" * 200


def test_it_stores_currency_and_language_codes_whatever_their_case(staff):
    customer = services.customer_create(
        actor=staff, data={"name": "Kiosk Nowak", "preferred_currency": "pln", "preferred_language": "PL"}
    )
    customer.refresh_from_db()
    assert (customer.preferred_currency, customer.preferred_language) == ("PLN", "pl")


def test_it_reads_a_national_phone_number_in_the_customers_country(staff):
    polish = services.customer_create(
        actor=staff,
        data={"name": "Piekarnia", "phone": "501 234 567", "addresses": [{"city": "Łódź", "country": "PL"}]},
    )
    german = services.customer_create(actor=staff, data={"name": "Bäckerei", "phone": "030 12345678"})
    assert polish.phone == "+48501234567"
    assert german.phone == "+493012345678"


def test_it_reads_a_national_phone_number_in_the_businesss_country_when_the_customer_has_none(staff, settings):
    settings.KARTEI_DEFAULT_COUNTRY = "PL"
    customer = services.customer_create(actor=staff, data={"name": "Piekarnia", "phone": "501 234 567"})
    assert customer.phone == "+48501234567"


def test_it_accepts_a_polish_nip_without_prefix_for_a_customer_in_poland(staff):
    customer = services.customer_create(
        actor=staff,
        data={"name": "Piekarnia", "vat_id": "123-456-32-18", "addresses": [{"city": "Łódź", "country": "PL"}]},
    )
    assert customer.vat_id == "1234563218"


def test_it_checks_a_nip_without_prefix_against_the_default_addresss_country(staff):
    with pytest.raises(ValidationError) as error:
        services.customer_create(
            actor=staff,
            data={
                "name": "Piekarnia",
                "vat_id": "1234563218",
                "addresses": [
                    {"city": "Łódź", "country": "PL"},
                    {"city": "Berlin", "country": "DE", "is_default": True},
                ],
            },
        )
    assert list(error.value.error_dict) == ["vat_id"]
    assert not Customer.objects.exists()


def test_it_accepts_a_nip_without_prefix_when_the_business_is_in_poland(staff, settings):
    settings.KARTEI_DEFAULT_COUNTRY = "PL"
    customer = services.customer_create(actor=staff, data={"name": "Piekarnia", "vat_id": "1234563218"})
    assert customer.vat_id == "1234563218"


@pytest.mark.parametrize("vat_id, stored", [("PL 123-456-32-18", "PL1234563218"), ("de136695976", "DE136695976")])
def test_it_accepts_an_eu_vat_id_of_any_member_state_whatever_the_customers_country(staff, vat_id, stored):
    customer = services.customer_create(actor=staff, data={"name": "Kiosk", "vat_id": vat_id})
    assert customer.vat_id == stored


def test_it_accepts_an_email_that_a_customer_in_the_trash_used(staff):
    old = make_customer(staff, name="First GmbH", email="sales@example.com")
    services.customer_delete(customer=old, actor=staff)
    new = services.customer_create(actor=staff, data={"name": "Second", "email": "Sales@Example.com"})
    assert new.email == "Sales@example.com"


def test_it_drops_empty_addresses_and_makes_the_first_one_the_default(staff):
    customer = services.customer_create(
        actor=staff,
        data={"name": "Kiosk", "addresses": [{"label": "Empty"}, {"city": "Köln", "country": "de"}, {"city": "Bonn"}]},
    )
    addresses = list(customer.addresses.all())
    assert [(a.city, a.is_default) for a in addresses] == [("Köln", True), ("Bonn", False)]
    assert (customer.city, customer.country) == ("Köln", "DE")


def test_it_records_marketing_consent_with_when_and_how_it_was_given(staff):
    customer = services.customer_create(actor=staff, data={"name": "Kiosk", "marketing_consent": True}, source="shop")
    customer.refresh_from_db()
    assert customer.marketing_consent
    assert customer.marketing_consent_at is not None
    assert customer.marketing_consent_source == "shop"
