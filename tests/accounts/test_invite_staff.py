"""The owner invites a colleague by e-mail; the link lets them choose a password once, in their language."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from kartei.accounts import services
from tests.accounts.helpers import can_log_in, stored
from tests.core.test_translations import compiled_locale  # noqa: F401  (a fixture)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
NEW = {"name": "Jan Kowalski", "username": "jan", "email": "jan@example.com", "role": "staff", "language": "",
       "access": "invite"}  # fmt: skip
CHOSEN = "Wiosna-w-Krakowie-2026"


@pytest.fixture
def invite(owner_client, django_capture_on_commit_callbacks):
    """Add a colleague by invitation as the owner does, the mail sent as the transaction commits."""

    def add(**changes):
        with django_capture_on_commit_callbacks(execute=True):
            response = owner_client.post("/staff/new/", {**NEW, **changes})
        assert response.status_code == 302, response.content.decode()[:2000]
        return User.objects.get(username=changes.get("username", "jan"))

    return add


def link_in(message) -> str:
    (link,) = re.findall(r"http://testserver(/invitation/\S+/)", message.body)
    return link


def choose_password(client: Client, link: str, password: str = CHOSEN, again: str | None = None):
    page = client.get(link, follow=True)
    assert page.status_code == 200
    form_path = page.redirect_chain[-1][0] if page.redirect_chain else link
    return client.post(form_path, {"new_password1": password, "new_password2": again or password})


def test_the_owner_invites_a_colleague_who_gets_a_mail_with_a_link(invite, owner_client):
    jan = invite()

    assert not jan.has_usable_password()
    (message,) = mail.outbox
    assert message.to == ["jan@example.com"]
    assert message.subject == "Your access to Kartei"
    assert "Hello Jan Kowalski," in message.body
    assert "Olga Nowak has given you access to Kartei" in message.body
    assert "Your username is: jan" in message.body
    assert "The link works once and for 7 days." in message.body
    link_in(message)
    html = owner_client.get("/staff/").content.decode()
    assert "Jan Kowalski was invited. The invitation went to jan@example.com." in html
    assert "Invited" in html


def test_the_link_sets_a_password_once_and_logs_the_colleague_in(invite):
    invite()
    link = link_in(mail.outbox[0])
    browser = Client()

    response = choose_password(browser, link)

    assert response.status_code == 302 and response["Location"] == "/customers/"
    assert browser.get("/customers/").status_code == 200
    assert can_log_in("jan", CHOSEN)
    again = Client().get(link, follow=True).content.decode()
    assert "This link no longer works" in again
    assert 'name="new_password1"' not in again


def test_the_password_on_the_invitation_page_follows_the_rules(invite):
    invite()
    link = link_in(mail.outbox[0])

    weak = choose_password(Client(), link, "12345678")
    differ = choose_password(Client(), link, CHOSEN, again="something else")

    assert weak.status_code == 200 and "This password is entirely numeric." in weak.content.decode()
    assert "The two password fields didn’t match." in differ.content.decode()
    assert not User.objects.get(username="jan").has_usable_password()


def test_a_wrong_or_tampered_link_does_nothing(invite):
    jan = invite()
    link = link_in(mail.outbox[0])

    for bad in (link[:-3] + "xx/", "/invitation/MQ/abc-def/", "/invitation/!!/x/", f"/invitation/{'A' * 500}/x/"):
        page = Client().get(bad, follow=True)
        assert page.status_code == 200 and "This link no longer works" in page.content.decode(), bad
    jan.refresh_from_db()
    assert not jan.has_usable_password()


def test_the_link_of_a_deactivated_colleague_does_not_work(invite):
    jan = invite()
    services.staff_update(actor=None, user=jan, data={"is_active": False})

    page = Client().get(link_in(mail.outbox[0]), follow=True)

    assert "This link no longer works" in page.content.decode()


def test_the_mail_and_the_page_speak_the_colleagues_language(invite, compiled_locale):  # noqa: F811
    invite(language="de")

    (message,) = mail.outbox
    assert message.subject == "Ihr Zugang zu Kartei"
    assert "Hallo Jan Kowalski," in message.body
    page = Client().get(link_in(message), follow=True).content.decode()
    assert '<html lang="de">' in page and "Wählen Sie Ihr Passwort" in page


def test_the_mail_speaks_the_owners_language_when_the_colleague_has_none(invite, owner_client, compiled_locale):  # noqa: F811
    owner_client.post("/i18n/setlang/", {"language": "pl", "next": "/staff/"})

    invite()

    assert mail.outbox[0].subject == "Twój dostęp do Kartei"


def test_an_invitation_needs_an_email_address(owner_client):
    before = stored()

    response = owner_client.post("/staff/new/", {**NEW, "email": ""})

    assert response.status_code == 422
    assert "Enter an email address to send the invitation to." in response.content.decode()
    assert stored() == before and not mail.outbox


def test_the_owner_sends_the_invitation_again(owner_client, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(f"/staff/{staff.pk}/invitation/", follow=True)

    assert "A link to choose a password went to anna@example.com." in response.content.decode()
    (message,) = mail.outbox
    assert message.to == ["anna@example.com"]
    choose_password(Client(), link_in(message))
    assert can_log_in("anna", CHOSEN)


def test_no_invitation_without_an_address_or_for_a_deactivated_colleague(owner_client, owner):
    no_mail = UserFactory(username="nomail", email="")
    gone = UserFactory(username="gone", is_active=False)

    first = owner_client.post(f"/staff/{no_mail.pk}/invitation/", follow=True).content.decode()
    second = owner_client.post(f"/staff/{gone.pk}/invitation/", follow=True).content.decode()

    assert "Enter an email address to send the invitation to." in first
    assert "Reactivate this account before sending an invitation." in second
    assert not mail.outbox


def test_a_mail_that_cannot_be_sent_leaves_the_colleague_invited(invite, settings, caplog):
    settings.EMAIL_BACKEND = "tests.accounts.test_invite_staff.BrokenBackend"

    jan = invite()

    assert jan.is_active and not jan.has_usable_password()
    assert "The invitation to jan could not be sent." in caplog.text


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("Connection refused")
