"""Schemathesis fuzzes every operation of /api/v1/openapi.json in-process against the WSGI app, with a valid token:
valid and invalid bodies, query strings and path ids. Whatever it sends, the API never answers with a 5xx."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode

from tests.factories import make_customer, make_note

pytestmark = pytest.mark.django_db

EXAMPLES = 40


@pytest.fixture
def wsgi_app(db):
    """The real WSGI app, kept from closing the test's database connection after each request (as Django's test
    client does), so it sees the test's data inside the test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(wsgi_app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    schema.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        max_examples=EXAMPLES,
        deterministic=True,
        database="none",
    )
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def some_data(staff):
    customer = make_customer(actor=staff, name="Fuzz GmbH", email="fuzz@example.com", tags=["VIP"])
    make_note(customer, actor=staff, priority="high")
    return customer


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_it_never_answers_with_a_server_error(case, api_token, some_data):
    case.call_and_validate(headers={"Authorization": f"Bearer {api_token}"}, checks=[not_a_server_error])
