"""The OpenAPI schema at /api/v1/openapi.json describes every endpoint, the token auth, and input that the
server holds clients to (required fields, no unknown fields, the choices of each field)."""

import pytest

from kartei.customers import queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def test_it_serves_the_schema_without_a_token(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Kartei API"


def test_it_describes_every_endpoint(schema):
    operations = {(path, method) for path, item in schema["paths"].items() for method in item}

    assert operations == {
        ("/api/v1/customers", "get"),
        ("/api/v1/customers", "post"),
        ("/api/v1/customers/{customer_id}", "get"),
        ("/api/v1/customers/{customer_id}", "patch"),
        ("/api/v1/customers/{customer_id}", "delete"),
        ("/api/v1/customers/{customer_id}/restore", "post"),
        ("/api/v1/customers/{customer_id}/notes", "get"),
        ("/api/v1/customers/{customer_id}/notes", "post"),
        ("/api/v1/customers/{customer_id}/events", "get"),
        ("/api/v1/activity", "get"),
        ("/api/v1/customers/{customer_id}/comments", "post"),
        ("/api/v1/mentions", "get"),
        ("/api/v1/notes/{note_id}/attachments", "post"),
        ("/api/v1/comments/{comment_id}/attachments", "post"),
        ("/api/v1/comments/{comment_id}", "delete"),
        ("/api/v1/attachments/{attachment_id}", "get"),
        ("/api/v1/mentions/read", "post"),
        ("/api/v1/notes/{note_id}", "patch"),
        ("/api/v1/notes/{note_id}", "delete"),
        ("/api/v1/tags", "get"),
        ("/api/v1/tags/unused", "delete"),
        ("/api/v1/trash", "get"),
        ("/api/v1/staff", "get"),
        ("/api/v1/staff", "post"),
        ("/api/v1/staff/{staff_id}", "get"),
        ("/api/v1/staff/{staff_id}", "patch"),
        ("/api/v1/staff/{staff_id}/invitation", "post"),
        ("/api/v1/products", "get"),
        ("/api/v1/products", "post"),
        ("/api/v1/products/{product_id}", "get"),
        ("/api/v1/products/{product_id}", "patch"),
        ("/api/v1/exchange-rates", "get"),
        ("/api/v1/exchange-rates", "put"),
        ("/api/v1/orders", "get"),
        ("/api/v1/orders", "post"),
        ("/api/v1/orders/{order_id}", "get"),
        ("/api/v1/orders/{order_id}/transition", "post"),
        ("/api/v1/coupons", "get"),
        ("/api/v1/coupons", "post"),
        ("/api/v1/customers/{customer_id}/quick-order-link", "post"),
        ("/api/v1/customers/{customer_id}/quick-order-link", "delete"),
        ("/api/v1/customers/{customer_id}/messages", "get"),
        ("/api/v1/customers/{customer_id}/messages", "post"),
        ("/api/v1/customers/{customer_id}/messages/read", "post"),
        ("/api/v1/messages/{message_id}/retry", "post"),
        ("/api/v1/messages/{message_id}/review", "post"),
        ("/api/v1/replies", "get"),
    }


def test_it_asks_for_a_bearer_token_on_every_endpoint(schema):
    schemes = schema["components"]["securitySchemes"]
    for scheme in schemes.values():
        assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    for item in schema["paths"].values():
        for operation in item.values():
            assert len(operation["security"]) == 1
            assert set(operation["security"][0]) <= set(schemes)


def test_it_says_which_endpoints_take_an_owners_token(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            (name,) = operation["security"][0]
            writes_staff = path.startswith("/api/v1/staff") and method != "get"
            assert (name == "OwnerAuth") == writes_staff, (path, method)


def test_it_holds_request_bodies_to_their_fields(schema):
    components = schema["components"]["schemas"]
    for name in ("CustomerCreate", "CustomerPatch", "AddressIn", "NoteIn", "NotePatch"):
        assert components[name]["additionalProperties"] is False, name
    assert components["CustomerCreate"]["required"] == ["name"]
    assert components["NoteIn"]["required"] == ["text"]
    assert "version" in components["CustomerPatch"]["properties"]
    assert "version" not in components["CustomerCreate"]["properties"]
    assert "note" in components["CustomerCreate"]["properties"]
    assert "note" not in components["CustomerPatch"]["properties"]


def test_it_lists_the_choices_of_each_choice_field(schema):
    customer = schema["components"]["schemas"]["CustomerCreate"]["properties"]
    assert customer["kind"]["enum"] == ["company", "person"]
    assert customer["status"]["enum"] == ["current", "potential"]
    assert customer["temperature"]["enum"] == ["", "hot", "warm", "cold", "not_interested"]
    assert customer["preferred_language"]["enum"] == ["", "de", "pl", "en"]
    assert schema["components"]["schemas"]["NoteIn"]["properties"]["priority"]["enum"] == ["high", "medium", "none"]
    params = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/customers"]["get"]["parameters"]}
    assert params["sort"]["enum"] == list(queries.SORTS)
    assert params["status"]["enum"] == ["", "current", "potential"]
    assert (params["limit"]["minimum"], params["limit"]["maximum"]) == (1, 100)


def test_it_documents_the_error_answers(schema):
    post = schema["paths"]["/api/v1/customers"]["post"]["responses"]
    patch = schema["paths"]["/api/v1/customers/{customer_id}"]["patch"]["responses"]

    assert {"201", "422"} <= set(post)
    assert {"200", "404", "409", "422"} <= set(patch)
    error = schema["components"]["schemas"]["ValidationErrorOut"]
    assert set(error["properties"]) == {"detail", "errors"}


def test_it_keeps_the_html_docs_behind_the_login(client, staff_client):
    assert client.get("/api/v1/docs").status_code == 302
    assert staff_client.get("/api/v1/docs").status_code == 200
