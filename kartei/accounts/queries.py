"""Reads of staff and API tokens that the pages, the API and the command line share."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.db.models.functions import Lower

from .models import ApiToken, Role, StaffProfile

User = get_user_model()


def active_owners() -> QuerySet[StaffProfile]:
    return StaffProfile.objects.filter(role=Role.OWNER, user__is_active=True)


def is_owner(user) -> bool:
    """Whether `user` may manage staff: an active owner."""
    return bool(user.is_authenticated and user.is_active and active_owners().filter(user_id=user.pk).exists())


def role_of(user) -> str:
    profile = getattr(user, "staff_profile", None)
    return profile.role if profile is not None else Role.STAFF


def language_of(user) -> str:
    """The UI language the user chose ("" for the browser's)."""
    return StaffProfile.objects.filter(user_id=user.pk).values_list("language", flat=True).first() or ""


def display_name(user) -> str:
    return user.get_full_name() or user.get_username()


def staff_list(*, active: bool | None = None) -> QuerySet:
    """Everyone with a login, with their profile: active members first, then by name."""
    users = User.objects.select_related("staff_profile").order_by("-is_active", Lower("first_name"), Lower("username"))
    if active is not None:
        users = users.filter(is_active=active)
    return users


def staff_member(pk: int):
    """One member with their profile; User.DoesNotExist if there is none."""
    return User.objects.select_related("staff_profile").get(pk=pk)


def api_tokens(*, username: str | None = None) -> QuerySet[ApiToken]:
    tokens = ApiToken.objects.select_related("user").order_by("user__username", "created_at", "pk")
    if username is not None:
        tokens = tokens.filter(user__username=username)
    return tokens


def api_tokens_matching(key: str) -> QuerySet[ApiToken]:
    """The tokens a command-line argument names: its id (digits) or the prefix it starts with (kt_…)."""
    if key.isdigit():
        return ApiToken.objects.filter(pk=int(key))
    return ApiToken.objects.filter(prefix__startswith=key[:8]) if len(key) >= 4 else ApiToken.objects.none()
