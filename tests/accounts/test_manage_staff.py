"""The owner adds, edits, deactivates and reactivates colleagues on the staff pages; everyone else sees the list
only. There is always an active owner, also when two owners act at the same moment."""

import importlib
import io
import threading
import time
from datetime import timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from kartei.accounts import services
from kartei.accounts.models import ApiToken, StaffProfile
from kartei.accounts.services import api_token_create
from tests.accounts.helpers import can_log_in, stored
from tests.core.test_translations import compiled_locale  # noqa: F401  (a fixture)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
MIGRATION = importlib.import_module("kartei.accounts.migrations.0003_profiles_for_existing_users")
PASSWORD = "correct horse battery staple"
NEW = {"name": "Jan Kowalski", "username": "jan", "email": "jan@example.com", "role": "staff", "language": "pl",
       "access": "password", "password": "Wiosna-w-Krakowie-2026", "password2": "Wiosna-w-Krakowie-2026"}  # fmt: skip


def edit_data(member, **changes) -> dict:
    profile = member.staff_profile
    data = {"name": member.get_full_name(), "username": member.username, "email": member.email,
            "role": profile.role, "language": profile.language}  # fmt: skip
    return {**data, **changes}


# Who may do what


def test_every_member_sees_the_staff_list(staff_client, staff, owner):
    page = staff_client.get("/staff/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "Olga Nowak" in html and "olga@example.com" in html and "anna" in html
    assert "Owner" in html
    assert "/staff/new/" not in html and f"/staff/{owner.pk}/edit/" not in html


def test_the_owner_sees_how_to_add_edit_and_deactivate(owner_client, owner, staff):
    html = owner_client.get("/staff/").content.decode()

    assert "Add a colleague" in html
    assert f"/staff/{staff.pk}/edit/" in html and f"/staff/{staff.pk}/active/" in html
    assert f"/staff/{owner.pk}/active/" not in html  # not oneself


def test_the_navbar_links_to_staff_and_the_account(staff_client):
    html = staff_client.get("/customers/").content.decode()

    assert 'href="/staff/"' in html and 'href="/account/"' in html and "Log out" in html


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/staff/new/"), ("post", "/staff/new/"), ("get", "/staff/{id}/edit/"), ("post", "/staff/{id}/edit/"),
     ("get", "/staff/{id}/active/"), ("post", "/staff/{id}/active/"), ("post", "/staff/{id}/invitation/")],
)  # fmt: skip
def test_a_member_who_is_not_an_owner_gets_403_on_the_write_pages(staff_client, owner, method, path):
    before = stored()

    response = getattr(staff_client, method)(path.format(id=owner.pk), {**NEW, "active": "0", "role": "staff"})

    assert response.status_code == 403
    assert "Your role does not allow this." in response.content.decode()
    assert stored() == before


def test_a_demoted_owner_loses_the_write_pages_at_once(owner_client, owner):
    UserFactory(username="boss", role="owner")
    owner_client.post(f"/staff/{owner.pk}/edit/", edit_data(owner, role="staff"))

    assert owner_client.get("/staff/new/").status_code == 403


# Adding


def test_the_owner_adds_a_colleague_with_a_first_password(owner_client, owner):
    response = owner_client.post("/staff/new/", NEW)

    assert response.status_code == 302 and response["Location"] == "/staff/"
    jan = User.objects.get(username="jan")
    assert (jan.first_name, jan.email, jan.is_active) == ("Jan Kowalski", "jan@example.com", True)
    assert (jan.staff_profile.role, jan.staff_profile.language) == ("staff", "pl")
    assert "Jan Kowalski can now log in as jan." in owner_client.get("/staff/").content.decode()
    assert can_log_in("jan", "Wiosna-w-Krakowie-2026")


