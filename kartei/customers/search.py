"""Search-as-you-type over customers.

Every customer has a search document: its words folded to lower-case ASCII, kept in sync by the
services (bulk paths included). A query matches when each of its words is the beginning of some
word of the document. The same rule holds on both databases:

- SQLite: an FTS5 table over `search_document` with prefix indexes, kept in sync by triggers;
- PostgreSQL: a GIN index on `to_tsvector('simple', search_document)`, queried with `word:*`.
"""

import re
import unicodedata

import phonenumbers
from django.conf import settings
from django.db import connection

# Letters that Unicode does not decompose into a base letter and an accent.
_SPECIAL = str.maketrans({"ł": "l", "ß": "ss", "æ": "ae", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "œ": "oe", "ı": "i"})
# German readers type "Mueller" for "Müller": documents carry both spellings.
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
_WORD = re.compile(r"[a-z0-9]+")
_PHONE_QUERY = re.compile(r"^\+?[\d\s()./-]+$")
MAX_QUERY_WORDS = 8
MAX_WORD_LENGTH = 40


def fold(text: str) -> str:
    """Lower case, accents and special letters folded to ASCII: "Łódź" -> "lodz", "Straße" -> "strasse"."""
    text = text.lower().translate(_SPECIAL)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def _name_words(text: str) -> list[str]:
    found = words(text)
    lowered = text.lower()
    if any(u in lowered for u in "äöü"):
        found += words(lowered.translate(_UMLAUTS))
    return found


def _phone_words(e164: str) -> list[str]:
    """The digits of a number as people type it: international, national with trunk prefix, and bare."""
    if not e164:
        return []
    try:
        number = phonenumbers.parse(e164)
    except phonenumbers.NumberParseException:
        return ["".join(filter(str.isdigit, e164))]
    national = "".join(filter(str.isdigit, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)))
    significant = phonenumbers.national_significant_number(number)
    return [e164.lstrip("+"), national, significant]


def document(*, name: str, contact_person: str = "", email: str = "", phone: str = "", vat_id: str = "") -> str:
    parts = _name_words(name) + _name_words(contact_person)
    if email:
        parts += words(email)
        parts.append("".join(words(email)))
    parts += _phone_words(phone)
    if vat_id:
        compact = "".join(words(vat_id))
        parts += [compact, "".join(filter(str.isdigit, compact))]
    seen = dict.fromkeys(p for p in parts if p)
    return " ".join(seen)


def customer_document(customer) -> str:
    return document(
        name=customer.name,
        contact_person=customer.contact_person,
        email=customer.email,
        phone=customer.phone,
        vat_id=customer.vat_id,
    )


def query_terms(q: str) -> list[str]:
    """The prefixes a query asks for. A query that looks like a phone number becomes one digit string,
    so "0171 2345", "+49 171 2345" and "01712345" all find +49 171 2345678."""
    q = (q or "").strip()[:200]
    if _PHONE_QUERY.match(q) and sum(c.isdigit() for c in q) >= 3:
        digits = "".join(filter(str.isdigit, q))
        if q.startswith("00"):
            digits = digits[2:]
        return [digits[:MAX_WORD_LENGTH]]
    terms = []
    for word in words(q):
        word = word[:MAX_WORD_LENGTH]
        if word not in terms:
            terms.append(word)
    return terms[:MAX_QUERY_WORDS]


def sqlite_match(terms: list[str]) -> str:
    return " AND ".join(f'"{t}"*' for t in terms)


def postgres_match(terms: list[str]) -> str:
    return " & ".join(f"{t}:*" for t in terms)


FTS_TABLE = "customers_customer_fts"


def matching_ids_sql(terms: list[str]) -> tuple[str, list[str]]:
    """SQL that selects the ids of matching customers, for `id IN (...)`."""
    if connection.vendor == "sqlite":
        return f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [sqlite_match(terms)]
    return (
        "SELECT id FROM customers_customer WHERE to_tsvector('simple', search_document) @@ to_tsquery('simple', %s)",
        [postgres_match(terms)],
    )


def default_region() -> str:
    return settings.KARTEI_DEFAULT_COUNTRY
