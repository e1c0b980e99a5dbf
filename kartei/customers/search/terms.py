"""What a query asks for: the word prefixes it is made of, or, for a whole e-mail address, phone number or VAT
ID, the key to look up (an index lookup instead of a word search)."""

import re
import unicodedata
from dataclasses import dataclass

import phonenumbers
from stdnum import get_cc_module
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError as StdnumError

from .folding import words

MAX_QUERY_LENGTH = 200  # characters of a query read; the rest is ignored
MAX_QUERY_WORDS = 8  # words of a query matched; the rest is ignored
MAX_TERM_LENGTH = 40  # characters of a word matched (no document word is longer that matters)
MIN_VAT_LENGTH = 8  # characters of the shortest whole VAT ID looked up as one
MIN_PHONE_DIGITS = 3  # a query of digits and phone punctuation becomes one number from this many digits on

_PHONE_QUERY = re.compile(r"\+?[0-9\s()./-]+")
_EMAIL = re.compile(r"[^\s@<>]+@[^\s@<>]+\.[^\s@<>.0-9]{2,}", re.IGNORECASE)
# Country prefixes of VAT IDs, which people type apart from the digits: "DE 136 695 976".
_VAT_PREFIXES = frozenset({*(c.lower() for c in eu_vat.MEMBER_STATES), "el", "xi", "gb", "ch", "no"})


def normalised(q: str) -> str:
    """The query as compared: compatibility forms folded (full-width "１２３４" from an input method is "1234"),
    digits of any script as ASCII digits (Arabic-Indic "٠١٧١" is "0171"), cut to MAX_QUERY_LENGTH, without
    surrounding space."""
    q = unicodedata.normalize("NFKC", q or "")[: MAX_QUERY_LENGTH * 2]
    if not q.isascii():
        q = "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in q)
    return q.strip()[:MAX_QUERY_LENGTH]


def query_terms(q: str) -> list[str]:
    """The prefixes a query asks for. A query that looks like a phone number becomes one digit string,
    so "0171 2345", "+49 171 2345", "+49 (0)171 2345", "0049 171 2345" and "01712345" all find
    +49 171 2345678. Digit groups typed with spaces become one word, so "DE 136 695 976" finds DE136695976."""
    q = normalised(q)
    if _is_phone_like(q):
        if q.startswith("+"):
            q = q.replace("(0)", "", 1)  # "+49 (0)171 …": the trunk zero is not dialled after a country code
        return ["".join(c for c in q if c.isascii() and c.isdigit())[:MAX_TERM_LENGTH]]
    terms: list[str] = []
    joinable = False  # whether the last term is digits, or a VAT country prefix (and digits) at the start
    for word in words(q):
        if joinable and word.isdigit():
            terms[-1] += word
        else:
            terms.append(word)
            joinable = word.isdigit() or (len(terms) == 1 and word in _VAT_PREFIXES)
    return list(dict.fromkeys(t[:MAX_TERM_LENGTH] for t in terms))[:MAX_QUERY_WORDS]


def _is_phone_like(q: str) -> bool:
    return bool(_PHONE_QUERY.fullmatch(q)) and sum(c.isdigit() for c in q) >= MIN_PHONE_DIGITS


@dataclass(frozen=True)
class Keys:
    """The keys a whole e-mail address, phone number or VAT ID in a query stands for.

    `email`: the address as typed; it finds the customers whose address begins with it, in any case (so the
    address being typed finds its customer before the last letter, and an unknown one finds nobody).
    `phones`: numbers in E.164, `vat_ids`: VAT IDs as stored. A number may be the beginning of a longer one or
    be written the way another country dials it: when no customer has one of these keys, the query is searched
    word by word instead (`then_words`)."""

    email: str = ""
    phones: tuple[str, ...] = ()
    vat_ids: tuple[str, ...] = ()

    @property
    def then_words(self) -> bool:
        return not self.email


def query_keys(q: str, *, region: str) -> Keys | None:
    """The keys a query is, if it is a whole e-mail address, phone number (`region`: how a national number is
    read) or VAT ID, with or without spaces; None for anything else."""
    q = normalised(q)
    candidate = q.strip("<>")
    if _EMAIL.fullmatch(candidate):
        return Keys(email=candidate)
    phones = _phone_keys(q, region) if _is_phone_like(q) else ()
    vat_ids = _vat_keys(q)
    if phones or vat_ids:
        return Keys(phones=phones, vat_ids=vat_ids)
    return None


def _phone_keys(q: str, region: str) -> tuple[str, ...]:
    try:
        number = phonenumbers.parse(q, region)
    except phonenumbers.NumberParseException:
        return ()
    if not phonenumbers.is_valid_number(number):
        return ()
    return (phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),)


def _vat_keys(q: str) -> tuple[str, ...]:
    """A whole VAT ID as stored: compact and upper case, in the EU form with its prefix (DE136695976) or as the
    national number without one (a Polish NIP, 1234563218). Both forms of the number the query is."""
    if len(q) > MAX_TERM_LENGTH or not all(c.isascii() and (c.isalnum() or c in " .-/") for c in q):
        return ()
    compact = "".join(c for c in q.upper() if c.isalnum())
    if len(compact) < MIN_VAT_LENGTH:
        return ()
    if compact[:2].isalpha():
        prefix, number = compact[:2], compact[2:]
        if not _valid(eu_vat, compact):
            return ()
        module = _NATIONAL.get(prefix)
        return (compact, number) if module is not None and _valid(module, number) else (compact,)
    if not compact.isdigit():
        return ()
    prefixed = [prefix + compact for prefix, module in _NATIONAL.items() if _valid(module, compact)]
    return (compact, *prefixed) if prefixed else ()


def _national_vat_modules() -> dict:
    """The python-stdnum module that checks each EU country's national VAT number, by its VAT prefix."""
    modules = {}
    for country in sorted(eu_vat.MEMBER_STATES):
        module = get_cc_module(country, "vat")
        if module is not None:
            modules["EL" if country == "gr" else country.upper()] = module
    return modules


_NATIONAL = _national_vat_modules()


def _valid(module, number: str) -> bool:
    try:
        return bool(module.is_valid(number))
    except StdnumError:
        return False
