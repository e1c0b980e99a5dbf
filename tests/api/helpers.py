"""Assertions shared by the API tests: what an error answer looks like, and that nothing stored changed."""

from kartei.accounts.models import ApiToken
from kartei.customers.models import Address, Customer, Note, Tag
from kartei.timeline.models import Event


def error_body(response, status: int) -> dict:
    """The JSON body of an error answer with `status`: always {"detail": "..."} with a message."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"].strip()
    return body


def field_error(response, field: str | None, *, status: int = 422, code: str | None = None) -> dict:
    """The error entry naming `field` in a 422 answer (field None: the body as a whole)."""
    body = error_body(response, status)
    errors = body["errors"]
    assert isinstance(errors, list) and errors
    for error in errors:
        assert set(error) >= {"field", "message", "code"}, error
        assert isinstance(error["message"], str) and error["message"].strip(), error
    matching = [e for e in errors if e["field"] == field]
    assert matching, f"no error for {field!r} in {errors}"
    if code is not None:
        assert code in {e["code"] for e in matching}, matching
    return matching[0]


def stored_state() -> dict:
    """Everything the customer API can change, to compare before and after a refused request."""
    return {
        "customers": list(Customer.objects.order_by("id").values()),
        "addresses": list(Address.objects.order_by("id").values()),
        "tags": list(Tag.objects.order_by("id").values()),
        "customer_tags": list(Customer.tags.through.objects.order_by("id").values()),
        "notes": list(Note.objects.order_by("id").values()),
        "events": list(Event.objects.order_by("id").values()),
        "tokens": list(ApiToken.objects.order_by("id").values("id", "revoked_at")),
    }
