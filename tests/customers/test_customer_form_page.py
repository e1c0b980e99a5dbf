"""Creating and editing customers in the browser's forms: errors next to the field, nothing typed lost."""

import html
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kartei.customers.models import Customer
from tests.factories import make_customer

pytestmark = pytest.mark.django_db


def form_data(**changes):
    data = {
        "kind": "company",
        "name": "Bäckerei Müller GmbH",
        "contact_person": "Jürgen Müller",
        "vat_id": "",
        "email": "info@mueller.example.com",
        "phone": "0171 2345678",
        "status": "current",
        "temperature": "warm",
        "discount_percent": "",
        "preferred_currency": "EUR",
        "preferred_language": "de",
        "system_notifications": "on",
        "addresses-TOTAL_FORMS": "2",
        "addresses-INITIAL_FORMS": "0",
        "addresses-0-label": "Work",
        "addresses-0-street": "Hauptstraße 1",
        "addresses-0-postal_code": "10115",
        "addresses-0-city": "Berlin",
        "addresses-0-country": "DE",
        "addresses-1-label": "Shipping",
        "addresses-1-street": "Lagerweg 7",
        "addresses-1-city": "Potsdam",
        "addresses-1-country": "DE",
        "addresses-1-is_default": "on",
        "tags": ["VIP"],
        "tags_new": "Bäcker, Berlin",
        "note": "Met at the fair.",
    }
    data.update(changes)
    return data


def test_it_creates_a_customer_and_opens_its_page(staff_client):
    response = staff_client.post("/customers/new/", form_data())
    customer = Customer.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/customers/{customer.pk}/"
    assert customer.phone == "+491712345678"
    assert customer.city == "Potsdam"
    assert sorted(customer.tags.values_list("name", flat=True)) == ["Berlin", "Bäcker", "VIP"]
    assert customer.addresses.count() == 2
    page = staff_client.get(response["Location"]).content.decode()
    assert "Bäckerei Müller GmbH" in page and "Met at the fair." in page and "Lagerweg 7" in page


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("name", "", "Enter the customer"),
        ("name", "x" * 201, "Keep the name to 200 characters"),
        ("email", "info(at)mueller", "Enter an email address"),
        ("phone", "call me", "not a valid phone number"),
        ("vat_id", "DE123456789", "fails its check digits"),
        ("discount_percent", "150", "between 0 and 100"),
        ("discount_percent", "zwölf", "Enter the discount as a number"),
        ("preferred_currency", "XYZ", "is not a currency code"),
    ],
)
def test_it_shows_the_problem_next_to_the_field_and_keeps_what_was_typed(staff_client, field, value, message):
    response = staff_client.post("/customers/new/", form_data(**{field: value}))
    html = response.content.decode()
    assert response.status_code == 422
    assert message in html.replace("&#x27;", "'")
    assert f'id="id_{field}-errors"' in html, "the message sits at the field"
    assert "Lagerweg 7" in html and "Jürgen Müller" in html and "Met at the fair." in html
    assert 'value="Bäcker"' in html or "Bäcker" in html
    assert not Customer.objects.exists()


def test_it_accepts_a_german_decimal_comma(staff_client):
    staff_client.cookies["django_language"] = "de"
    staff_client.post("/customers/new/", form_data(discount_percent="12,5"))
    assert str(Customer.objects.get().discount_percent) == "12.50"


@pytest.mark.parametrize(
    "lang, stored, shown",
    [("en", "12.50", "12.5"), ("de", "12.50", "12,5"), ("pl", "7.00", "7"), ("de", "0.25", "0,25")],
)
def test_the_edit_form_shows_the_discount_as_the_customer_page_does(staff_client, lang, stored, shown):
    customer = make_customer(name="Rabatt KG", discount_percent=stored)
    staff_client.cookies["django_language"] = lang
    page = staff_client.get(f"/customers/{customer.pk}/edit/").content.decode()
    assert re.search(rf'name="discount_percent" value="{re.escape(shown)}"', page)


def test_it_links_to_the_customer_who_already_has_the_email(staff_client):
    other = make_customer(name="Erste Firma", email="info@mueller.example.com")
    html = staff_client.post("/customers/new/", form_data()).content.decode()
    assert "Erste Firma already has this email address." in html
    assert f'href="/customers/{other.pk}/"' in html
    assert Customer.objects.count() == 1


def test_it_refuses_a_file_that_is_not_a_picture(staff_client):
    upload = SimpleUploadedFile("logo.png", b"<?php echo 'hi'; ?>", content_type="image/png")
    response = staff_client.post("/customers/new/", {**form_data(), "picture": upload})
    assert response.status_code == 422
    assert "not a picture" in response.content.decode()
    assert not Customer.objects.exists()


