"""Rules every app's text fields share: what both databases can store, and what an e-mail address is. Each
function takes raw input and returns the stored form or raises ValidationError with a message a user can act
on."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

EMAIL_MAX = 254
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(value) -> str:
    """Refuse what neither database can store: PostgreSQL rejects NUL characters, and no UTF-8 column takes a
    lone surrogate (a JSON body can carry one as \\ud800). Both would otherwise fail the save with a 500."""
    if not isinstance(value, str):
        raise ValidationError(_("Enter text here."), code="invalid")
    if _UNSTORABLE.search(value):
        raise ValidationError(
            _("This text contains characters that cannot be saved. Remove them and try again."),
            code="invalid_characters",
        )
    return value


def clean_email(value) -> str:
    """An e-mail address as stored: its domain in lower case (the local part is the mailbox owner's), or ""."""
    value = storable(value or "").strip()
    if not value:
        return ""
    if len(value) > EMAIL_MAX:
        raise ValidationError(_("This email address is too long."), code="max_length")
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationError(_("Enter an email address such as name@example.com."), code="invalid") from None
    local, _at, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"
