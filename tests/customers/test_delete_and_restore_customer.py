"""Staff delete a customer: it goes to the trash, out of every list and search, and frees its email
address; staff can restore it from the trash, unless another customer took that email meanwhile."""

import pytest
from django.core.exceptions import ValidationError

from kartei.customers import services
from kartei.customers.models import Customer
from kartei.customers.queries import CustomerFilter, customer_detail, customers_matching, trash_page
from kartei.timeline.models import Event
from tests.factories import make_customer, make_note


def trash() -> list:
    return trash_page(limit=100)[0]


pytestmark = pytest.mark.django_db


def listed(**params) -> set[str]:
    return set(customers_matching(CustomerFilter.from_params(**params)).values_list("name", flat=True))


def kinds(customer) -> list[str]:
    return list(Event.objects.filter(customer=customer).order_by("id").values_list("kind", flat=True))


def test_it_moves_a_deleted_customer_to_the_trash(staff):
    customer = make_customer(staff, name="Bäckerei Müller", email="info@mueller.de")
    make_customer(staff, name="Kiosk Nowak")
    services.customer_delete(customer=customer, actor=staff)
    assert listed() == {"Kiosk Nowak"}
    assert listed(q="müller") == set()
    assert listed(active="false") == set()
    assert [c.name for c in trash()] == ["Bäckerei Müller"]
    with pytest.raises(Customer.DoesNotExist):
        customer_detail(customer.pk)
    assert customer_detail(customer.pk, include_deleted=True).is_deleted


def test_it_keeps_everything_of_a_customer_in_the_trash(staff):
    customer = make_customer(staff, name="Bäckerei Müller", tags=["VIP"], addresses=[{"city": "Berlin"}])
    make_note(customer, staff, text="Pays late")
    services.customer_delete(customer=customer, actor=staff)
    services.customer_restore(customer=customer, actor=staff)
    restored = customer_detail(customer.pk)
    assert [t.name for t in restored.tags.all()] == ["VIP"]
    assert [a.city for a in restored.addresses.all()] == ["Berlin"]
    assert [n.text for n in restored.notes.all()] == ["Pays late"]


def test_it_records_who_deleted_and_restored_a_customer(staff):
    customer = make_customer(staff, name="Bäckerei Müller")
    services.customer_delete(customer=customer, actor=staff)
    services.customer_restore(customer=customer, actor=staff)
    assert kinds(customer) == ["customer.created", "customer.deleted", "customer.restored"]
    assert set(Event.objects.filter(customer=customer).values_list("actor", flat=True)) == {staff.pk}


def test_it_lists_the_trash_most_recently_deleted_first(staff):
    for name in ("First", "Second", "Third"):
        services.customer_delete(customer=make_customer(staff, name=name), actor=staff)
    assert [c.name for c in trash()] == ["Third", "Second", "First"]


def test_it_brings_a_restored_customer_back_to_the_list_and_search(staff):
    customer = make_customer(staff, name="Bäckerei Müller", status="current", tags=["VIP"])
    services.customer_delete(customer=customer, actor=staff)
    restored = services.customer_restore(customer=customer, actor=staff)
    assert restored.deleted_at is None
    assert listed(q="müller", status="current", tags=["VIP"]) == {"Bäckerei Müller"}
    assert list(trash()) == []


def test_it_restores_an_inactive_customer_as_inactive(staff):
    customer = make_customer(staff, name="Bäckerei Müller")
    services.customer_set_active(customer=customer, actor=staff, active=False)
    services.customer_delete(customer=customer, actor=staff)
    services.customer_restore(customer=customer, actor=staff)
    assert listed() == set()
    assert listed(active="false") == {"Bäckerei Müller"}


def test_it_frees_the_email_of_a_deleted_customer_for_a_new_one(staff):
    old = make_customer(staff, name="Alte Firma", email="info@mueller.de")
    services.customer_delete(customer=old, actor=staff)
    new = make_customer(staff, name="Neue Firma", email="INFO@mueller.de")
    assert Customer.objects.get(pk=new.pk).email == "INFO@mueller.de"


def test_it_refuses_to_restore_a_customer_whose_email_another_customer_now_uses(staff):
    old = make_customer(staff, name="Alte Firma", email="info@mueller.de")
    services.customer_delete(customer=old, actor=staff)
    make_customer(staff, name="Neue Firma", email="Info@Mueller.de")
    with pytest.raises(ValidationError) as error:
        services.customer_restore(customer=old, actor=staff)
    assert list(error.value.error_dict) == ["email"]
    assert "info@mueller.de" in error.value.error_dict["email"][0].message % error.value.error_dict["email"][0].params
    assert [c.name for c in trash()] == ["Alte Firma"]
    assert kinds(old) == ["customer.created", "customer.deleted"]


def test_it_restores_the_customer_once_the_other_customer_changed_email(staff):
    old = make_customer(staff, name="Alte Firma", email="info@mueller.de")
    services.customer_delete(customer=old, actor=staff)
    new = make_customer(staff, name="Neue Firma", email="info@mueller.de")
    services.customer_update(customer=new, actor=staff, data={"email": "neu@mueller.de"})
    services.customer_restore(customer=old, actor=staff)
    assert listed() == {"Alte Firma", "Neue Firma"}


def test_it_restores_a_customer_whose_email_only_another_trashed_customer_uses(staff):
    first = make_customer(staff, name="Erste", email="info@mueller.de")
    services.customer_delete(customer=first, actor=staff)
    second = make_customer(staff, name="Zweite", email="info@mueller.de")
    services.customer_delete(customer=second, actor=staff)
    services.customer_restore(customer=first, actor=staff)
    assert listed() == {"Erste"}


def test_it_cannot_delete_a_customer_twice_or_restore_one_not_in_the_trash(staff):
    customer = make_customer(staff, name="Bäckerei Müller")
    with pytest.raises(Customer.DoesNotExist):
        services.customer_restore(customer=customer, actor=staff)
    services.customer_delete(customer=customer, actor=staff)
    with pytest.raises(Customer.DoesNotExist):
        services.customer_delete(customer=customer, actor=staff)
    assert kinds(customer) == ["customer.created", "customer.deleted"]
