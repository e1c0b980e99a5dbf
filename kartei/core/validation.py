"""Rules every app's text fields share: what both databases can store, and what an e-mail address is. Each
function takes raw input and returns the stored form or raises ValidationError with a message a user can act
on."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _

EMAIL_MAX = 254


class _EmailRule(EmailValidator):
    """Django's rule for an e-mail address, with its regular expressions compiled once: Django compiles them
    lazily, behind a proxy each use goes through, which took two thirds of the time of checking an address."""

    user_regex = re.compile(EmailValidator.user_regex.pattern, EmailValidator.user_regex.flags)
    domain_regex = re.compile(EmailValidator.domain_regex.pattern, EmailValidator.domain_regex.flags)
    literal_regex = re.compile(EmailValidator.literal_regex.pattern, EmailValidator.literal_regex.flags)


validate_email = _EmailRule()
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
# Zero-width (non-)joiners shape letters inside a word (Persian, Indic scripts, emoji); anywhere else they
# are invisible noise.
_JOINERS = "\u200c\u200d"
_STRAY_JOINERS = re.compile(f"(?<!\\S)[{_JOINERS}]+|[{_JOINERS}]+(?!\\S)")
# Tag characters spell out a flag after the black flag emoji (🏴 + "gbsct" = Scotland's); nowhere else.
_FLAG, _TAGS = "\U0001f3f4", range(0xE0020, 0xE0080)
# Letters that show as blank space: Hangul fillers and the blank braille pattern.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def _without_controls(value: str, *, keep: str = "") -> str:
    """The text without terminal escape sequences, control characters (but those in `keep`) and invisible
    format characters: zero-width spaces, the byte order mark, soft hyphens, direction marks, and the
    bidirectional overrides, embeddings and isolates (U+202E makes "abc", U+202E, "gnp.exe" show as
    "abcexe.png"). Joiners and a flag's tag characters stay for now."""
    if value.isprintable():  # printable text (most of it) holds no control or format character
        return value
    value = _ANSI.sub("", value) if "\x1b" in value else value
    kept = []
    for c in value:
        category = unicodedata.category(c)
        if category == "Cc" and c not in keep:
            continue
        if category == "Cf" and c not in _JOINERS:
            if ord(c) not in _TAGS or not kept or (kept[-1] != _FLAG and ord(kept[-1]) not in _TAGS):
                continue
        kept.append(c)
    return "".join(kept)


def single_line(value) -> str:
    """Text for a one-line field, as stored: line breaks and tabs become spaces; other control characters,
    terminal escape sequences and invisible format characters are removed (joiners stay inside words); no
    space around it."""
    if value.__class__ is str and value.isprintable():  # (most text) no line break, control or invisible character
        return value.strip()
    return _STRAY_JOINERS.sub("", _without_controls(_LINE_BREAKS.sub(" ", storable(value)))).strip()


def multi_line(value) -> str:
    """Text for a field of several lines (a note), as stored: like single_line, but line breaks and tabs stay
    (each line break as one "\\n")."""
    return _without_controls(storable(value).replace("\r\n", "\n").replace("\r", "\n"), keep="\n\t").strip()


def is_visible(value: str) -> bool:
    """Whether the text shows anything: a letter, digit, punctuation mark or symbol that is not blank."""
    return any(unicodedata.category(c)[0] in "LNPS" and c not in _BLANK_LETTERS for c in value)


def clean_email(value) -> str:
    """An e-mail address as stored: its domain in lower case (the local part is the mailbox owner's), or ""."""
    value = storable(value or "").strip()
    if not value:
        return ""
    if not value.isprintable() or not _BLANK_LETTERS.isdisjoint(value):
        # Pasted with an invisible or control character: stored, it would look like an address it is not.
        raise ValidationError(
            _("This email address contains invisible characters. Type it again."), code="invisible_characters"
        )
    if len(value) > EMAIL_MAX:
        raise ValidationError(_("This email address is too long."), code="max_length")
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationError(_("Enter an email address such as name@example.com."), code="invalid") from None
    local, _at, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"
