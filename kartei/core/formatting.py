"""Numbers, money and phone numbers formatted the way the reader's language writes them."""

from decimal import Decimal
from functools import lru_cache

import phonenumbers
from babel.numbers import format_currency, format_percent
from django.utils.translation import get_language, to_locale


def _locale() -> str:
    return to_locale(get_language() or "en")


def percent(value) -> str:
    """12.50 -> "12.5 %" in German, "12.5%" in English."""
    if value is None or value == "":
        return ""
    return format_percent(Decimal(value) / 100, locale=_locale(), decimal_quantization=False)


def money(amount, currency: str) -> str:
    """1234.5 EUR -> "1.234,50 €" in German, "1 234,50 €" in Polish, "€1,234.50" in English."""
    if amount is None or amount == "":
        return ""
    return format_currency(amount, currency, locale=_locale())


@lru_cache(maxsize=4096)
def phone(e164: str) -> str:
    """+4917123456789 -> "+49 171 23456789" (parsing is slow and the same numbers are shown again and again)."""
    if not e164:
        return ""
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164), phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return e164