def test_the_owner_adds_another_owner(owner_client):
    owner_client.post("/staff/new/", {**NEW, "role": "owner"})

    assert User.objects.get(username="jan").staff_profile.role == "owner"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "  "}, "name", "Enter the person&#x27;s name."),
        ({"username": ""}, "username", "Enter a username to log in with."),
        ({"username": "jan kowalski"}, "username", "Use only letters, digits and @ . + - _ in the username"),
        ({"username": "<script>alert(1)</script>"}, "username", "Use only letters, digits"),
        ({"username": "j" * 151}, "username", "Keep this to 150 characters (it has 151)."),
        ({"name": "N" * 151}, "name", "Keep this to 150 characters (it has 151)."),
        ({"name": "Jan\x00Kowalski"}, "name", "Null characters are not allowed."),
        ({"email": "jan(at)example.com"}, "email", "Enter an email address such as name@example.com."),
        ({"email": "x" * 250 + "@example.com"}, "email", "This email address is too long."),
        ({"role": "admin"}, "role", "Select a valid choice."),
        ({"language": "fr"}, "language", "Select a valid choice."),
        ({"password": "", "password2": ""}, "password", "Enter a first password, or send an invitation instead."),
        ({"password2": "something else"}, "password2", "The two passwords differ."),
        ({"password": "12345678", "password2": "12345678"}, "password", "This password is entirely numeric."),
        ({"password": "jankowalski", "password2": "jankowalski"}, "password", "too similar to the"),
        ({"access": "telepathy"}, "access", "Select a valid choice."),
        ({"access": "invite", "email": ""}, "email", "Enter an email address to send the invitation to."),
    ],
)
def test_bad_input_gets_a_message_next_to_the_field_and_stores_nothing(owner_client, changes, field, message):
    before = stored()

    response = owner_client.post("/staff/new/", {**NEW, **changes})

    assert response.status_code == 422
    html = response.content.decode()
    assert "Please check the fields marked in red." in html
    errors = html.split(f'id="id_{field}-errors"', 1)
    assert len(errors) == 2, f"no error next to {field}"
    assert message in errors[1].split("</div>", 1)[0]
    assert stored() == before


def test_a_taken_username_or_email_is_refused_whatever_its_case(owner_client):
    UserFactory(username="Jan", email="JAN@example.com")
    before = stored()

    html = owner_client.post("/staff/new/", NEW).content.decode()

    assert "Someone already has this username. Choose another one." in html
    assert "A colleague already uses this email address." in html
    assert stored() == before


def test_a_hostile_name_is_stored_as_typed_and_shown_as_text(owner_client):
    owner_client.post("/staff/new/", {**NEW, "name": '<img src=x onerror="alert(1)"> Jan'})

    html = owner_client.get("/staff/").content.decode()
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; Jan" in html
    assert "<img src=x" not in html


# Editing


def test_the_owner_changes_a_colleagues_details_and_role(owner_client, staff):
    changes = {"name": "Anna Schmidt", "username": "anna.s", "email": "anna.s@example.com", "role": "owner",
               "language": "de"}  # fmt: skip
    response = owner_client.post(f"/staff/{staff.pk}/edit/", edit_data(staff, **changes))

    assert response.status_code == 302
    staff.refresh_from_db()
    assert (staff.get_full_name(), staff.username, staff.email) == ("Anna Schmidt", "anna.s", "anna.s@example.com")
    assert (staff.staff_profile.role, staff.staff_profile.language) == ("owner", "de")
    assert "Changes to Anna Schmidt were saved." in owner_client.get("/staff/").content.decode()


def test_the_edit_page_shows_the_colleagues_details(owner_client, staff):
    html = owner_client.get(f"/staff/{staff.pk}/edit/").content.decode()

    assert 'value="anna"' in html and 'value="anna@example.com"' in html
    assert "Deactivate" in html and "Email a link to choose a new password" in html


def test_an_unknown_colleague_is_404(owner_client):
    assert owner_client.get("/staff/999999/edit/").status_code == 404


def test_a_colleagues_username_cannot_take_someone_elses(owner_client, staff, owner):
    before = stored()

    response = owner_client.post(
        f"/staff/{staff.pk}/edit/", edit_data(staff, username="OLGA", email="olga@example.com")
    )

    assert response.status_code == 422
    html = response.content.decode()
    assert "Someone already has this username." in html and "A colleague already uses this email address." in html
    assert stored() == before


# The last active owner


def test_the_only_owner_cannot_make_themselves_staff(owner_client, owner):
    before = stored()

    response = owner_client.post(f"/staff/{owner.pk}/edit/", edit_data(owner, role="staff"))

    assert response.status_code == 422
    html = response.content.decode()
    assert (
        "Kartei needs at least one active owner. Make someone else an owner first."
        in html.split('id="id_role-errors"')[1]
    )
    assert stored() == before


def test_an_owner_can_step_down_when_another_owner_is_active(owner_client, owner):
    UserFactory(username="boss", role="owner")

    owner_client.post(f"/staff/{owner.pk}/edit/", edit_data(owner, role="staff"))

    owner.staff_profile.refresh_from_db()
    assert owner.staff_profile.role == "staff"


