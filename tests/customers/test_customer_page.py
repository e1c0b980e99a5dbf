"""The customer page: everything about one customer, deactivate, delete to the trash and back."""

import html
import re

import pytest
from django.conf import settings

from kartei.customers import services
from kartei.customers.models import Customer
from kartei.timeline import actors
from kartei.timeline.models import Event
from kartei.timeline.services import event_record
from tests.factories import make_customer, make_note

pytestmark = pytest.mark.django_db


def test_it_shows_everything_about_the_customer(staff_client):
    customer = make_customer(
        name="Piekarnia Łódź Sp. z o.o.",
        contact_person="Ewa Kowalska",
        email="biuro@piekarnia.example.pl",
        phone="+48 512 345 678",
        vat_id="PL5260250274",
        discount_percent="7.5",
        preferred_currency="PLN",
        preferred_language="pl",
        marketing_consent=True,
        addresses=[
            {"label": "Biuro", "street": "ul. Piotrkowska 1", "postal_code": "90-001", "city": "Łódź", "country": "PL"},
            {"label": "Dostawa", "street": "ul. Polna 2", "postal_code": "90-002", "city": "Łódź", "country": "PL"},
        ],
        tags=["Hurt"],
    )
    page = staff_client.get(f"/customers/{customer.pk}/").content.decode()
    for text in ("Piekarnia Łódź Sp. z o.o.", "Ewa Kowalska", "biuro@piekarnia.example.pl", "+48 512 345 678",
                 "PL5260250274", "7.5%", "PLN", "Polish", "ul. Piotrkowska 1", "ul. Polna 2", "Hurt", "Joined",
                 "Entered by hand", "Timeline", "added the customer"):  # fmt: skip
        assert text in page, text
    assert "No orders yet." in page and f"/orders/new/{customer.pk}/" in page


def test_it_is_404_for_a_customer_that_does_not_exist(staff_client):
    assert staff_client.get("/customers/999999/").status_code == 404
    assert staff_client.get("/customers/99999999999999999999999/").status_code == 404


def test_it_deactivates_and_reactivates(staff_client):
    customer = make_customer(name="Pause GmbH")
    staff_client.post(f"/customers/{customer.pk}/active/", {"active": "0"})
    customer.refresh_from_db()
    assert not customer.is_active
    assert "Inactive" in staff_client.get(f"/customers/{customer.pk}/").content.decode()
    staff_client.post(f"/customers/{customer.pk}/active/", {"active": "1"})
    customer.refresh_from_db()
    assert customer.is_active


def test_it_asks_before_deleting_and_a_get_deletes_nothing(staff_client):
    customer = make_customer(name="Careful GmbH")
    page = staff_client.get(f"/customers/{customer.pk}/delete/").content.decode()
    assert "Delete Careful GmbH?" in page and "30 days" in page
    assert Customer.objects.get(pk=customer.pk).deleted_at is None


def test_it_moves_a_deleted_customer_to_the_trash_with_an_undo(staff_client):
    customer = make_customer(name="Oops GmbH", email="oops@example.com")
    response = staff_client.post(f"/customers/{customer.pk}/delete/", follow=True)
    page = response.content.decode()
    assert "moved to the trash" in page
    assert f'action="/customers/{customer.pk}/restore/"' in page, "the message offers Undo"
    assert staff_client.get(f"/customers/{customer.pk}/").status_code == 404
    assert "Oops GmbH" in staff_client.get("/customers/trash/").content.decode()

    staff_client.post(f"/customers/{customer.pk}/restore/")
    assert staff_client.get(f"/customers/{customer.pk}/").status_code == 200
    assert "Oops GmbH" in staff_client.get("/customers/?q=oops").content.decode()


def test_it_refuses_to_restore_when_the_email_is_now_taken(staff_client):
    customer = make_customer(name="Old GmbH", email="shared@example.com")
    staff_client.post(f"/customers/{customer.pk}/delete/")
    make_customer(name="New GmbH", email="shared@example.com")
    page = staff_client.post(f"/customers/{customer.pk}/restore/", follow=True).content.decode()
    assert "Another customer now uses shared@example.com" in page
    assert Customer.objects.get(pk=customer.pk).deleted_at is not None


def test_only_post_changes_anything(staff_client):
    customer = make_customer(name="Safe GmbH")
    assert staff_client.get(f"/customers/{customer.pk}/active/").status_code == 405
    assert staff_client.get(f"/customers/{customer.pk}/restore/").status_code == 405
    customer.refresh_from_db()
    assert customer.is_active and customer.deleted_at is None


def timeline(page: str) -> list[str]:
    """The sentences of the page's timeline, top to bottom."""
    return [html.unescape(text) for text in re.findall(r'<span class="event-text">(.*?)</span>', page)]


def test_the_timeline_tells_what_happened_newest_first(staff, staff_client):
    staff.first_name, staff.last_name = "Anna", "Nowak"
    staff.save()
    customer = make_customer(staff, name="Bäckerei Müller", email="info@mueller.de")
    make_note(customer, staff, text="Wants samples")
    services.customer_update(customer=customer, actor=staff, data={"email": "shop@mueller.de", "phone": "030 1234567"})

    page = staff_client.get(f"/customers/{customer.pk}/").content.decode()

    assert timeline(page) == [
        "Anna Nowak changed the email address and the phone number",
        "Anna Nowak added a note",
        "Anna Nowak added the customer (source: Entered by hand)",
    ]
    assert '<time datetime="' in page


@pytest.mark.usefixtures("translations")
@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("de", ["Der Kunde hat eine Notiz hinterlassen", "Kartei hat den Kunden angelegt (Quelle: Import)"]),
        ("pl", ["Klient zostawił notatkę", "Dodano klienta (Kartei, źródło: Import)"]),
    ],
)
def test_the_timeline_speaks_the_chosen_language_and_names_the_customer_and_kartei(staff_client, lang, expected):
    customer = services.customer_create(actor=actors.SYSTEM, data={"name": "Piekarnia Nowak"}, source="import")
    event_record(customer=customer, kind="note.added", actor=actors.CUSTOMER, data={"priority": "none"})
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang

    page = staff_client.get(f"/customers/{customer.pk}/").content.decode()

    assert timeline(page) == expected


def test_an_event_of_an_unknown_kind_reads_neutrally_on_the_page(staff, staff_client):
    customer = make_customer(staff, name="Bäckerei Müller")
    Event.objects.create(customer=customer, kind="order.teleported", actor_type="system", data={"to": "Mars"})

    response = staff_client.get(f"/customers/{customer.pk}/")

    assert response.status_code == 200
    assert timeline(response.content.decode())[0] == "Kartei made a change"


def test_the_timeline_shows_the_newest_twenty_events(staff, staff_client):
    customer = make_customer(staff, name="Bäckerei Müller")
    for active in [False, True] * 15:
        services.customer_set_active(customer=customer, actor=staff, active=active)

    sentences = timeline(staff_client.get(f"/customers/{customer.pk}/").content.decode())

    assert len(sentences) == 20
    assert sentences[0] == "anna reactivated the customer"
