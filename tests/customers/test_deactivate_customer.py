"""Staff mark a customer inactive (no longer buys, keep the history) and active again: inactive customers
leave the everyday list but stay findable under "inactive"; the timeline records each switch once."""

import pytest

from kartei.customers import services
from kartei.customers.models import Customer
from kartei.customers.queries import CustomerFilter, customers_matching
from kartei.timeline.models import Event
from tests.factories import make_customer

pytestmark = pytest.mark.django_db


def listed(**params) -> set[str]:
    return set(customers_matching(CustomerFilter.from_params(**params)).values_list("name", flat=True))


def kinds(customer) -> list[str]:
    return list(Event.objects.filter(customer=customer).order_by("id").values_list("kind", flat=True))


def test_it_moves_a_deactivated_customer_from_the_list_to_the_inactive_list(staff):
    customer = make_customer(staff, name="Bäckerei Müller")
    make_customer(staff, name="Kiosk Nowak")
    services.customer_set_active(customer=customer, actor=staff, active=False)
    assert listed() == {"Kiosk Nowak"}
    assert listed(q="müller") == set()
    assert listed(active="false") == {"Bäckerei Müller"}
    assert listed(active="false", q="müller") == {"Bäckerei Müller"}


def test_it_records_who_deactivated_and_reactivated_a_customer(staff):
    customer = make_customer(staff, name="Bäckerei Müller")
    services.customer_set_active(customer=customer, actor=staff, active=False)
    services.customer_set_active(customer=customer, actor=staff, active=True)
    assert kinds(customer) == ["customer.created", "customer.deactivated", "customer.reactivated"]
    assert set(Event.objects.filter(customer=customer).values_list("actor", flat=True)) == {staff.pk}
    assert listed() == {"Bäckerei Müller"}


def test_it_records_nothing_when_the_customer_already_is_as_asked(staff):
    customer = make_customer(staff, name="Bäckerei Müller")
    services.customer_set_active(customer=customer, actor=staff, active=True)
    services.customer_set_active(customer=customer, actor=staff, active=False)
    services.customer_set_active(customer=customer, actor=staff, active=False)
    assert kinds(customer) == ["customer.created", "customer.deactivated"]
    assert Customer.objects.get(pk=customer.pk).version == 2


def test_it_counts_up_the_version_so_an_open_edit_form_notices(staff):
    from kartei.core.errors import ConflictError

    customer = make_customer(staff, name="Bäckerei Müller")
    services.customer_set_active(customer=customer, actor=staff, active=False)
    with pytest.raises(ConflictError):
        services.customer_update(customer=customer, actor=staff, data={"name": "Neu"}, version=1)


def test_it_can_create_a_customer_that_is_inactive_from_the_start(staff):
    make_customer(staff, name="Altkunde", is_active=False)
    assert listed() == set()
    assert listed(active="no") == {"Altkunde"}


def test_it_keeps_a_deactivated_customers_notes_tags_and_details(staff):
    customer = make_customer(staff, name="Bäckerei Müller", email="info@mueller.de", tags=["VIP"], note="Pays late")
    services.customer_set_active(customer=customer, actor=staff, active=False)
    customer.refresh_from_db()
    assert (customer.email, customer.tag_names, customer.notes.count()) == ("info@mueller.de", "VIP", 1)