def test_it_stores_a_resized_picture(staff_client):
    buffer = io.BytesIO()
    Image.new("RGB", (2000, 1000), "red").save(buffer, "JPEG")
    upload = SimpleUploadedFile("me.jpg", buffer.getvalue(), content_type="image/jpeg")
    staff_client.post("/customers/new/", {**form_data(), "picture": upload})
    customer = Customer.objects.get()
    with Image.open(customer.picture.path) as image:
        assert max(image.size) == 512
    assert staff_client.get(customer.picture.url).status_code == 200


def test_it_adds_a_customer_from_the_quick_dialog(staff_client):
    response = staff_client.post(
        "/customers/new/?quick=1",
        {"kind": "person", "name": "Ewa Nowak", "email": "ewa@example.pl", "status": "potential", "tags_new": "Lead"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 204
    assert "customers-changed" in response["HX-Trigger"]
    assert Customer.objects.get().name == "Ewa Nowak"


def test_all_fields_carries_what_was_typed_in_the_dialog_however_long_and_only_once(staff_client):
    note = "Zadzwonić w sprawie zamówienia próbek, Łódź. " * 150  # 6,900 characters, far past a URL's length
    typed = {"kind": "person", "name": "Salon Ewa", "email": "ewa@salon.pl", "status": "current",
             "tags": ["Fryzjer"], "tags_new": "Stały klient", "note": note, "all_fields": "1"}  # fmt: skip
    answer = staff_client.post("/customers/new/?quick=1", typed, headers={"HX-Request": "true"})
    assert answer["HX-Redirect"] == "/customers/new/?draft=1"  # nothing typed in the address

    form = staff_client.get(answer["HX-Redirect"]).content.decode()
    assert 'value="Salon Ewa"' in form and 'value="ewa@salon.pl"' in form
    assert note.strip() in html.unescape(form) and "Fryzjer" in form and "Stały klient" in form
    assert re.search(r'<option value="current"[^>]*selected', form)
    assert not Customer.objects.exists()
    assert "Salon Ewa" not in staff_client.get("/customers/new/?draft=1").content.decode()  # a fresh form after


def test_the_quick_dialog_posted_before_the_scripts_ran_still_adds_the_customer(staff_client):
    response = staff_client.post("/customers/new/?quick=1", {"kind": "company", "name": "Kiosk", "status": "potential"})
    customer = Customer.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/customers/{customer.pk}/"
    assert customer.name == "Kiosk" and not customer.addresses.exists()


def test_the_quick_dialog_shows_errors_in_place(staff_client):
    response = staff_client.post(
        "/customers/new/?quick=1", {"kind": "person", "name": "", "status": "potential"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 422
    assert "<html" not in response.content.decode()
    assert "Enter the customer" in response.content.decode().replace("&#x27;", "'")


def test_it_edits_a_customer_and_keeps_addresses_in_sync(staff_client):
    customer = make_customer(name="Old Name", addresses=[{"city": "Köln", "country": "DE"}])
    form = staff_client.get(f"/customers/{customer.pk}/edit/").content.decode()
    assert 'value="Old Name"' in form and 'value="Köln"' in form
    data = form_data(name="New Name", version=str(customer.version))
    data.pop("note")
    response = staff_client.post(f"/customers/{customer.pk}/edit/", data)
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.name == "New Name"
    assert list(customer.addresses.values_list("city", flat=True).order_by("id")) == ["Berlin", "Potsdam"]


def test_it_warns_when_someone_else_saved_first(staff_client, staff):
    customer = make_customer(name="Shared GmbH")
    stale_version = customer.version
    from kartei.customers import services

    services.customer_update(customer=customer, actor=staff, data={"name": "Changed Elsewhere"})
    data = form_data(name="My Change", version=str(stale_version))
    data.pop("note")
    html = staff_client.post(f"/customers/{customer.pk}/edit/", data).content.decode()
    assert "Someone else changed this customer" in html
    customer.refresh_from_db()
    assert customer.name == "Changed Elsewhere"


@pytest.mark.parametrize("version", [None, ""])
def test_an_edit_form_without_its_version_overwrites_nothing_and_asks_for_a_reload(staff_client, version):
    customer = make_customer(name="Shared GmbH")
    data = form_data(name="My Change")
    data.pop("note")
    if version is not None:
        data["version"] = version

    response = staff_client.post(f"/customers/{customer.pk}/edit/", data)

    assert response.status_code == 422
    assert "This page is out of date. Reload it" in response.content.decode()
    assert "My Change" in response.content.decode(), "nothing typed is lost"
    customer.refresh_from_db()
    assert customer.name == "Shared GmbH"
