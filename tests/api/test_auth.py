"""Token auth: every endpoint wants `Authorization: Bearer <token>`; anything else is a JSON 401 that gives
nothing away and changes nothing."""

import pytest
from django.test import Client
from django.utils import timezone

from kartei.accounts.models import ApiToken
from kartei.accounts.services import api_token_create
from kartei.customers.models import Customer
from tests.api.helpers import error_body, stored_state
from tests.factories import UserFactory, make_customer, make_note

pytestmark = pytest.mark.django_db


@pytest.fixture
def existing():
    customer = make_customer(name="Müller GmbH", email="info@mueller.de")
    note = make_note(customer)
    return customer, note


def every_endpoint(customer_id, note_id):
    return [
        ("get", "/api/v1/customers", None),
        ("post", "/api/v1/customers", {"name": "Intruder"}),
        ("get", f"/api/v1/customers/{customer_id}", None),
        ("patch", f"/api/v1/customers/{customer_id}", {"name": "Hacked"}),
        ("delete", f"/api/v1/customers/{customer_id}", None),
        ("post", f"/api/v1/customers/{customer_id}/restore", None),
        ("get", f"/api/v1/customers/{customer_id}/notes", None),
        ("get", f"/api/v1/customers/{customer_id}/events", None),
        ("post", f"/api/v1/customers/{customer_id}/notes", {"text": "Hacked"}),
        ("patch", f"/api/v1/notes/{note_id}", {"text": "Hacked"}),
        ("delete", f"/api/v1/notes/{note_id}", None),
        ("get", "/api/v1/tags", None),
    ]


def call(client, method, path, body, headers):
    kwargs = {"headers": headers}
    if body is not None:
        kwargs.update(data=body, content_type="application/json")
    return getattr(client, method)(path, **kwargs)


def assert_refused_everywhere(client, existing, headers):
    customer, note = existing
    before = stored_state()
    for method, path, body in every_endpoint(customer.pk, note.pk):
        response = call(client, method, path, body, headers)
        body = error_body(response, 401)
        assert "Bearer" in body["detail"], (method, path)
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert "Müller" not in response.content.decode()
    assert stored_state() == before


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="no-header"),
        pytest.param({"Authorization": ""}, id="empty-header"),
        pytest.param({"Authorization": "Bearer"}, id="scheme-only"),
        pytest.param({"Authorization": "Bearer "}, id="empty-token"),
        pytest.param({"Authorization": "Bearer kt_wrong"}, id="wrong-token"),
        pytest.param({"Authorization": "Bearer " + "x" * 10_000}, id="huge-token"),
        pytest.param({"Authorization": "Bearer ' OR 1=1 --"}, id="sql-token"),
        pytest.param({"Authorization": "Bearer kt_\xff\xfe\x00"}, id="latin1-and-NUL-token"),
        pytest.param({"Authorization": "Basic YW5uYTpjb3JyZWN0IGhvcnNl"}, id="basic-scheme"),
        pytest.param({"Authorization": "Token kt_wrong"}, id="token-scheme"),
        pytest.param({"X-Api-Key": "kt_wrong"}, id="other-header"),
    ],
)
def test_it_refuses_a_missing_or_wrong_token_everywhere(client, existing, headers):
    assert_refused_everywhere(client, existing, headers)


def test_it_refuses_the_right_token_under_another_scheme(client, existing, api_token):
    assert_refused_everywhere(client, existing, {"Authorization": f"Token {api_token}"})
    assert_refused_everywhere(client, existing, {"Authorization": api_token})
    assert_refused_everywhere(client, existing, {"Authorization": f"Bearer  {api_token}"})


def test_it_refuses_a_token_that_differs_by_one_character(client, existing, api_token):
    wrong = api_token[:-1] + ("A" if api_token[-1] != "A" else "B")

    assert_refused_everywhere(client, existing, {"Authorization": f"Bearer {wrong}"})


def test_it_refuses_a_revoked_token(client, existing, api_token):
    ApiToken.objects.update(revoked_at=timezone.now())

    assert_refused_everywhere(client, existing, {"Authorization": f"Bearer {api_token}"})


def test_it_refuses_the_token_of_an_inactive_user(client, existing, staff, api_token):
    staff.is_active = False
    staff.save()

    assert_refused_everywhere(client, existing, {"Authorization": f"Bearer {api_token}"})


def test_it_refuses_a_logged_in_browser_session_without_a_token(staff_client, existing):
    # The API does not take the session cookie: a page on another site cannot make a logged-in browser call it.
    assert_refused_everywhere(staff_client, existing, {})


def test_it_accepts_the_scheme_in_any_case(client, api_token):
    response = client.get("/api/v1/customers", headers={"Authorization": f"bearer {api_token}"})

    assert response.status_code == 200


def test_it_acts_as_the_tokens_user(client):
    bob = UserFactory(username="bob")
    token = api_token_create(user=bob)

    response = client.post(
        "/api/v1/customers", {"name": "Bob's customer"}, content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )  # fmt: skip

    assert response.status_code == 201
    assert Customer.objects.get().events.get().actor == bob


def test_it_needs_no_csrf_token_with_a_bearer_token(api_token):
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        "/api/v1/customers", {"name": "From a script"}, content_type="application/json",
        headers={"Authorization": f"Bearer {api_token}"},
    )  # fmt: skip

    assert response.status_code == 201


def test_it_notes_when_a_token_was_last_used(client, api_token):
    assert ApiToken.objects.get().last_used_at is None

    client.get("/api/v1/tags", headers={"Authorization": f"Bearer {api_token}"})

    assert ApiToken.objects.get().last_used_at is not None


def test_it_keeps_working_for_other_tokens_when_one_is_revoked(client, staff):
    kept = api_token_create(user=staff, name="kept")
    revoked = api_token_create(user=staff, name="revoked")
    ApiToken.objects.filter(name="revoked").update(revoked_at=timezone.now())

    assert client.get("/api/v1/tags", headers={"Authorization": f"Bearer {kept}"}).status_code == 200
    assert client.get("/api/v1/tags", headers={"Authorization": f"Bearer {revoked}"}).status_code == 401
