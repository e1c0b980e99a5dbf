"""Which column of a file holds what: Kartei's own headers in en/de/pl (its export), and the headers people write
in German and Polish sheets and that common exports use."""

import hashlib
import re
import unicodedata
from functools import lru_cache

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from . import export

# What a column can be read into. Address fields may carry a number: "city 2" is the second address's city.
FIELDS = (
    "id", "name", "company", "first_name", "last_name", "kind", "contact_person", "email", "phone", "mobile",
    "vat_id", "status", "temperature", "discount_percent", "preferred_currency", "preferred_language", "tags",
    "marketing_consent", "system_notifications", "is_active", "note",
)  # fmt: skip
ADDRESS_FIELDS = ("label", "street", "postal_code", "city", "country")
IGNORED = "ignored"  # read but not kept: what Kartei sets itself (source, joined)
KEPT = "kept"  # a column Kartei has no field for, kept as a line "header: value" of the customer's note

# Headers as people write them, compared folded (lower case, no accents, letters and digits only).
ALIASES = {
    "name": "name firmenname kundenname kunde nazwa nazwaklienta nazwafirmy klient companyname organisation "
    "organizationname organization1name nameadressattypunternehmen",
    "company": "firma company unternehmen organization organizacja defaultaddresscompany",
    "first_name": "vorname imie firstname givenname vornameadressattypnaturlperson",
    "last_name": "nachname familienname nazwisko lastname surname familyname nameadressattypnaturlperson",
    "contact_person": "ansprechpartner kontaktperson osobakontaktowa contactperson contact kontakt",
    "email": "email emailadresse mail adresemail emailaddress email1value emailadres",
    "phone": "telefon tel telefonnummer phone phonenumber numertelefonu telephone phone1value festnetz "
    "businessphone telefongeschaftlich defaultaddressphone",
    "mobile": "mobil handy mobiltelefon mobile mobilephone komorka telefonkomorkowy handynummer mobilnummer "
    "numerkomorki",
    "vat_id": "ustidnr ustid umsatzsteuerid umsatzsteueridentifikationsnummer nip vatid vat vatnumber taxid euvatid "
    "euustid",
    "street": "strasse strassehausnummer ulica street address adres anschrift streetaddress address1 "
    "address1street businessstreet strassegeschaftlich defaultaddressaddress1",
    "postal_code": "plz postleitzahl kodpocztowy postalcode zip zipcode postcode address1postalcode "
    "businesspostalcode postleitzahlgeschaftlich defaultaddresszip",
    "city": "ort stadt wohnort miasto miejscowosc city town address1city businesscity ortgeschaftlich "
    "defaultaddresscity",
    "country": "land kraj country countrycode address1country businesscountryregion landregiongeschaftlich "
    "countryregion defaultaddresscountrycode",
    "discount_percent": "rabatt rabat discount rabattinprozent rabatwprocentach",
    "note": "notiz notizen bemerkung bemerkungen kommentar notatka notatki uwagi note notes comment comments",
    "tags": "tags kategorie kategorien gruppe gruppen kategoria grupa grupy etykiety labels groups categories "
    "groupmembership",
    "status": "status kundenstatus lifecyclestage",
    "temperature": "temperatur temperatura temperature",
    "marketing_consent": "newsletter acceptsemailmarketing acceptsmarketing emailmarketing zgodamarketingowa "
    "werbeeinwilligung",
}


def folded(header: str) -> str:
    text = unicodedata.normalize("NFKD", header.replace("ß", "ss").replace("ł", "l").replace("Ł", "L"))
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in text if not unicodedata.combining(c)).lower())


@lru_cache(maxsize=1)
def _known() -> dict[str, str]:
    """Folded header → field: the aliases, then Kartei's own headers in every language (they win)."""
    known = {alias: field for field, words in ALIASES.items() for alias in words.split()}
    own = {column: column for _, column in export.FIELDS}
    own.update(tags="tags", source=IGNORED, created_at=IGNORED, marketing_consent_at=IGNORED)
    for language in ("en", "de", "pl"):
        with translation.override(language):
            for header, column in export.FIELDS:
                known[folded(str(header))] = own[column]
            for header, column in export.ADDRESS_FIELDS:
                known[folded(str(header))] = column
    return known


