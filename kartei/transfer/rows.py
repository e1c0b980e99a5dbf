"""One row of a file, read into a customer as Kartei's services take one: names combined, address parts
assembled, tags split, yes/no and lifecycle words in en/de/pl understood. Cleaning is the services' own."""

import re
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from kartei.customers.models import Kind, Language, Status, Temperature
from kartei.customers.services import customer_clean

from .export import FORMULA_FIRST
from .mapping import ADDRESS_FIELDS, IGNORED, KEPT, folded

TAG_SPLIT = re.compile(r"\s*(?::::|[,;|])\s*")  # Google Contacts joins several values with " ::: "
YES = "yes y ja j tak t true wahr prawda 1 x ✓ ✔ subscribed"
NO = "no n nein nie false falsch falsz 0 - unsubscribed notsubscribed cleaned pending"
MULTI_VALUE = " ::: "  # how Google Contacts joins several e-mail addresses or numbers in one cell
# Words for a status or temperature besides Kartei's own labels.
STATUS_WORDS = {
    Status.CURRENT: "customer kunde klient bestandskunde stammkunde client aktuellerkunde obecnyklient evangelist",
    Status.POTENTIAL: "lead prospect interessent potenziellerkunde potencjalnyklient opportunity subscriber "
    "marketingqualifiedlead salesqualifiedlead other",
}
TEMPERATURE_WORDS = {
    Temperature.HOT: "heiss goracy",
    Temperature.WARM: "cieply",
    Temperature.COLD: "kalt zimny",
    Temperature.NOT_INTERESTED: "keininteresse niezainteresowany",
}


def to_complete_tag() -> str:
    """The tag of imported customers known only by an e-mail address or a phone number."""
    return _("To complete")


class RowProblem(Exception):
    """Why a row cannot become a customer, in the user's language."""


@lru_cache(maxsize=1)
def _words() -> dict[str, dict[str, str]]:
    """Folded word → value, for each field whose values are words."""
    words = {"kind": {}, "status": {}, "temperature": {}, "preferred_language": {}, "bool": {}}
    choices = {"kind": Kind, "status": Status, "temperature": Temperature, "preferred_language": Language}
    for language in ("en", "de", "pl"):
        with translation.override(language):
            for field, options in choices.items():
                for value, label in options.choices:
                    words[field][folded(str(label))] = value
                    words[field][folded(value)] = value
            words["bool"].update({folded(_("yes")): True, folded(_("no")): False})
    for field, table in (("status", STATUS_WORDS), ("temperature", TEMPERATURE_WORDS)):
        for value, aliases in table.items():
            words[field].update(dict.fromkeys(aliases.split(), value))
    words["bool"].update(dict.fromkeys((folded(w) or w for w in YES.split()), True))
    words["bool"].update(dict.fromkeys((folded(w) or w for w in NO.split()), False))
    return words


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    """Folded country names in en/de/pl (and codes) → the country's code: "Deutschland", "Polska", "Germany"."""
    from django_countries import countries

    names = {}
    for language in ("en", "de", "pl"):
        with translation.override(language):
            names.update({folded(str(name)): code for code, name in countries})
    names.update({folded(code): code for code, _name in countries})
    names.update(polska="PL", deutschland="DE", niemcy="DE", polen="PL", osterreich="AT", schweiz="CH")
    return names


@lru_cache(maxsize=4096)
def _country(text: str) -> str:
    """The code of the country a cell names, or the cell as it is (the services then say it is not a country).
    A file names a few countries many times over."""
    return _countries().get(folded(text), text)


def _word(field: str, text: str, header: str):
    value = _words()[field].get(folded(text) or text)
    if value is None:
        raise RowProblem(_("%(column)s: “%(value)s” is not a value Kartei knows.") % {"column": header, "value": text})
    return value


class Columns:
    """How the cells of a file's rows are read, worked out once for the file: each column's position, field and
    header, and for an address field which part of which address ("city 2": the second address's city)."""

    def __init__(self, mapping: dict[int, str], header: list[str]):
        self.header = header
        self.read = [(position, field, header[position], _address_part(field))
                     for position, field in mapping.items() if field != IGNORED]  # fmt: skip


