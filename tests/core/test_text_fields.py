"""What people paste into a text field: terminal colours, line breaks in a one-line field, invisible characters,
a right-to-left override that disguises a file name. One-line fields keep what shows and drop the rest; a name
must show something. Through the API and the form alike."""

import pytest

from kartei.core.validation import multi_line, single_line
from kartei.customers.models import Customer, Note
from tests.customers.test_customer_form_page import form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("Bäckerei\r\nMüller", "Bäckerei Müller"),
        ("Bäckerei\tMüller", "Bäckerei Müller"),
        ("\x1b[31mBäckerei Müller\x1b[0m", "Bäckerei Müller"),
        ("Bäcker\x07ei\x7f Müller\x9b", "Bäckerei Müller"),
        ("abc\u202egnp.exe", "abcgnp.exe"),
        ("\u2066Müller\u2069", "Müller"),
        ("\u200bMüller\ufeff", "Müller"),
        ("\u200dMüller\u200c", "Müller"),
        ("می\u200cخواهم", "می\u200cخواهم"),  # Persian: the non-joiner inside the word stays
        ("Familie 👨\u200d👩\u200d👧", "Familie 👨\u200d👩\u200d👧"),  # an emoji family stays one emoji
        ("Müller\u200e", "Müller"),  # a left-to-right mark
        ("\u061cMüller\u200f", "Müller"),  # Arabic letter mark, right-to-left mark
        ("Mül\u00adler", "Müller"),  # a soft hyphen
        ("Mül\u2061\u2064ler", "Müller"),  # invisible operators
        ("Mül\U000e0067ler", "Müller"),  # a tag character away from a flag
        (
            "Schottland 🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
            "Schottland 🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
        ),  # Scotland's flag stays
    ],
)
def test_a_one_line_field_keeps_what_shows(typed, stored):
    assert single_line(typed) == stored


def test_a_note_keeps_its_lines_and_drops_the_rest():
    assert multi_line("Anrufen\r\n\x1b[1mdringend\x1b[0m\r\n\tbis Freitag\u202e") == "Anrufen\ndringend\n\tbis Freitag"


@pytest.mark.parametrize(
    "name", ["\u200b\u200d", "\u202e", "\x1b[0m", " \r\n ", "\ufeff\u2060", "\u3164", "\u2800\u2800", "\u00ad\u200e"]
)
def test_a_name_of_nothing_visible_is_refused_like_an_empty_one(api, staff_client, name):
    answer = api.post("/customers", {"name": name})
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "name"

    page = staff_client.post("/customers/new/", form_data(name=name))
    assert page.status_code == 422 and "Enter the customer&#x27;s name." in page.content.decode()
    assert not Customer.objects.exists()


def test_the_api_and_the_form_store_the_cleaned_text(api, staff_client):
    answer = api.post(
        "/customers",
        {"name": "\x1b[31mBäckerei\r\nMüller\x1b[0m", "contact_person": "Anna\u200b Nowak", "tags": ["VIP\u202e"],
         "addresses": [{"city": "Łódź\n", "country": "PL"}]},
    )  # fmt: skip
    assert answer.status_code == 201
    body = answer.json()
    assert body["name"] == "Bäckerei Müller" and body["contact_person"] == "Anna Nowak"
    assert body["tags"] == ["VIP"]
    assert body["addresses"][0]["city"] == "Łódź"

    staff_client.post("/customers/new/", form_data(name="Salon\tEwa\u202e", email="", note=""))
    customer = Customer.objects.get(name="Salon Ewa")
    note = {"text": "Rückruf\r\n\x1b[1mMontag\x1b[0m", "priority": "none"}
    staff_client.post(f"/customers/{customer.pk}/notes/", note)
    assert Note.objects.get(customer=customer).text == "Rückruf\nMontag"


@pytest.mark.parametrize(
    "email", ["info@exam\u202eple.com", "info@exa\u200bmple.com", '"a\x01b"@example.com', "anna\u00ad@example.com",
              "info@\u3164.example.com"],
)  # fmt: skip
def test_an_email_address_with_an_invisible_character_is_refused_and_nothing_is_stored(api, staff_client, email):
    answer = api.post("/customers", {"name": "Bäckerei Müller", "email": email})
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "email"

    page = staff_client.post("/customers/new/", form_data(name="Bäckerei Müller", email=email))
    assert page.status_code == 422 and "This email address contains invisible characters." in page.content.decode()
    assert not Customer.objects.exists()
