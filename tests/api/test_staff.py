"""Staff through the API: every member reads the list; only owners add and change members (403 otherwise);
bad input gets 422 with the field and changes nothing; the last active owner stays."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from kartei.accounts.services import api_token_create
from tests.accounts.helpers import can_log_in, stored
from tests.api.helpers import error_body, field_error
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
NEW = {"name": "Jan Kowalski", "username": "jan", "email": "jan@example.com", "role": "staff", "language": "pl",
       "password": "Wiosna-w-Krakowie-2026"}  # fmt: skip
FIELDS = {"id", "username", "name", "email", "role", "language", "is_active", "invitation_pending", "last_login",
          "date_joined"}  # fmt: skip


def test_every_member_reads_the_list_without_secrets(api, staff, owner):
    UserFactory(username="gone", is_active=False)

    response = api.get("/staff")

    assert response.status_code == 200
    members = response.json()
    assert [m["username"] for m in members] == ["anna", "olga", "gone"]  # active first, then by name
    assert all(set(m) == FIELDS for m in members)
    olga = members[1]
    assert (olga["name"], olga["email"], olga["role"], olga["is_active"]) == ("Olga Nowak", "olga@example.com",
                                                                              "owner", True)  # fmt: skip
    body = response.content.decode()
    assert "md5$" not in body and "pbkdf2" not in body and "password" not in body


def test_the_list_filters_by_active(api, staff):
    UserFactory(username="gone", is_active=False)

    assert [m["username"] for m in api.get("/staff", active="false").json()] == ["gone"]
    assert [m["username"] for m in api.get("/staff", active="true").json()] == ["anna"]


def test_every_member_reads_one_member(api, owner):
    response = api.get(f"/staff/{owner.pk}")

    assert response.status_code == 200 and response.json()["username"] == "olga"
    assert error_body(api.get("/staff/999999"), 404)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [("post", "/staff", NEW), ("post", "/staff", {"nonsense": True}), ("post", "/staff", "not json"),
     ("patch", "/staff/{id}", {"role": "staff"}), ("patch", "/staff/{id}", {"role": 42}),
     ("post", "/staff/{id}/invitation", None)],
)  # fmt: skip
def test_a_member_who_is_not_an_owner_gets_403_whatever_they_send(api, owner, method, path, body):
    before = stored()

    response = getattr(api, method)(path.format(id=owner.pk), body)

    error_body(response, 403)
    assert stored() == before and not mail.outbox


def test_a_wrong_token_gets_401_on_the_owner_endpoints(owner):
    response = Client().post("/api/v1/staff", NEW, content_type="application/json",
                             headers={"Authorization": "Bearer kt_wrong"})  # fmt: skip

    error_body(response, 401)


def test_the_owner_adds_a_member_with_a_password(owner_api):
    response = owner_api.post("/staff", NEW)

    assert response.status_code == 201
    body = response.json()
    assert set(body) == FIELDS
    assert (body["username"], body["name"], body["role"], body["language"]) == ("jan", "Jan Kowalski", "staff", "pl")
    assert body["is_active"] and not body["invitation_pending"]
    assert can_log_in("jan", NEW["password"])


def test_the_owner_adds_a_member_by_invitation(owner_api, django_capture_on_commit_callbacks):
    data = {k: v for k, v in NEW.items() if k != "password"}

    with django_capture_on_commit_callbacks(execute=True):
        response = owner_api.post("/staff", data)

    assert response.status_code == 201 and response.json()["invitation_pending"]
    (message,) = mail.outbox
    assert message.to == ["jan@example.com"] and "/invitation/" in message.body


def test_the_owner_sends_an_invitation_again(owner_api, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_api.post(f"/staff/{staff.pk}/invitation")

    assert response.status_code == 202
    assert mail.outbox[0].to == ["anna@example.com"]


def test_the_owner_changes_a_member(owner_api, staff):
    changes = {"name": "Anna Schmidt", "username": "anna.s", "email": "anna.s@example.com", "role": "owner",
               "language": "de"}  # fmt: skip
    response = owner_api.patch(f"/staff/{staff.pk}", changes)

    assert response.status_code == 200
    assert {k: response.json()[k] for k in changes} == changes


def test_a_deactivated_members_token_stops_working(owner_api, staff):
    token = api_token_create(user=staff)

    response = owner_api.patch(f"/staff/{staff.pk}", {"is_active": False})

    assert response.status_code == 200 and response.json()["is_active"] is False
    refused = Client().get("/api/v1/staff", headers={"Authorization": f"Bearer {token}"})
    error_body(refused, 401)


def test_the_last_active_owner_cannot_be_demoted_or_deactivated(owner_api, owner):
    before = stored()

    demoted = owner_api.patch(f"/staff/{owner.pk}", {"role": "staff"})

    error = field_error(demoted, "role", code="last_owner")
    assert error["message"] == "Kartei needs at least one active owner. Make someone else an owner first."
    other = UserFactory(username="boss", role="owner")
    owner_api.patch(f"/staff/{other.pk}", {"is_active": False})
    field_error(owner_api.patch(f"/staff/{owner.pk}", {"role": "staff"}), "role", code="last_owner")
    other.refresh_from_db()
    assert before["profiles"][0]["role"] == "owner" and not other.is_active


def test_a_second_owner_deactivates_the_first(owner_api, owner):
    boss = UserFactory(username="boss", role="owner")

    response = owner_api.patch(f"/staff/{boss.pk}", {"is_active": False})

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"name": ""}, "name", "required"),
        ({"name": "   "}, "name", "required"),
        ({"name": "N" * 151}, "name", "max_length"),
        ({"name": "Jan\u0000"}, "name", "null_character"),
        ({"name": "Jan \ud800"}, "name", "invalid_character"),
        ({"username": ""}, "username", "required"),
        ({"username": "jan kowalski"}, "username", "invalid"),
        ({"username": "Robert'); DROP TABLE auth_user;--"}, "username", "invalid"),
        ({"username": "u" * 151}, "username", "max_length"),
        ({"username": "OLGA"}, "username", "duplicate_username"),
        ({"email": "nope"}, "email", "invalid"),
        ({"email": "OLGA@example.com"}, "email", "duplicate_email"),
        ({"role": "admin"}, "role", "invalid_choice"),
        ({"role": ""}, "role", "invalid_choice"),
        ({"role": None}, "role", None),
        ({"language": "fr"}, "language", "invalid_choice"),
        ({"is_active": "maybe"}, "is_active", None),
        ({"is_active": None}, "is_active", None),
        ({"password": "12345678"}, "password", "password_entirely_numeric"),
        ({"password": "short"}, "password", "password_too_short"),
        ({"password": "jankowalski"}, "password", "password_too_similar"),
        ({"password": "x" * 1025}, "password", "max_length"),
        ({"password": ""}, "password", "required"),
        ({"is_superuser": True}, "is_superuser", "extra_forbidden"),
        ({"password_hash": "md5$x$y"}, "password_hash", "extra_forbidden"),
    ],
)
def test_bad_input_is_refused_with_the_field_and_stores_nothing(owner_api, body, field, code):
    before = stored()

    response = owner_api.post("/staff", {**NEW, **body})

    field_error(response, field, code=code)
    assert stored() == before


def test_a_missing_name_or_username_is_named(owner_api):
    response = owner_api.post("/staff", {"email": "x@example.com", "password": NEW["password"]})

    field_error(response, "name")
    field_error(response, "username")


def test_an_invitation_needs_an_email(owner_api):
    before = stored()

    response = owner_api.post("/staff", {"name": "Jan", "username": "jan"})

    field_error(response, "email", code="required")
    assert stored() == before


@pytest.mark.parametrize(
    "body",
    [{"username": "ANNA"}, {"email": "Anna@Example.com"}, {"role": "boss"}, {"language": "xx"}, {"name": ""},
     {"password": "new-password-123"}, {"id": 5}],
)  # fmt: skip
def test_a_bad_change_is_refused_and_changes_nothing(owner_api, owner, body):
    UserFactory(username="anna")
    before = stored()

    response = owner_api.patch(f"/staff/{owner.pk}", body)

    assert response.status_code == 422
    assert stored() == before


def test_changing_someone_who_does_not_exist_is_404(owner_api):
    error_body(owner_api.patch("/staff/999999", {"name": "Ghost"}), 404)


def test_every_problem_is_named_at_once_the_password_included(owner_api):
    response = owner_api.post("/staff", {**NEW, "username": "jan kowalski", "email": "nope", "password": "123"})

    assert {e["field"] for e in response.json()["errors"]} == {"username", "email", "password"}