def field_for(header: str) -> str | None:
    """The field a column header names, "city 2" for the second address's city; None if it is not known."""
    key = folded(header)
    known = _known()
    if key in known:
        return known[key]
    numbered = re.fullmatch(r"(.*?)(\d+)", key)
    if numbered and known.get(numbered.group(1)) in ADDRESS_FIELDS and int(numbered.group(2)) >= 1:
        number = int(numbered.group(2))
        return known[numbered.group(1)] + ("" if number == 1 else f" {number}")
    return None


GUESS_SCORE = 85  # how alike (0-100) a header must be to a known one for Kartei to guess it means the same
GUESS_MIN_LENGTH = 4  # letters of a header, folded, before Kartei guesses at it ("Nr" is anything)


def field_guessed(header: str) -> str | None:
    """The field of the known header closest to `header` ("Nachnahme", "Strasse u. Hausnr."), if one is close
    enough to guess; a guess is shown to the user to confirm."""
    from rapidfuzz import fuzz, process

    key = folded(header)
    if len(key) < GUESS_MIN_LENGTH:
        return None
    known = _known()
    found = process.extractOne(key, known.keys(), scorer=fuzz.ratio, score_cutoff=GUESS_SCORE)
    return known[found[0]] if found else None


def auto_mapping(header: list[str], *, guess: bool = True) -> dict[int, str]:
    """Column position → field, for the columns whose header is known, then (with `guess`) for those whose header
    is close to a known one; a field taken once only."""
    mapping, taken = {}, set()
    for position, name in enumerate(header):
        field = field_for(name)
        if field and (field not in taken or field == IGNORED):
            mapping[position] = field
            taken.add(field)
    for position, name in enumerate(header if guess else ()):
        field = None if position in mapping else field_guessed(name)
        if field and field not in taken and field != IGNORED:
            mapping[position] = field
            taken.add(field)
    if "first_name" in taken and "last_name" not in taken:
        # "Vorname" and "Name" side by side: the name is the family name.
        for position, field in mapping.items():
            if field == "name":
                mapping[position] = "last_name"
    return mapping


def guessed(header: list[str]) -> set[int]:
    """The columns auto_mapping reads by a guess, not by a header it knows."""
    sure = auto_mapping(header, guess=False)
    return {position for position, field in auto_mapping(header).items() if sure.get(position) != field}


def looks_like_header(cells: list[str]) -> bool:
    return len(auto_mapping(cells, guess=False)) >= 2


def headers_key(header: list[str]) -> str:
    """What files with the same headers (compared folded) have in common: the key of their saved columns."""
    return hashlib.sha256("\x1f".join(folded(h) for h in header).encode()).hexdigest()


EXTRA_LABELS = {
    "company": _("Company"),
    "first_name": _("First name"),
    "last_name": _("Last name"),
    "mobile": _("Mobile phone"),
    "note": _("Note"),
    KEPT: _("Keep as a note"),
}


def field_label(field: str) -> str:
    """What a field is called on the page: "City 2" for the second address's city."""
    name, _space, number = field.partition(" ")
    labels = {column: header for header, column in [*export.FIELDS, *export.ADDRESS_FIELDS]} | EXTRA_LABELS
    return f"{labels.get(name, name)} {number}".strip()


ADDRESS_GROUPS_OFFERED = 3  # address column groups the user can choose between


def choices() -> list[tuple[str, str]]:
    """What the user can choose for a column: every field, the address fields of a few addresses."""
    fields = [*FIELDS, *(f"{name} {n}" if n > 1 else name
                         for n in range(1, ADDRESS_GROUPS_OFFERED + 1) for name in ADDRESS_FIELDS)]  # fmt: skip
    return [(f, field_label(f)) for f in [*fields, KEPT]]


def chosen(mapping: dict[int, str], header: list[str]) -> dict[int, str]:
    """A mapping as the user chose it, without what is not a field or not a column; a field taken once only."""
    allowed, taken, kept = {value for value, _label in choices()}, set(), {}
    for position, field in sorted(mapping.items()):
        if 0 <= position < len(header) and field in allowed and (field not in taken or field == KEPT):
            kept[position] = field
            taken.add(field)
    return kept
