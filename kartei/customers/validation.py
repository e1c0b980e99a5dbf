"""The rules a customer's fields follow, written once for the UI, the API, the importer and the CLI.

Each function takes raw input and returns the stored form or raises ValidationError with a message
a user can act on."""

from decimal import Decimal, InvalidOperation
from functools import cache

from babel.numbers import list_currencies
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from stdnum import get_cc_module
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError as StdnumError

from kartei.core.validation import clean_email as clean_email  # one rule for every e-mail field
from kartei.core.validation import is_visible, multi_line, single_line

from . import phones
from .models import Language

NAME_MAX = 200
TAG_MAX = 50
TAGS_PER_CUSTOMER = 20
ADDRESSES_PER_CUSTOMER = 20
NOTE_MAX = 10_000
_CURRENCIES = frozenset(list_currencies())


def clean_name(value: str) -> str:
    value = single_line(value or "")
    if not is_visible(value):
        raise ValidationError(_("Enter the customer's name."), code="required")
    if len(value) > NAME_MAX:
        raise ValidationError(
            _("Keep the name to %(max)d characters (it has %(length)d)."),
            code="max_length",
            params={"max": NAME_MAX, "length": len(value)},
        )
    return value


def clean_short_text(value: str, *, max_length: int) -> str:
    value = single_line(value or "")
    if len(value) > max_length:
        raise ValidationError(
            _("Keep this to %(max)d characters (it has %(length)d)."),
            code="max_length",
            params={"max": max_length, "length": len(value)},
        )
    return value


def clean_phone(value: str, *, region: str) -> str:
    """A phone number in E.164; national numbers are read in the customer's (or the business's) country."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) > 40:
        raise ValidationError(_("This phone number is too long."), code="max_length")
    number = phones.e164(value, region or None)
    if number is None:
        raise ValidationError(
            _("This is not a valid phone number. Enter it with the country code, such as +49 171 2345678."),
            code="invalid",
        )
    return number


def clean_vat_id(value: str, *, country: str) -> str:
    """A VAT ID checked with its country's checksum. With a country prefix (DE…, PL…) it is an EU VAT ID;
    without, it is the national number (a Polish NIP, say) of the customer's country."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) > 32:
        raise ValidationError(_("This VAT ID is too long."), code="max_length")
    try:
        if value[:2].isalpha():
            prefix = value[:2].lower()
            if prefix in eu_vat.MEMBER_STATES or prefix in ("el", "xi"):
                return eu_vat.validate(value)
            module = get_cc_module(prefix, "vat")
        else:
            module = get_cc_module((country or "").lower(), "vat")
        if module is None:
            raise ValidationError(_("Start the VAT ID with its country code, such as DE123456789."), code="invalid")
        return module.validate(value)
    except StdnumError:
        raise ValidationError(
            _("This VAT ID fails its check digits. Check it against the invoice or the register."),
            code="invalid",
        ) from None


def clean_discount(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ".") if isinstance(value, str) else str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Enter the discount as a number, such as 12.5."), code="invalid") from None
    if not number.is_finite() or number < 0 or number > 100:
        raise ValidationError(_("The discount must be between 0 and 100 %."), code="range")
    if number != number.quantize(Decimal("0.01")):
        raise ValidationError(_("Use at most two decimal places."), code="invalid")
    return number.quantize(Decimal("0.01"))


def clean_currency(value: str) -> str:
    value = (value or "").strip().upper()
    if value and value not in _CURRENCIES:
        raise ValidationError(
            _("“%(value)s” is not a currency code. Use one such as EUR, PLN or USD."),
            code="invalid",
            params={"value": value[:10]},
        )
    return value


def clean_language(value: str) -> str:
    value = (value or "").strip().lower()
    if value and value not in Language.values:
        raise ValidationError(_("Choose German, Polish or English."), code="invalid")
    return value


def clean_choice(value: str, choices, *, blank: bool = False) -> str:
    value = (value or "").strip()
    if (blank and value == "") or value in choices._value2member_map_:  # choices.values, without building a list
        return value
    raise ValidationError(
        _("Choose one of: %(choices)s."),
        code="invalid_choice",
        params={"choices": ", ".join(str(label) for label in choices.labels)},
    )


@cache
def _country_codes() -> frozenset[str]:
    return frozenset(countries.countries)


def clean_country(value: str) -> str:
    value = (value or "").strip().upper()
    if value and value not in _country_codes():
        raise ValidationError(_("Choose a country from the list."), code="invalid")
    return value


def clean_tag_names(names) -> list[str]:
    cleaned: dict[str, str] = {}
    for name in names or []:
        name = single_line(str(name))
        if not is_visible(name):
            continue
        if len(name) > TAG_MAX:
            raise ValidationError(
                _("A tag can have at most %(max)d characters."), code="max_length", params={"max": TAG_MAX}
            )
        cleaned.setdefault(name.lower(), name)
    if len(cleaned) > TAGS_PER_CUSTOMER:
        raise ValidationError(
            _("A customer can have at most %(max)d tags."), code="too_many", params={"max": TAGS_PER_CUSTOMER}
        )
    return list(cleaned.values())


def clean_note_text(value: str) -> str:
    value = multi_line(value or "")
    if not is_visible(value):
        raise ValidationError(_("Write something in the note."), code="required")
    if len(value) > NOTE_MAX:
        raise ValidationError(
            _("A note can have at most %(max)d characters."), code="max_length", params={"max": NOTE_MAX}
        )
    return value