def test_a_deactivated_owner_does_not_count(owner_client, owner):
    boss = UserFactory(username="boss", role="owner", is_active=False)
    before = stored()

    owner_client.post(f"/staff/{owner.pk}/edit/", edit_data(owner, role="staff"))

    assert stored() == before
    assert boss.staff_profile.role == "owner"


def test_the_last_owner_cannot_be_deactivated(owner):
    with pytest.raises(ValidationError) as error:
        services.staff_update(actor=None, user=owner, data={"is_active": False})

    assert error.value.error_dict["is_active"][0].code == "last_owner"
    owner.refresh_from_db()
    assert owner.is_active


def test_an_owner_cannot_deactivate_themselves(owner_client, owner):
    UserFactory(username="boss", role="owner")

    response = owner_client.post(f"/staff/{owner.pk}/active/", {"active": "0"}, follow=True)

    assert "You cannot deactivate your own account." in response.content.decode()
    owner.refresh_from_db()
    assert owner.is_active


def _at_the_same_time(*calls):
    """Run each call in its own thread with its own database connection, started together; each one pauses
    inside its transaction after the last-owner check, so that without the lock both would pass it."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            call()
            results[index] = "done"
        except (ValidationError, PermissionDenied) as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture
def slow_check(monkeypatch):
    """The services' checks (fields, uniqueness, last owner) take a while: a race has time to happen."""

    def slow(check):
        def slowly(*args, **kwargs):
            result = check(*args, **kwargs)
            time.sleep(0.3)
            return result

        return slowly

    monkeypatch.setattr(services, "_clean", slow(services._clean))
    monkeypatch.setattr(services, "_check_last_owner", slow(services._check_last_owner))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("a_does", "b_does"),
    [({"role": "staff"}, {"role": "staff"}), ({"is_active": False}, {"is_active": False}),
     ({"role": "staff"}, {"is_active": False})],
)  # fmt: skip
def test_two_owners_demoting_each_other_at_once_leave_one_active_owner(slow_check, a_does, b_does):
    a = UserFactory(username="ada", role="owner")
    b = UserFactory(username="ben", role="owner")

    results = _at_the_same_time(
        lambda: services.staff_update(actor=a, user=b, data=b_does),
        lambda: services.staff_update(actor=b, user=a, data=a_does),
    )

    assert sorted(r == "done" for r in results) == [False, True], results
    assert StaffProfile.objects.filter(role="owner", user__is_active=True).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_owners_adding_the_same_username_at_once_get_a_clear_answer(slow_check):
    a = UserFactory(username="ada", role="owner")
    b = UserFactory(username="ben", role="owner")
    data = {"name": "Jan", "username": "jan", "password": "Wiosna-w-Krakowie-2026"}

    results = _at_the_same_time(
        lambda: services.staff_create(actor=a, data=data),
        lambda: services.staff_create(actor=b, data={**data, "username": "JAN"}),
    )

    assert "done" in results
    (refused,) = [r for r in results if r != "done"]
    assert refused.error_dict["username"][0].code == "duplicate_username"
    assert User.objects.filter(username__iexact="jan").count() == 1


def test_a_username_taken_between_the_check_and_the_save_gets_the_checks_answer(owner, monkeypatch):
    """Another writer (`kartei createsuperuser`, say) takes the name after the service checked it: the database
    refuses the save, and the answer is the same as the check's, not a server error."""
    real_clean = services._clean

    def clean_then_someone_takes_it(data, *, user):
        cleaned = real_clean(data, user=user)
        User.objects.create_user(username="jan", password="x")
        return cleaned

    monkeypatch.setattr(services, "_clean", clean_then_someone_takes_it)

    with pytest.raises(ValidationError) as error:
        services.staff_create(actor=owner, data={"name": "Jan", "username": "jan", "password": "Wiosna-2026-xyz"})

    assert error.value.error_dict["username"][0].code == "duplicate_username"


# Deactivating and reactivating


def test_the_owner_is_asked_before_deactivating(owner_client, staff):
    page = owner_client.get(f"/staff/{staff.pk}/active/", headers={"HX-Request": "true"})

    html = page.content.decode()
    assert "Deactivate anna?" in html and "<html" not in html
    assert 'name="active" value="0"' in html


