"""A customer's search document: the folded words a search matches, kept on the customer by the services
(bulk writes included) and indexed by the database (see kartei/customers/search/sqlite.py and postgres.py).

A query matches when each of its words is the beginning of some word of the document, so the document holds
each thing the way people type it: the words of the name, contact person and addresses (with "mueller" beside
"muller"), the e-mail address in words and whole, the phone number's digits international, with 00, national
and bare, the VAT ID with and without its country prefix, and postal codes with and without their dash."""

from collections.abc import Iterable

import phonenumbers
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE

from .. import phones
from .folding import fold, words, words_with_spellings

# The rules documents are written by: raise it when a change makes a customer's document (or sort keys) differ
# from before; `kartei migrate` then rewrites every customer's (installer.py).
RULES = 2  # 2: addresses are searched

# Where a customer's own text ends in the database, so sort keys fit their columns.
SORT_NAME_LENGTH = 200
SORT_CITY_LENGTH = 100


def document(
    *,
    name: str,
    contact_person: str = "",
    email: str = "",
    phone: str = "",
    vat_id: str = "",
    country: str = "",
    addresses: Iterable = (),
) -> str:
    """The words search matches, once each, joined by single spaces. `addresses`: dicts or Address rows."""
    parts = words_with_spellings(name) + words_with_spellings(contact_person)
    if email:
        parts += words(email)
        parts.append("".join(words(email)))
    parts += _phone_words(phone)
    parts += _vat_words(vat_id, country)
    for address in addresses:
        parts += _address_words(address)
    return " ".join(dict.fromkeys(p for p in parts if p))


def customer_document(customer, addresses: Iterable) -> str:
    return document(
        name=customer.name,
        contact_person=customer.contact_person,
        email=customer.email,
        phone=customer.phone,
        vat_id=customer.vat_id,
        country=customer.country,
        addresses=addresses,
    )


def sort_keys(name: str, city: str) -> tuple[str, str]:
    """The name and the city as lists sort them: folded like search ("Łódź" sorts with "Lodz"), cut to the
    lengths of their columns."""
    return fold(name)[:SORT_NAME_LENGTH], fold(city)[:SORT_CITY_LENGTH]


def _phone_words(e164: str) -> list[str]:
    """The digits of a number as people type it: international, with 00, national with trunk prefix, and bare."""
    if not e164:
        return []
    international = e164.lstrip("+")
    national, significant = _national_digits(e164)
    return [international, "00" + international, national, significant]


def _national_digits(e164: str) -> tuple[str, str]:
    """(the national number as dialled within the country, the national significant number), digits only."""
    number = _from_e164(e164)
    if number is None:
        digits = "".join(c for c in e164 if c.isascii() and c.isdigit())
        return digits, digits
    national = phones.national_format(number)
    return "".join(c for c in national if c.isascii() and c.isdigit()), phonenumbers.national_significant_number(number)


def _from_e164(e164: str) -> phonenumbers.PhoneNumber | None:
    """The number a stored E.164 string is, read the way phonenumbers.parse reads it, without its general parser
    (most of the time of a bulk load's search documents): the country code is the one of 1-3 digits that is a
    country's, the rest the national number, leading zeros (Italy) kept apart."""
    digits = e164[1:] if e164.startswith("+") else ""
    if not digits.isascii() or not digits.isdigit():
        return None
    for length in (1, 2, 3):
        country_code = int(digits[:length])
        if country_code in COUNTRY_CODE_TO_REGION_CODE:
            national = digits[length:]
            break
    else:
        return None
    if not national:
        return None
    zeros = len(national) - len(national.lstrip("0"))
    number = phonenumbers.PhoneNumber(country_code=country_code, national_number=int(national))
    if zeros:
        number.italian_leading_zero = True
        if zeros > 1:
            number.number_of_leading_zeros = zeros
    return number


def _vat_words(vat_id: str, country: str) -> list[str]:
    if not vat_id:
        return []
    compact = "".join(words(vat_id))
    digits = "".join(c for c in compact if c.isdigit())
    parts = [compact, digits]
    if compact == digits and country:  # a national number (a Polish NIP): also as its EU VAT ID, PL…
        parts.append(country.lower() + digits)
    return parts


def _address_words(address) -> list[str]:
    get = address.get if isinstance(address, dict) else lambda field, default="": getattr(address, field, default)
    postal_code = get("postal_code", "") or ""
    parts = words_with_spellings(get("street", "") or "") + words_with_spellings(get("city", "") or "")
    postal_words = words(postal_code)
    parts += postal_words
    if len(postal_words) > 1:  # "90-001" is typed "90001" too, "SW1A 1AA" as "sw1a1aa"
        parts.append("".join(postal_words))
    return parts
