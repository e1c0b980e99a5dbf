"""The rules a product's fields and the exchange rates follow, written once for the pages and the API. Each
function takes raw input and returns the stored form or raises ValidationError with a message a user can act on."""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kartei.core.validation import is_visible, multi_line, single_line
from kartei.customers.validation import clean_currency

from .models import MONEY_DIGITS, MONEY_PLACES, RATE_DIGITS, RATE_PLACES
from .pricing import base_currency, minor_unit

SKU_MAX = 64
NAME_MAX = 200
DESCRIPTION_MAX = 5000
QUANTITY_MAX = 1_000_000
PRICE_MAX = Decimal(10) ** (MONEY_DIGITS - MONEY_PLACES) - 1
RATE_MAX = Decimal(10) ** (RATE_DIGITS - RATE_PLACES) - 1
CHANGE_MIN, CHANGE_MAX = Decimal(-99), Decimal(1000)  # a bulk price change, in percent
_SKU = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/\-]*")


def clean_sku(value) -> str:
    value = single_line(value or "")
    if not value:
        raise ValidationError(_("Enter the SKU (the product's article number)."), code="required")
    if len(value) > SKU_MAX:
        raise ValidationError(_("Keep the SKU to %(max)d characters."), code="max_length", params={"max": SKU_MAX})
    if not _SKU.fullmatch(value):
        raise ValidationError(
            _("Use letters, digits and . _ / - in the SKU (no spaces), starting with a letter or digit."),
            code="invalid",
        )
    return value


def clean_product_name(value, *, required: bool) -> str:
    value = single_line(value or "")
    if not is_visible(value):
        if required:
            raise ValidationError(_("Enter the product's name."), code="required")
        return ""
    if len(value) > NAME_MAX:
        raise ValidationError(
            _("Keep the name to %(max)d characters (it has %(length)d)."),
            code="max_length",
            params={"max": NAME_MAX, "length": len(value)},
        )
    return value


def clean_description(value) -> str:
    value = multi_line(value or "")
    if len(value) > DESCRIPTION_MAX:
        raise ValidationError(
            _("Keep the description to %(max)d characters."), code="max_length", params={"max": DESCRIPTION_MAX}
        )
    return value


def _decimal(value, message) -> Decimal:
    """A number typed with a decimal point or comma ("12.50", "12,50"), or sent as a number."""
    if isinstance(value, bool) or value is None or value == "":
        raise ValidationError(message, code="invalid")
    if isinstance(value, float):
        value = repr(value)
    text = str(value).strip().replace("\xa0", "").replace(" ", "")
    if isinstance(value, str) and "," in text:
        if "." in text:  # "1.234,50" (German) or "1,234.50" (English): the last one separates the decimals
            thousands = "." if text.rindex(",") > text.rindex(".") else ","
            text = text.replace(thousands, "")
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        raise ValidationError(message, code="invalid") from None
    if not number.is_finite():
        raise ValidationError(message, code="invalid")
    return number


def clean_price(value, currency: str | None = None) -> Decimal:
    """A price in `currency` (the base currency if None): not negative, at most the currency's decimals."""
    currency = currency or base_currency()
    number = _decimal(value, _("Enter the price as a number, such as 12.50."))
    if number < 0:
        raise ValidationError(_("A price cannot be negative."), code="min_value")
    if number > PRICE_MAX:
        raise ValidationError(_("This price is too high."), code="max_value")
    places = minor_unit(currency)
    if number != number.quantize(places):
        raise ValidationError(
            _("Prices in %(currency)s have at most %(places)d decimal places."),
            code="invalid",
            params={"currency": currency, "places": max(-places.as_tuple().exponent, 0)},
        )
    return number


def clean_prices(value) -> dict[str, Decimal]:
    """Fixed prices per currency ({"PLN": "55.00"}), the base currency left out (its price is the base price)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValidationError(_("Send the prices as an object of currency codes and prices."), code="invalid")
    cleaned = {}
    for currency, price in value.items():
        code = clean_currency(str(currency))
        if not code or code == base_currency():
            raise ValidationError(
                _("%(currency)s is the base currency: its price is the base price.")
                if code
                else _("Name the currency of each price, such as PLN."),
                code="invalid",
                params={"currency": code},
            )
        if price is None or price == "":
            continue  # no fixed price there: converted at the rate
        try:
            cleaned[code] = clean_price(price, code)
        except ValidationError as error:
            raise ValidationError(
                _("%(currency)s: %(error)s"), params={"currency": code, "error": " ".join(error.messages)}
            ) from None
    return cleaned


def clean_quantity(value, *, label) -> int:
    """A whole number of at least 1 (a minimum order quantity, a pack size)."""
    if isinstance(value, bool):
        raise ValidationError(_("Enter a whole number."), code="invalid")
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        raise ValidationError(_("Enter a whole number."), code="invalid") from None
    if number < 1 or number > QUANTITY_MAX:
        raise ValidationError(
            _("%(label)s must be between 1 and %(max)s."),
            code="range",
            params={"label": label, "max": f"{QUANTITY_MAX:,}"},
        )
    return number


def clean_rate(value) -> Decimal:
    number = _decimal(value, _("Enter the rate as a number, such as 4.30."))
    if number <= 0:
        raise ValidationError(_("A rate must be more than 0."), code="min_value")
    if number > RATE_MAX or number != number.quantize(Decimal(1).scaleb(-RATE_PLACES)):
        raise ValidationError(
            _("Use at most %(places)d decimal places, below %(max)s."),
            code="invalid",
            params={"places": RATE_PLACES, "max": f"{RATE_MAX + 1:,}"},
        )
    return number


def clean_rates(value) -> dict[str, Decimal]:
    """Currency → rate against the base currency, as the owner set them."""
    if not isinstance(value, dict):
        raise ValidationError(_("Send the rates as an object of currency codes and rates."), code="invalid")
    cleaned = {}
    for currency, rate in value.items():
        code = clean_currency(str(currency))
        if not code:
            raise ValidationError(_("Name the currency of each rate, such as PLN."), code="invalid")
        if code == base_currency():
            raise ValidationError(
                _("%(currency)s is the base currency: it needs no rate."), code="invalid", params={"currency": code}
            )
        try:
            cleaned[code] = clean_rate(rate)
        except ValidationError as error:
            raise ValidationError(
                _("%(currency)s: %(error)s"), params={"currency": code, "error": " ".join(error.messages)}
            ) from None
    return cleaned


def clean_change_percent(value) -> Decimal:
    number = _decimal(value, _("Enter the change in percent, such as 5 or -10."))
    if number == 0:
        raise ValidationError(_("Enter a change other than 0 %."), code="invalid")
    if number < CHANGE_MIN or number > CHANGE_MAX:
        raise ValidationError(
            _("Enter a change between %(min)s %% and %(max)s %%."),
            code="range",
            params={"min": CHANGE_MIN, "max": f"+{CHANGE_MAX}"},
        )
    if number != number.quantize(Decimal("0.01")):
        raise ValidationError(_("Use at most two decimal places."), code="invalid")
    return number
