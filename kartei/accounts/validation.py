"""The rules a staff member's fields follow, for the UI, the API and the command line alike.

Each function takes raw input and returns the stored form or raises ValidationError with a message a user
can act on. Uniqueness is checked by the services, which hold the lock that makes the check hold."""

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kartei.core.validation import clean_email as clean_email  # one rule for every e-mail field
from kartei.core.validation import is_visible, single_line, storable

from .models import Role, UiLanguage

USERNAME_MAX = 150  # auth_user.username
NAME_MAX = 150  # auth_user.first_name, which holds the whole name
PASSWORD_MAX = 1024  # hashing a longer one only costs time
_username = UnicodeUsernameValidator()


def _too_long(max_length: int, length: int) -> ValidationError:
    return ValidationError(
        _("Keep this to %(max)d characters (it has %(length)d)."),
        code="max_length",
        params={"max": max_length, "length": length},
    )


def clean_username(value) -> str:
    value = storable(value or "").strip()
    if not value:
        raise ValidationError(_("Enter a username to log in with."), code="required")
    if len(value) > USERNAME_MAX:
        raise _too_long(USERNAME_MAX, len(value))
    try:
        _username(value)
    except ValidationError:
        raise ValidationError(
            _("Use only letters, digits and @ . + - _ in the username, no spaces."), code="invalid"
        ) from None
    return value


def clean_name(value) -> str:
    value = " ".join(single_line(value or "").split())
    if not is_visible(value):
        raise ValidationError(_("Enter the person's name."), code="required")
    if len(value) > NAME_MAX:
        raise _too_long(NAME_MAX, len(value))
    return value


def clean_role(value) -> str:
    value = storable(value or "").strip()
    if value not in Role.values:
        raise ValidationError(_("Choose owner or staff."), code="invalid_choice")
    return value


def clean_language(value) -> str:
    value = storable(value or "").strip().lower()
    if value and value not in UiLanguage.values:
        raise ValidationError(_("Choose German, Polish or English, or leave it empty."), code="invalid_choice")
    return value


def clean_bool(value) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(_("Use true or false."), code="invalid")
    return value


def clean_password_text(value: str) -> str:
    """A password the hasher can take: text, not too long, no lone surrogate (it cannot be encoded)."""
    storable(value)
    if len(value) > PASSWORD_MAX:
        raise _too_long(PASSWORD_MAX, len(value))
    return value
