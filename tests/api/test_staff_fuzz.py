"""Schemathesis fuzzes the staff endpoints with an owner's token, so that bodies reach the services (the shared
fuzz test, tests/api/test_schema_fuzz.py, uses a token that is refused with 403 before the body is read).
Whatever it sends, the API never answers with a 5xx, and there is always an active owner."""

import pytest
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from kartei.accounts.models import StaffProfile
from kartei.accounts.services import api_token_create
from tests.api.test_schema_fuzz import EXAMPLES, _keep_connection, schema  # noqa: F401  (a fixture)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

staff_schema = schema.include(path_regex="^/api/v1/staff")


@pytest.fixture
def owner_token(owner):
    UserFactory(username="anna", email="anna@example.com")
    return api_token_create(user=owner)


@staff_schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_it_never_answers_with_a_server_error(case, owner_token, owner):
    for name, value in (case.path_parameters or {}).items():
        if name == "staff_id" and isinstance(value, int) and value % 2 == 0:
            case.path_parameters[name] = owner.pk
    case.call_and_validate(headers={"Authorization": f"Bearer {owner_token}"}, checks=[not_a_server_error])
    assert StaffProfile.objects.filter(role="owner", user__is_active=True).exists()