def test_a_deactivated_member_is_logged_out_cannot_log_in_and_their_tokens_stop(owner_client, staff):
    member = Client()
    member.force_login(staff)
    token = api_token_create(user=staff)
    assert member.get("/customers/").status_code == 200

    response = owner_client.post(f"/staff/{staff.pk}/active/", {"active": "0"}, follow=True)

    assert "anna is deactivated: they can no longer log in or use the API." in response.content.decode()
    refused = member.get("/customers/")
    assert refused.status_code == 302 and refused["Location"].startswith("/login/")
    assert not can_log_in("anna", PASSWORD)
    assert Client().get("/api/v1/tags", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert "Deactivated" in owner_client.get("/staff/").content.decode()


def test_a_reactivated_member_logs_in_again(owner_client, staff):
    token = api_token_create(user=staff)
    services.staff_update(actor=None, user=staff, data={"is_active": False})

    owner_client.post(f"/staff/{staff.pk}/active/", {"active": "1"})

    assert can_log_in("anna", PASSWORD)
    assert Client().get("/api/v1/tags", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert ApiToken.objects.get().revoked_at is None


# Users made outside the pages


def test_createsuperuser_makes_an_owner(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "smoke-pass-123!")
    UserFactory(username="first", role="owner")

    call_command("createsuperuser", "--noinput", username="root", email="root@example.com", stdout=io.StringIO())

    assert User.objects.get(username="root").staff_profile.role == "owner"


def test_the_first_user_is_an_owner_and_the_next_ones_staff():
    first = User.objects.create_user(username="first", password="x")
    second = User.objects.create_user(username="second", password="x")

    assert first.staff_profile.role == "owner" and second.staff_profile.role == "staff"


def test_a_user_made_while_no_owner_is_active_becomes_one():
    UserFactory(username="gone", role="owner", is_active=False)

    assert User.objects.create_user(username="next", password="x").staff_profile.role == "owner"


def test_the_demo_login_is_an_owner():
    UserFactory(username="olga", role="owner")
    UserFactory(username="demo", role="staff", is_active=False)

    call_command("demo", "--customers", "0", stdout=io.StringIO())

    demo = User.objects.get(username="demo")
    assert demo.is_active and demo.staff_profile.role == "owner"


def test_the_migration_gives_existing_users_profiles_and_an_owner():

    now = timezone.now()
    UserFactory(username="older", date_joined=now - timedelta(days=9))
    UserFactory(username="oldest_but_gone", is_active=False, date_joined=now - timedelta(days=99))
    UserFactory(username="newer", date_joined=now)
    StaffProfile.objects.all().delete()

    MIGRATION.create_profiles(apps, None)

    roles = dict(StaffProfile.objects.values_list("user__username", "role"))
    assert roles == {"older": "owner", "oldest_but_gone": "staff", "newer": "staff"}


def test_the_migration_makes_superusers_owners():

    UserFactory(username="first")
    UserFactory(username="root", is_superuser=True)
    StaffProfile.objects.all().delete()

    MIGRATION.create_profiles(apps, None)

    roles = dict(StaffProfile.objects.values_list("user__username", "role"))
    assert roles == {"first": "staff", "root": "owner"}


# Languages


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["Staff", "Add a colleague", "Owner", "Last login"]),
        ("de", ["Mitarbeiter", "Mitarbeiter hinzufügen", "Inhaber", "Letzte Anmeldung"]),
        ("pl", ["Pracownicy", "Dodaj pracownika", "Właściciel", "Ostatnie logowanie"]),
    ],
)
def test_the_staff_pages_speak_each_language(owner_client, staff, compiled_locale, lang, words):  # noqa: F811
    owner_client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang

    for path in ("/staff/", "/staff/new/", f"/staff/{staff.pk}/edit/", f"/staff/{staff.pk}/active/", "/account/",
                 "/account/password/"):  # fmt: skip
        page = owner_client.get(path)
        assert page.status_code == 200, path
        assert f'<html lang="{lang}">' in page.content.decode(), path
    html = owner_client.get("/staff/").content.decode()
    assert all(word in html for word in words), words


def test_an_address_two_old_accounts_share_does_not_block_other_changes(owner_client, staff):
    twin = UserFactory(username="anna2", email="anna@example.com")  # made before addresses were unique

    response = owner_client.post(f"/staff/{twin.pk}/edit/", edit_data(twin, name="Anna Zwei"))

    assert response.status_code == 302
    twin.refresh_from_db()
    assert twin.get_full_name() == "Anna Zwei"
