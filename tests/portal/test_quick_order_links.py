"""Staff make a customer's quick-order link on the customer page or through the API: shown once, replacing the
old one, revocable, with an optional expiry; the customer page says when it was made and last used."""

import pytest
from django.test import Client

from kartei.portal.models import QuickOrderLink
from kartei.timeline.models import Event
from tests.factories import make_customer

pytestmark = pytest.mark.django_db


def test_staff_generate_a_link_see_it_once_and_it_replaces_the_old_one(staff_client):
    customer = make_customer(name="Sklep Ewa")

    first = staff_client.post(f"/customers/{customer.pk}/quick-order-link/", {"expires": ""})
    url = first.content.decode().split('id="quick-link" value="')[1].split('"')[0]
    assert url.startswith("http://testserver/quick/")
    assert Client().get(url.removeprefix("http://testserver")).status_code == 200

    second = staff_client.post(f"/customers/{customer.pk}/quick-order-link/", {"expires": "2099-12-31"})
    new_url = second.content.decode().split('id="quick-link" value="')[1].split('"')[0]
    assert Client().get(url.removeprefix("http://testserver")).status_code == 404  # the old one stopped
    assert Client().get(new_url.removeprefix("http://testserver")).status_code == 200
    page = staff_client.get(f"/customers/{customer.pk}/").content.decode()
    assert "Made on" in page and "Works until" in page and "No order through it yet." in page
    assert new_url not in page  # never shown again
    assert [e.kind for e in Event.objects.filter(kind__startswith="quick_order")] == ["quick_order_link.created"] * 2


def test_revoking_stops_the_link(staff_client):
    customer = make_customer()
    response = staff_client.post(f"/customers/{customer.pk}/quick-order-link/", {})
    url = response.content.decode().split('id="quick-link" value="')[1].split('"')[0].removeprefix("http://testserver")

    staff_client.post(f"/customers/{customer.pk}/quick-order-link/revoke/")

    assert Client().get(url).status_code == 404 and not QuickOrderLink.objects.exists()
    assert Event.objects.filter(kind="quick_order_link.revoked").exists()


@pytest.mark.parametrize(("expires", "message"), [("gestern", "Enter the expiry as a date"),
                                                   ("2020-01-01", "Choose an expiry date in the future.")])  # fmt: skip
def test_a_wrong_expiry_is_said_and_no_link_is_made(staff_client, expires, message):
    customer = make_customer()

    response = staff_client.post(f"/customers/{customer.pk}/quick-order-link/", {"expires": expires}, follow=True)

    assert message in response.content.decode() and not QuickOrderLink.objects.exists()


def test_the_api_makes_and_revokes_links(api):
    customer = make_customer()

    made = api.post(f"/customers/{customer.pk}/quick-order-link", {})
    assert made.status_code == 201 and "/quick/" in made.json()["url"]
    assert api.post(f"/customers/{customer.pk}/quick-order-link", "").status_code == 201  # no body: no expiry
    assert (
        api.post(f"/customers/{customer.pk}/quick-order-link", {"expires_at": "2020-01-01T00:00:00Z"}).status_code
        == 422
    )
    assert api.delete(f"/customers/{customer.pk}/quick-order-link").status_code == 204
    assert api.delete(f"/customers/{customer.pk}/quick-order-link").status_code == 404
    assert api.post("/customers/999999/quick-order-link", {}).status_code == 404


def test_a_deactivated_customer_gets_no_link(api):
    from kartei.customers.services import customer_set_active

    customer = make_customer()
    customer_set_active(customer=customer, actor=None, active=False)

    assert api.post(f"/customers/{customer.pk}/quick-order-link", {}).status_code == 422
