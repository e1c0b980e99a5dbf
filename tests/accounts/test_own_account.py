"""Every member changes their own password and language on the Account page; the language they choose
follows them, on every device."""

import pytest
from django.conf import settings
from django.test import Client

from tests.accounts.helpers import can_log_in
from tests.core.test_translations import compiled_locale  # noqa: F401  (a fixture)
from tests.factories import make_customer

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
CHOSEN = "Wiosna-w-Krakowie-2026"


def test_the_account_page_shows_who_is_logged_in(staff_client):
    html = staff_client.get("/account/").content.decode()

    assert "Your account" in html and "anna@example.com" in html and "Staff" in html
    assert 'href="/account/password/"' in html


def test_a_member_changes_their_password(staff_client):
    response = staff_client.post(
        "/account/password/", {"old_password": PASSWORD, "new_password1": CHOSEN, "new_password2": CHOSEN}
    )

    assert response.status_code == 302 and response["Location"] == "/account/"
    assert "Your password was changed." in staff_client.get("/account/").content.decode()  # still logged in
    assert can_log_in("anna", CHOSEN) and not can_log_in("anna", PASSWORD)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"old_password": "wrong", "new_password1": CHOSEN, "new_password2": CHOSEN}, "old_password",
         "Your old password was entered incorrectly."),
        ({"old_password": PASSWORD, "new_password1": CHOSEN, "new_password2": CHOSEN + "!"}, "new_password2",
         "The two password fields didn’t match."),
        ({"old_password": PASSWORD, "new_password1": "anna", "new_password2": "anna"}, "new_password2",
         "This password is too short."),
        ({"old_password": PASSWORD, "new_password1": "", "new_password2": ""}, "new_password1",
         "This field is required."),
    ],
)  # fmt: skip
def test_a_wrong_password_change_says_why_next_to_the_field(staff_client, staff, data, field, message):
    before = staff.password

    response = staff_client.post("/account/password/", data)

    html = response.content.decode()
    assert response.status_code == 200
    assert message in html.split(f'id="id_{field}-errors"', 1)[1].split("</div>", 1)[0]
    staff.refresh_from_db()
    assert staff.password == before


def test_changing_the_password_ends_the_members_other_sessions(staff, staff_client):
    elsewhere = Client()
    elsewhere.force_login(staff)

    staff_client.post(
        "/account/password/", {"old_password": PASSWORD, "new_password1": CHOSEN, "new_password2": CHOSEN}
    )

    assert elsewhere.get("/customers/").status_code == 302


def test_a_member_chooses_their_language_and_every_page_follows(staff_client, staff, compiled_locale):  # noqa: F811
    make_customer(name="Piekarnia Nowak", status="current")
    response = staff_client.post("/account/", {"language": "pl"})

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "pl"
    assert "Zapisano język." in staff_client.get("/account/").content.decode()
    staff.staff_profile.refresh_from_db()
    assert staff.staff_profile.language == "pl"
    other_device = Client()
    other_device.force_login(staff)
    page = other_device.get("/customers/", headers={"Accept-Language": "de"}).content.decode()
    assert '<html lang="pl">' in page and "Obecni klienci" in page


def test_the_browsers_language_applies_again_when_the_member_clears_their_choice(staff_client, staff, compiled_locale):  # noqa: F811
    staff_client.post("/account/", {"language": "pl"})

    response = staff_client.post("/account/", {"language": ""}, headers={"Accept-Language": "de"})

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == ""  # deleted
    page = staff_client.get("/account/", headers={"Accept-Language": "de"}).content.decode()
    assert '<html lang="de">' in page and "Ihre Sprache wurde gespeichert." in page


def test_a_wrong_language_is_refused(staff_client, staff):
    response = staff_client.post("/account/", {"language": "xx"})

    assert response.status_code == 422
    assert "Select a valid choice." in response.content.decode()
    staff.staff_profile.refresh_from_db()
    assert staff.staff_profile.language == ""


def test_the_language_switch_in_the_navbar_is_remembered_for_the_member(staff_client, staff, compiled_locale):  # noqa: F811
    make_customer(name="Bäckerei Müller", status="current")
    staff_client.post("/i18n/setlang/", {"language": "de", "next": "/customers/"})

    staff.staff_profile.refresh_from_db()
    assert staff.staff_profile.language == "de"
    phone = Client()
    phone.force_login(staff)
    assert "Aktuelle Kunden" in phone.get("/customers/").content.decode()


def test_logging_in_brings_the_members_language(staff, compiled_locale):  # noqa: F811
    staff.staff_profile.language = "pl"
    staff.staff_profile.save()
    browser = Client()

    response = browser.post("/login/", {"username": "anna", "password": PASSWORD}, headers={"Accept-Language": "en"})

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "pl"
    browser.post("/logout/")
    assert "Zaloguj" in browser.get("/login/", headers={"Accept-Language": "en"}).content.decode()


def test_the_api_follows_accept_language_not_the_profile(staff, api_token, compiled_locale):  # noqa: F811
    staff.staff_profile.language = "de"
    staff.staff_profile.save()
    headers = {"Authorization": f"Bearer {api_token}"}

    english = Client().get("/api/v1/customers/999999", headers={**headers, "Accept-Language": "en"})
    polish = Client().get("/api/v1/customers/999999", headers={**headers, "Accept-Language": "pl"})

    assert english.json()["detail"] == "Not found."
    assert polish.json()["detail"] == "Nie znaleziono."