def customer_data(cells: list[str], columns: Columns) -> dict:
    """The customer a row describes, as customer_clean takes it (plus "id" when the row names one)."""
    width = len(cells)
    if width > len(columns.header) and any(c.strip() for c in cells[len(columns.header) :]):
        raise RowProblem(_("The row has more cells than the header has columns."))
    given, headers, kept, places = {}, {}, [], {}
    for position, field, header, place in columns.read:
        if position >= width:
            continue
        text = cells[position].strip()
        if not text:
            continue
        if text[0] == "'" and len(text) > 1 and text[1] in FORMULA_FIRST:
            text = text[1:]  # as typed: without the quote an export puts before = + - @ against formula injection
        if place is not None:
            places.setdefault(place[1], {})[place[0]] = text
        elif field == KEPT:
            kept.append(f"{header}: {text}")
        else:
            given[field], headers[field] = text, header
    for field in ("email", "phone", "mobile"):
        if MULTI_VALUE in given.get(field, ""):
            given[field] = given[field].split(MULTI_VALUE)[0].strip()
    data = {}
    for field in ("contact_person", "email", "vat_id", "preferred_currency"):
        data[field] = given.get(field, "")
    data["phone"] = given.get("phone") or given.get("mobile", "")
    person = " ".join(filter(None, (given.get("first_name"), given.get("last_name"))))
    company = given.get("company") or given.get("name")
    if company and person and not data["contact_person"]:
        data["contact_person"] = person
    data["name"] = company or person or data["contact_person"]
    named_from_contact = not data["name"]
    data["name"] = data["name"] or data["email"] or data["phone"]
    if not data["name"]:
        raise RowProblem(_("Nothing tells who this customer is: no name, email or phone."))
    data["kind"] = Kind.COMPANY if company or not person else Kind.PERSON
    for field in ("kind", "status", "temperature", "preferred_language"):
        if field in given:
            data[field] = _word(field, given[field], headers[field])
    data.setdefault("status", Status.POTENTIAL)
    for field in ("marketing_consent", "system_notifications", "is_active"):
        if field in given:
            data[field] = _word("bool", given[field], headers[field])
    if "discount_percent" in given:
        number = given["discount_percent"].replace("%", "").replace("\xa0", "").strip()
        data["discount_percent"] = number.replace(",", ".") if "." not in number else number.replace(",", "")
    if "tags" in given:
        # Google's own groups ("* myContacts", "* starred") are not the user's.
        data["tags"] = [t for t in TAG_SPLIT.split(given["tags"]) if t and not t.startswith("* ")]
    if named_from_contact:
        # Named after its e-mail address or phone number: the user is to find out who it is.
        data["tags"] = [*data.get("tags", []), to_complete_tag()]
    if "note" in given or kept:
        data["note"] = "\n".join(filter(None, [given.get("note"), *kept]))
    data["addresses"] = _addresses(places)
    if "id" in given:
        if not given["id"].isdigit():
            raise RowProblem(_("%(column)s: an ID is a whole number.") % {"column": headers["id"]})
        data["id"] = int(given["id"])
    return data


def _addresses(places: dict[int, dict]) -> list[dict]:
    """The addresses of a row from their parts by number ({1: {"city": …}, 2: …}), the first one the default."""
    addresses = [places[n] for n in sorted(places)]
    for address in addresses:
        address.setdefault("label", "")
        if "country" in address:
            address["country"] = _country(address["country"])
    if addresses:
        addresses[0]["is_default"] = True
    return addresses


def _address_part(field: str) -> tuple[str, int] | None:
    """("city", 2) for the field "city 2": which part of which address a field is, if it is one."""
    name, _space, number = field.partition(" ")
    return (name, int(number or 1)) if name in ADDRESS_FIELDS else None


def cleaned(data: dict) -> dict:
    """The row's customer cleaned by the services' rules (the e-mail's owner is looked up by the import)."""
    fields = {k: v for k, v in data.items() if k != "id"}
    try:
        return customer_clean(fields, check_email=False)
    except ValidationError as error:
        raise RowProblem(" ".join(error.messages)) from None


# One pasted address: "Anna Nowak <anna@example.com>", "<anna@example.com>" or a bare address.
PASTED = re.compile(r'\s*(?:"([^"]*)"|([^"<>,;\n]*?))\s*<([^<>\s]+)>|([^\s<>,;"]+)')


def pasted_addresses(text: str) -> list[list[str]]:
    """[name, e-mail] for each address in pasted text, separated by commas, semicolons, spaces or new lines.
    What is not an address stays, as an e-mail the import then says is not one."""
    found = []
    for match in PASTED.finditer(text or ""):
        quoted, name, bracketed, bare = match.groups()
        if bracketed:
            found.append([(quoted or name or "").strip(), bracketed.strip()])
        elif bare:
            found.append(["", bare.strip()])
    return found
