"""The REST API under /api/v1/: token auth, JSON errors, routers per area."""

import json
import logging
import uuid
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import (
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    ValidationError,
)
from django.http import Http404, JsonResponse
from django.urls import re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer

from kartei.accounts.services import api_token_user
from kartei.core.errors import ConflictError
from kartei.core.pagination import BadCursor

logger = logging.getLogger(__name__)


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


class BadBody(ValueError):
    """The request body is not JSON."""


class JsonParser(Parser):
    def parse_body(self, request):
        try:
            return json.loads(request.body)
        except (ValueError, RecursionError) as error:  # JSONDecodeError, bad UTF-8, too many digits, too deep
            raise BadBody(str(error)[:200]) from None


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Any other path under /api/v1/ (/customers/abc, /customers/-1, a typo): a JSON 404, not the HTML page."""
    return JsonResponse({"detail": _("Not found.")}, status=404)


def _json_405(view):
    """Ninja answers a method an endpoint lacks with a plain-text 405; make it JSON like every other error."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith("application/json"):
            allowed = response.get("Allow", "")
            response = JsonResponse({"detail": _("Use one of: %(methods)s.") % {"methods": allowed}}, status=405)
            response["Allow"] = allowed
        return response

    return wrapped


class KarteiAPI(NinjaAPI):
    @property
    def urls(self):
        """The API authenticates with tokens, not the session: its views (and the OpenAPI schema) are exempt from
        LoginRequiredMiddleware, which would otherwise answer every call with a redirect to the login page.
        The HTML docs page stays behind the login. Paths that match no endpoint get a JSON 404."""
        patterns, app_name, namespace = super().urls
        patterns.append(re_path(r"^", not_found, name="not-found"))
        for pattern in patterns:
            if pattern.name == "api-root":  # ninja's raises Http404, which Django renders as HTML
                pattern.callback = not_found
            if pattern.name != "openapi-view":
                pattern.callback = login_not_required(_json_405(pattern.callback))
        return patterns, app_name, namespace


api = KarteiAPI(
    title="Kartei API",
    version="1",
    description="Customers, notes, tags, products and orders of a Kartei customer file. "
    "Send `Authorization: Bearer <token>`; create a token with `kartei token create USERNAME`.",
    auth=TokenAuth(),
    parser=JsonParser(),
    urls_namespace="api",
)


def _errors(error: ValidationError) -> list[dict]:
    out = []
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for e in errors:
                item = {"field": field, "message": " ".join(e.messages), "code": e.code or "invalid"}
                if e.code == "duplicate_email":
                    item["customer"] = (e.params or {}).get("customer_id")
                out.append(item)
    else:
        out = [{"field": None, "message": m, "code": "invalid"} for m in error.messages]
    return out


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    return api.create_response(request, {"detail": _("Some fields are not valid."), "errors": _errors(exc)}, status=422)


def _schema_error(e: dict) -> dict:
    loc = [str(p) for p in e.get("loc", ())]
    # ("body", "payload", "subject") -> "subject": where it came from and the parameter's name, then the field
    # (which may itself be called "body").
    if loc and loc[0] in ("body", "query", "path"):
        loc.pop(0)
    if loc and loc[0] in ("payload", "params"):
        loc.pop(0)
    kind = e.get("type", "invalid")
    message = e.get("msg", "")
    if kind == "missing" and not loc:
        message = _("Send a JSON object in the request body.")
    elif kind == "missing":
        message = _("This field is required.")
    elif kind in ("model_type", "model_attributes_type", "dict_type"):
        message = _("Send a JSON object here.")
    elif kind == "extra_forbidden":
        message = _("There is no such field. The fields are listed in /api/v1/openapi.json.")
    return {"field": ".".join(loc) or None, "message": message, "code": kind}


@api.exception_handler(SchemaValidationError)
def on_schema_error(request, exc):
    errors = [_schema_error(e) for e in exc.errors]
    return api.create_response(request, {"detail": _("Some fields are not valid."), "errors": errors}, status=422)


@api.exception_handler(BadCursor)
def on_bad_cursor(request, exc):
    errors = [{"field": "cursor", "message": str(exc), "code": "invalid"}]
    return api.create_response(request, {"detail": str(exc), "errors": errors}, status=422)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    response = api.create_response(
        request, {"detail": _("Send a valid API token: Authorization: Bearer <token>.")}, status=401
    )
    response["WWW-Authenticate"] = 'Bearer realm="kartei"'
    return response


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
    if isinstance(exc.__cause__, BadBody):
        message = _("The request body is not valid JSON (%(error)s).") % {"error": exc.__cause__}
        errors = [{"field": None, "message": message, "code": "invalid_json"}]
        return api.create_response(request, {"detail": message, "errors": errors}, status=422)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(SuspiciousOperation)
def on_suspicious(request, exc):
    if isinstance(exc, RequestDataTooBig):
        return api.create_response(request, {"detail": _("The request body is too large.")}, status=413)
    return api.create_response(request, {"detail": _("This request cannot be read.")}, status=400)


@api.exception_handler(Exception)
def on_unexpected(request, exc):
    """Anything else is a fault of ours: logged with a request id the caller can quote, answered in JSON."""
    request_id = uuid.uuid4().hex[:12]
    logger.error("API request %s %s failed (request id %s)", request.method, request.path, request_id, exc_info=exc)
    detail = _("Something went wrong on our side. If it keeps happening, tell us the request id %(id)s.")
    response = api.create_response(request, {"detail": detail % {"id": request_id}, "request_id": request_id},
                                   status=500)  # fmt: skip
    response["X-Request-ID"] = request_id
    return response


from kartei.api import catalog, customers, events, messages, orders, staff  # noqa: E402  (registers the routers)

api.add_router("/", customers.router)
api.add_router("/", events.router)
api.add_router("/", staff.router)
api.add_router("/", catalog.router)
api.add_router("/", orders.router)
api.add_router("/", messages.router)
