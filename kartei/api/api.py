"""The REST API under /api/v1/: token auth, JSON errors, routers per area."""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.security import HttpBearer

from kartei.accounts.services import api_token_user
from kartei.core.errors import ConflictError
from kartei.core.pagination import BadCursor


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Kartei API",
    version="1",
    description="Customers, notes and tags of a Kartei customer file. Send `Authorization: Bearer <token>`; "
    "create a token with `kartei token create USERNAME`.",
    auth=TokenAuth(),
    urls_namespace="api",
)


def _errors(error: ValidationError) -> list[dict]:
    out = []
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for e in errors:
                item = {"field": field, "message": " ".join(e.messages), "code": e.code or "invalid"}
                if e.code == "duplicate_email":
                    item["customer"] = e.params["customer_id"]
                out.append(item)
    else:
        out = [{"field": None, "message": m, "code": "invalid"} for m in error.messages]
    return out


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    return api.create_response(
        request, {"detail": _("Some fields are not valid."), "errors": _errors(exc)}, status=422
    )


@api.exception_handler(SchemaValidationError)
def on_schema_error(request, exc):
    errors = []
    for e in exc.errors:
        loc = [str(p) for p in e.get("loc", ()) if p not in ("body", "payload", "query", "path")]
        errors.append({"field": ".".join(loc) or None, "message": e.get("msg", ""), "code": e.get("type", "invalid")})
    return api.create_response(request, {"detail": _("Some fields are not valid."), "errors": errors}, status=422)


@api.exception_handler(BadCursor)
def on_bad_cursor(request, exc):
    errors = [{"field": "cursor", "message": str(exc), "code": "invalid"}]
    return api.create_response(request, {"detail": str(exc), "errors": errors}, status=422)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return api.create_response(
        request, {"detail": _("Send a valid API token: Authorization: Bearer <token>.")}, status=401
    )


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return api.create_response(request, {"detail": _("You may not do this.")}, status=403)


@api.exception_handler(ObjectDoesNotExist)
@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(ConflictError)
def on_conflict(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=409)


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


from kartei.api import customers  # noqa: E402  (registers the routers)

api.add_router("/", customers.router)
