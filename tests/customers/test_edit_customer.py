"""Staff change a customer's details: the timeline shows exactly what changed (old -> new), saving an
unchanged form records nothing, and when a colleague saved in between the later save is refused instead
of silently overwriting theirs."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kartei.core.errors import ConflictError
from kartei.customers import services
from kartei.customers.models import Customer
from kartei.timeline.models import Event
from tests.factories import UserFactory, make_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(staff):
    return make_customer(
        staff,
        name="Bäckerei Müller",
        email="info@mueller.de",
        phone="+49 171 2345678",
        status="potential",
        discount_percent="12.5",
        tags=["VIP"],
        addresses=[{"street": "Hauptstraße 1", "postal_code": "10115", "city": "Berlin", "country": "DE"}],
    )


def updates(customer) -> list[Event]:
    return list(Event.objects.filter(customer=customer, kind="customer.updated").order_by("id"))


def test_it_records_only_the_fields_that_changed_with_old_and_new_value(staff, customer):
    services.customer_update(
        customer=customer,
        actor=staff,
        data={
            "name": "Bäckerei Müller",  # unchanged
            "phone": "0171 2345678",  # the same number, written differently
            "discount_percent": "12,50",  # the same discount
            "email": "bestellung@mueller.de",
            "status": "current",
        },
    )
    [event] = updates(customer)
    assert event.actor == staff
    assert event.data == {
        "changes": {"email": ["info@mueller.de", "bestellung@mueller.de"], "status": ["potential", "current"]}
    }
    customer.refresh_from_db()
    assert (customer.email, customer.status, customer.phone) == ("bestellung@mueller.de", "current", "+491712345678")


def test_it_shows_a_cleared_field_as_empty_in_the_change(staff, customer):
    services.customer_update(customer=customer, actor=staff, data={"discount_percent": "", "email": ""})
    [event] = updates(customer)
    assert event.data["changes"] == {"discount_percent": ["12.50", ""], "email": ["info@mueller.de", ""]}


def test_it_records_nothing_when_nothing_changed(staff, customer):
    saved = services.customer_update(
        customer=customer,
        actor=staff,
        data={"name": " Bäckerei Müller ", "email": "info@MUELLER.de", "phone": "+491712345678", "tags": ["vip"]},
        version=customer.version,
    )
    assert updates(customer) == []
    assert saved.version == customer.version == Customer.objects.get(pk=customer.pk).version


def test_it_counts_up_the_version_with_each_saved_change(staff, customer):
    first = services.customer_update(customer=customer, actor=staff, data={"status": "current"}, version=1)
    second = services.customer_update(customer=first, actor=staff, data={"temperature": "hot"}, version=2)
    assert (first.version, second.version) == (2, 3)
    assert Customer.objects.get(pk=customer.pk).version == 3


def test_it_refuses_to_overwrite_what_a_colleague_saved_in_between(staff, customer):
    colleague = UserFactory(username="ben")
    loaded_version = customer.version
    services.customer_update(
        customer=customer, actor=colleague, data={"name": "Bäckerei Müller & Söhne"}, version=loaded_version
    )
    with pytest.raises(ConflictError):
        services.customer_update(
            customer=customer,
            actor=staff,
            data={"name": "Müller Backwaren", "status": "current"},
            version=loaded_version,
        )
    customer.refresh_from_db()
    assert (customer.name, customer.status, customer.version) == ("Bäckerei Müller & Söhne", "potential", 2)
    assert [e.actor for e in updates(customer)] == [colleague]


def test_it_refuses_a_stale_version_even_when_the_edit_would_change_nothing(staff, customer):
    services.customer_update(customer=customer, actor=staff, data={"status": "current"})
    with pytest.raises(ConflictError):
        services.customer_update(customer=customer, actor=staff, data={"status": "current"}, version=1)


def test_it_saves_without_a_version_check_when_none_is_given(staff, customer):
    services.customer_update(customer=customer, actor=staff, data={"status": "current"})
    services.customer_update(customer=customer, actor=staff, data={"temperature": "warm"})
    customer.refresh_from_db()
    assert (customer.status, customer.temperature, customer.version) == ("current", "warm", 3)


def test_it_records_tag_changes_and_keeps_the_tags_in_name_order(staff, customer):
    services.customer_update(customer=customer, actor=staff, data={"tags": ["stammkunde", "VIP", "Abholer"]})
    customer.refresh_from_db()
    assert sorted(t.name for t in customer.tags.all()) == ["Abholer", "VIP", "stammkunde"]
    assert customer.tag_names == "Abholer, stammkunde, VIP"
    [event] = updates(customer)
    assert event.data["changes"] == {"tags": ["VIP", "Abholer, stammkunde, VIP"]}


def test_it_removes_all_tags_when_given_none(staff, customer):
    services.customer_update(customer=customer, actor=staff, data={"tags": []})
    customer.refresh_from_db()
    assert list(customer.tags.all()) == []
    assert customer.tag_names == ""


def test_it_moves_the_customer_to_the_city_of_the_new_default_address(staff, customer):
    services.customer_update(
        customer=customer,
        actor=staff,
        data={
            "addresses": [{"city": "Kraków", "country": "PL"}, {"city": "Wien", "country": "AT", "is_default": True}]
        },
    )
    customer.refresh_from_db()
    assert (customer.city, customer.country) == ("Wien", "AT")
    assert [(a.city, a.is_default) for a in customer.addresses.all()] == [("Wien", True), ("Kraków", False)]
    assert "addresses" in updates(customer)[0].data["changes"]


def test_it_records_nothing_when_the_same_addresses_are_saved_again(staff, customer):
    services.customer_update(
        customer=customer,
        actor=staff,
        data={"addresses": [{"street": "Hauptstraße 1", "postal_code": "10115", "city": "Berlin", "country": "de"}]},
    )
    assert updates(customer) == []


def test_it_reads_phone_and_nip_in_the_country_of_the_new_address(staff, customer):
    services.customer_update(
        customer=customer,
        actor=staff,
        data={"addresses": [{"city": "Łódź", "country": "PL"}], "phone": "501 234 567", "vat_id": "1234563218"},
    )
    customer.refresh_from_db()
    assert (customer.phone, customer.vat_id) == ("+48501234567", "1234563218")


def test_it_accepts_the_email_of_a_customer_in_the_trash(staff, customer):
    other = make_customer(staff, name="Alte Firma", email="hallo@example.com")
    services.customer_delete(customer=other, actor=staff)
    services.customer_update(customer=customer, actor=staff, data={"email": "Hallo@example.com"})
    customer.refresh_from_db()
    assert customer.email == "Hallo@example.com"


def test_it_keeps_the_customers_own_email_when_only_its_case_changes(staff, customer):
    services.customer_update(customer=customer, actor=staff, data={"email": "Info@mueller.de"})
    customer.refresh_from_db()
    assert customer.email == "Info@mueller.de"


def test_it_notes_when_and_through_which_channel_marketing_consent_was_given_and_withdrawn(staff, customer):
    services.customer_update(customer=customer, actor=staff, data={"marketing_consent": True}, channel="portal")
    customer.refresh_from_db()
    assert customer.marketing_consent and customer.marketing_consent_source == "portal"
    assert customer.marketing_consent_at is not None
    services.customer_update(customer=customer, actor=staff, data={"marketing_consent": False})
    customer.refresh_from_db()
    assert not customer.marketing_consent
    assert (customer.marketing_consent_at, customer.marketing_consent_source) == (None, "")
    assert [e.data["changes"]["marketing_consent"] for e in updates(customer)] == [["False", "True"], ["True", "False"]]


def test_it_stores_the_discount_in_its_clean_form(staff, customer):
    services.customer_update(customer=customer, actor=staff, data={"discount_percent": "7,25"})
    assert Customer.objects.get(pk=customer.pk).discount_percent == Decimal("7.25")


def test_it_does_not_edit_a_customer_in_the_trash(staff, customer):
    services.customer_delete(customer=customer, actor=staff)
    with pytest.raises(Customer.DoesNotExist):
        services.customer_update(customer=customer, actor=staff, data={"name": "Neu"})
    assert Customer.objects.get(pk=customer.pk).name == "Bäckerei Müller"


def test_it_refuses_a_bad_edit_even_with_a_good_field_beside_it(staff, customer):
    with pytest.raises(ValidationError) as error:
        services.customer_update(customer=customer, actor=staff, data={"status": "current", "email": "nope"})
    assert list(error.value.error_dict) == ["email"]
    assert Customer.objects.get(pk=customer.pk).status == "potential"
    assert updates(customer) == []
