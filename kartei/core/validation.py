"""Rules every app's text fields share: what both databases can store, and what an e-mail address is. Each
function takes raw input and returns the stored form or raises ValidationError with a message a user can act
on."""

import re
import unicodedata

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


# ANSI escape sequences (colours, cursor moves) pasted from a terminal.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])")
_LINE_BREAKS = re.compile("[\r\n\t\v\f\x85\u2028\u2029]+")
# Invisible characters nobody means to keep: zero-width spaces, the byte order mark, and the bidirectional
# overrides, embeddings and isolates ("abc\u202egnp.exe" shows as "abcexe.png").
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u180e\u202a-\u202e\u2066-\u2069]")
# Zero-width (non-)joiners shape letters inside a word (Persian, Indic scripts, emoji); anywhere else they
# are invisible noise.
_STRAY_JOINERS = re.compile("(?<!\\S)[\u200c\u200d]+|[\u200c\u200d]+(?!\\S)")


def _without_controls(value: str, *, keep: str = "") -> str:
    """The text without terminal escape sequences, control characters (but those in `keep`), bidirectional
    overrides and zero-width spaces."""
    if not value.isprintable():  # printable text (most of it) holds no control character
        value = _ANSI.sub("", value) if "\x1b" in value else value
        value = "".join(c for c in value if c in keep or unicodedata.category(c) != "Cc")
    return _INVISIBLE.sub("", value)


def single_line(value) -> str:
    """Text for a one-line field, as stored: line breaks and tabs become spaces; other control characters,
    terminal escape sequences, bidirectional overrides and zero-width spaces are removed (joiners stay inside
    words); no space around it."""
    if value.__class__ is str and value.isprintable():  # (most text) no line break, control or invisible character
        return value.strip()
    return _STRAY_JOINERS.sub("", _without_controls(_LINE_BREAKS.sub(" ", storable(value)))).strip()


def multi_line(value) -> str:
    """Text for a field of several lines (a note), as stored: like single_line, but line breaks and tabs stay
    (each line break as one "\\n")."""
    return _without_controls(storable(value).replace("\r\n", "\n").replace("\r", "\n"), keep="\n\t").strip()


def is_visible(value: str) -> bool:
    """Whether the text shows anything: a letter, digit, punctuation mark or symbol."""
    return any(unicodedata.category(c)[0] in "LNPS" for c in value)


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
