"""Staff: every member may read the list (mentions and assignments need it); only owners add and change
members. Endpoints parse, call a query or a service, and return; the rules live in kartei.accounts.services."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from ninja import Field, Query, Router, Schema
from pydantic import BaseModel

from kartei.accounts import queries, services
from kartei.accounts.models import Role, UiLanguage

from .api import TokenAuth
from .schemas import ErrorOut, In, Text, choice
from .schemas import ValidationErrorOut as Invalid

try:
    from ninja import Status as Answer
except ImportError:  # older django-ninja takes a (status, body) tuple

    def Answer(status_code, value):  # noqa: N802
        return status_code, value


User = get_user_model()
router = Router(tags=["staff"])


class OwnerAuth(TokenAuth):
    """A valid token of an owner. A valid token of anyone else is refused with 403 before the body is read, so
    a member who is not an owner learns nothing from validation errors."""

    openapi_security_schema = {
        "type": "http",
        "scheme": "bearer",
        "description": "The token of an owner; a valid token of anyone else gets 403.",
    }

    def authenticate(self, request, token):
        user = super().authenticate(request, token)
        if user is not None and not queries.is_owner(user):
            raise PermissionDenied
        return user


owner_only = [OwnerAuth()]


class StaffFields(In):
    name: Text = Field(None, description="The whole name, as colleagues see it (at most 150 characters)")  # type: ignore[assignment]
    username: Text = Field(None, description="For logging in: letters, digits and @ . + - _; unique")  # type: ignore[assignment]
    email: Text = Field(None, description="Unique among staff (case-insensitive); where invitations go")  # type: ignore[assignment]
    role: Text = choice(Role.values, "owner or staff")  # type: ignore[assignment]
    language: Text = choice(["", *UiLanguage.values], "de, pl, en, or empty for the browser's")  # type: ignore[assignment]
    is_active: bool = Field(None, description="false: cannot log in, tokens stop working")  # type: ignore[assignment]


class StaffCreate(StaffFields):
    """A new member. With `password` they can log in at once; without, an invitation link goes to `email`
    (then required), where they choose their password."""

    name: Text
    username: Text
    password: Text | None = Field(None, description="Checked against the password rules; never shown again")


class StaffPatch(StaffFields):
    """Only the fields sent change. The last active owner cannot be demoted or deactivated (422)."""


class StaffOut(BaseModel):
    id: int
    username: str
    name: str
    email: str
    role: str
    language: str
    is_active: bool
    invitation_pending: bool = Field(description="Invited and no password chosen yet")
    last_login: datetime | None
    date_joined: datetime


def staff_out(user) -> dict:
    profile = getattr(user, "staff_profile", None)
    return {
        "id": user.pk,
        "username": user.username,
        "name": user.get_full_name(),
        "email": user.email,
        "role": profile.role if profile else Role.STAFF,
        "language": profile.language if profile else "",
        "is_active": user.is_active,
        "invitation_pending": user.is_active and not user.has_usable_password(),
        "last_login": user.last_login,
        "date_joined": user.date_joined,
    }


class StaffListParams(Schema):
    active: bool | None = Field(None, description="true: only active members; false: only deactivated ones")


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


@router.get("/staff", response=list[StaffOut], summary="List staff")
def staff_list(request, params: Query[StaffListParams]):
    return [staff_out(u) for u in queries.staff_list(active=params.active)]


@router.get("/staff/{int:staff_id}", response={200: StaffOut, 404: ErrorOut}, summary="Get a member of staff")
def staff_get(request, staff_id: int):
    return staff_out(queries.staff_member(staff_id))


@router.post(
    "/staff",
    response={201: StaffOut, 403: ErrorOut, 422: Invalid},
    auth=owner_only,
    summary="Add a member of staff (owners only)",
)
def staff_create(request, payload: StaffCreate):
    data = payload.model_dump(exclude_unset=True)
    if data.get("password") is None:
        data.pop("password", None)
    user = services.staff_create(actor=request.user, data=data, base_url=_base_url(request))
    return Answer(201, staff_out(queries.staff_member(user.pk)))


@router.patch(
    "/staff/{int:staff_id}",
    response={200: StaffOut, 403: ErrorOut, 404: ErrorOut, 422: Invalid},
    auth=owner_only,
    summary="Change a member of staff (owners only)",
)
def staff_update(request, staff_id: int, payload: StaffPatch):
    user = services.staff_update(
        actor=request.user, user=queries.staff_member(staff_id), data=payload.model_dump(exclude_unset=True)
    )
    return staff_out(queries.staff_member(user.pk))


@router.post(
    "/staff/{int:staff_id}/invitation",
    response={202: None, 403: ErrorOut, 404: ErrorOut, 422: Invalid},
    auth=owner_only,
    summary="Email a member a link to choose a (new) password (owners only)",
)
def staff_invite(request, staff_id: int):
    services.staff_invite(actor=request.user, user=queries.staff_member(staff_id), base_url=_base_url(request))
    return Answer(202, None)
