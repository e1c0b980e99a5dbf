"""Contact cards (vCard 2.1, 3.0 and 4.0, as Android, iOS, Google Contacts and Outlook export them) read as a table
of customers: one row a card, under headers the importer recognises. The file is read line by line and what Kartei
does not keep (a photo can be megabytes) is read past, so an address book of any size never sits in memory."""

import binascii
import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext as _

from .reading import FileProblem, Table

SUFFIXES = (".vcf", ".vcard")
# A card's row; mapping.auto_mapping reads each column into the customer field of the same name.
HEADER = ["Company", "First name", "Last name", "Email", "Phone", "Mobile phone", "Street and number", "Postal code",
          "City", "Country", "Note", "Tags"]  # fmt: skip
# What Kartei reads of a card; photos, birthdays, web addresses and the rest are read past.
READ = {"BEGIN", "END", "VERSION", "FN", "N", "ORG", "KIND", "X-ABSHOWAS", "EMAIL", "TEL", "ADR", "NOTE", "CATEGORIES"}
VALUE_MAX = 1024 * 1024  # bytes of a value Kartei reads (about what a cell of a CSV file may hold)
CELL = {"CELL", "MOBILE", "IPHONE"}
NOT_A_PHONE = {"FAX", "PAGER"}
GOOGLE_GROUPS = {"mycontacts", "starred"}  # Google Contacts puts every contact in these: not the user's groups
ESCAPED = {"n": "\n", "N": "\n", ",": ",", ";": ";", "\\": "\\"}
UNPREFERRED = 101  # PREF runs from 1 (most preferred) to 100


def is_vcard(path: Path) -> bool:
    """Whether a file holds contact cards: it is named so, or its first line that is not empty is BEGIN:VCARD."""
    if path.suffix.lower() in SUFFIXES:
        return True
    with path.open("rb") as raw:
        start = raw.read(4096).removeprefix(codecs.BOM_UTF8)
    return re.match(rb"\s*begin:vcard[ \t]*(\r|\n|$)", start, re.IGNORECASE) is not None


def vcard_table(path: Path) -> Table:
    """The cards of a vCard file as a table of customers, each row numbered by the line its card begins on.
    A card without a name, e-mail or phone is still a row: the importer says why it does not take it."""
    rows = _rows(Path(path))
    first = next(rows, None)
    if first is None:
        raise FileProblem(_("This file holds no contact cards (vCard)."))

    def all_rows():
        yield first
        yield from rows

    return Table(header=list(HEADER), header_line=0, rows=all_rows())  # 0: the header is Kartei's, not the file's


@dataclass
class Property:
    name: str  # "TEL", without the group some writers put before it ("item1.")
    types: set[str]  # "WORK", "CELL", "PREF" …
    pref: int  # 1 for the most preferred of its kind, UNPREFERRED if the card does not say
    value: str  # decoded; backslash escapes still in


def _rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    with path.open("rb") as raw:
        begin, card, version = None, [], ""
        for number, name, lines in _properties(_lines(raw)):
            found = _property(lines, version)
            if found is None:
                continue
            if name in ("BEGIN", "END") and found.value.strip().upper() != "VCARD":
                continue
            if name == "BEGIN":
                if begin is not None:
                    raise FileProblem(
                        _("Line %(line)d begins a card inside the card that begins on line %(card)d: is the file "
                          "damaged?") % {"line": number, "card": begin}
                    )  # fmt: skip
                begin, card, version = number, [], ""
            elif name == "END" and begin is not None:
                yield begin, _row(card)
                begin = None
            elif name == "VERSION":
                version = found.value.strip()
            elif begin is not None:
                card.append(found)
    if begin is not None:
        raise FileProblem(
            _("The file ends inside the card that begins on line %(line)d: is it cut off?") % {"line": begin}
        )


def _lines(raw: BinaryIO) -> Iterator[tuple[int, bytes, bool]]:
    """Each line of the file: its number, its bytes without the line break, and whether it is whole (a line
    longer than VALUE_MAX is cut there and the rest read past)."""
    number = 0
    while line := raw.readline(VALUE_MAX):
        number += 1
        rest, whole = line, True
        while len(rest) == VALUE_MAX and not rest.endswith(b"\n"):
            rest = raw.readline(VALUE_MAX)
            whole = whole and not rest
        if number == 1:
            line = line.removeprefix(codecs.BOM_UTF8)
        yield number, line.rstrip(b"\r\n"), whole


def _properties(lines) -> Iterator[tuple[int, str, list[bytes]]]:
    """The properties Kartei reads: the number of the line each begins on, its name, and its lines as written
    (a long value is folded over lines that begin with a space, or, quoted-printable, over lines ending in "=").
    The lines of the others are read past, not kept."""
    number, name, kept, size, quoted_printable, soft = 0, "", None, 0, False, False
    for at, line, whole in lines:
        if number and (soft or line[:1] in (b" ", b"\t")):
            if kept is not None:
                size += len(line)
                if not whole or size > VALUE_MAX:
                    raise FileProblem(_("Line %(line)d holds a value longer than a million characters.") % {"line": at})
                kept.append(line)
            soft = quoted_printable and line.endswith(b"=")
            continue
        if kept is not None:
            yield number, name, kept
        head = line.split(b":", 1)[0]
        name = head.split(b";", 1)[0].rsplit(b".", 1)[-1].strip().upper().decode("ascii", "replace")
        number = at if line.strip() else 0  # an empty line ends a property (a photo, in vCard 2.1)
        kept = [line] if number and name in READ else None
        if kept is not None and not whole:
            raise FileProblem(_("Line %(line)d holds a value longer than a million characters.") % {"line": at})
        size, quoted_printable = len(line), b"QUOTED-PRINTABLE" in head.upper()
        soft = quoted_printable and line.endswith(b"=")
    if kept is not None:
        yield number, name, kept


def _property(lines: list[bytes], version: str) -> Property | None:
    """A property of a card, its value unfolded and decoded; None for a line that is not a property."""
    head = re.match(rb'(?:"[^"]*"|[^":])*', lines[0]).group()
    if lines[0][len(head) : len(head) + 1] != b":":
        head = lines[0].split(b":", 1)[0]
        if len(head) == len(lines[0]):
            return None
    name, *parameters = re.findall(r'(?:"[^"]*"|[^;])+', head.decode("utf-8", "replace"))
    types, given = set(), {}
    for parameter in parameters:
        key, equals, values = parameter.partition("=")
        key, values = (key.strip().upper(), values) if equals else ("TYPE", key)
        values = [v.strip() for v in values.strip().strip('"').split(",")]
        if key == "TYPE":
            types.update(v.upper() for v in values)
        else:
            given[key] = values[0]
    encoding = given.get("ENCODING", "").upper()
    data = _unfolded(lines, quoted_printable="QUOTED-PRINTABLE" in (encoding, *types), keeps_space=version == "2.1")
    data = data[len(head) + 1 :]
    if "QUOTED-PRINTABLE" in (encoding, *types):
        data = binascii.a2b_qp(data)
    elif encoding in ("B", "BASE64") or "BASE64" in types:
        try:
            data = binascii.a2b_base64(data)
        except binascii.Error:
            data = b""
    text = _decoded(data, given.get("CHARSET")).replace("\r\n", "\n").replace("\r", "\n")
    pref = given.get("PREF", "")
    pref = int(pref) if pref.isdigit() else 1 if "PREF" in types or "PREF" in given else UNPREFERRED
    return Property(name=name.rsplit(".", 1)[-1].strip().upper(), types=types, pref=pref, value=text)


def _unfolded(lines: list[bytes], *, quoted_printable: bool, keeps_space: bool) -> bytes:
    """A property's lines as one: a quoted-printable line ending in "=" runs on into the next; a folded line's
    leading space is the fold's own (vCard 3.0 and 4.0) or a space of the text (2.1)."""
    parts = [lines[0]]
    for line in lines[1:]:
        if quoted_printable and parts[-1].endswith(b"="):
            parts[-1] = parts[-1][:-1]
            parts.append(line)
        else:
            parts.append(line if keeps_space else line[1:])
    return b"".join(parts)


def _decoded(data: bytes, charset: str | None) -> str:
    """Text in the charset the card names, else UTF-8, else Windows-1252 (older Outlook and Windows tools)."""
    for encoding in (charset, "utf-8"):
        if encoding:
            try:
                return data.decode(encoding)
            except (LookupError, UnicodeDecodeError):
                pass
    return data.decode("cp1252", errors="replace")


def _split(text: str, separator: str) -> list[str]:
    """`text` cut at each separator that is not escaped with a backslash; the escapes stay in."""
    parts, start, at = [], 0, 0
    while at < len(text):
        if text[at] == "\\":
            at += 1
        elif text[at] == separator:
            parts.append(text[start:at])
            start = at + 1
        at += 1
    return [*parts, text[start:]]


def _unescaped(text: str) -> str:
    """A value as typed: "\\n" a new line, "\\," a comma, "\\;" a semicolon, "\\\\" a backslash."""
    return re.sub(r"\\(.)", lambda m: ESCAPED.get(m[1], m[0]), text, flags=re.DOTALL).strip()


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _items(component: str, joiner: str) -> str:
    """A component that may list several values ("Anna,Maria"; a street on two lines), on one line."""
    items = (_one_line(line) for item in _split(component, ",") for line in _unescaped(item).splitlines())
    return joiner.join(item for item in items if item)


def _components(found: Property | None, count: int) -> list[str]:
    parts = _split(found.value, ";") if found is not None else []
    return [*parts, *[""] * count][:count]


def _row(card: list[Property]) -> list[str]:
    """The cells of a card's customer: the company is its organisation, the contact person its name."""
    first = {p.name: p for p in reversed(card)}  # the first property of each name

    company = _one_line(_unescaped(_components(first.get("ORG"), 1)[0]))
    family, given, additional = _components(first.get("N"), 3)
    first_name = " ".join(filter(None, (_items(given, " "), _items(additional, " "))))
    last_name = _items(family, " ")
    full_name = _value(first.get("FN"))  # the name the phone shows: "Anna Nowak", or a company's
    if full_name and not (first_name or last_name) and full_name != company:
        is_organisation = _value(first.get("KIND")).lower() in ("org", "organization") or (
            _value(first.get("X-ABSHOWAS")).upper() == "COMPANY"
        )
        if is_organisation and not company:
            company = full_name
        else:
            last_name = full_name  # a person's name as one

    emails = [p for p in card if p.name == "EMAIL" and _value(p)]
    email = min(emails, key=lambda p: p.pref, default=None)
    numbers = [p for p in card if p.name == "TEL" and _number(p)]
    mobile = min((p for p in numbers if p.types & CELL), key=lambda p: p.pref, default=None)
    phone = min((p for p in numbers if not p.types & (CELL | NOT_A_PHONE)),
                key=lambda p: (p.pref, not p.types & {"WORK", "MAIN"}), default=None)  # fmt: skip
    if phone is None and mobile is None and numbers:
        phone = numbers[0]

    addresses = [p for p in card if p.name == "ADR" and any(part.strip() for part in _split(p.value, ";"))]
    address = min(addresses, key=lambda p: (p.pref, "WORK" not in p.types), default=None)
    _box, extended, street, city, _region, postal_code, country = _components(address, 7)

    notes = [_unescaped(p.value) for p in card if p.name == "NOTE"]
    tags = [_one_line(_unescaped(tag)) for p in card if p.name == "CATEGORIES" for tag in _split(p.value, ",")]
    tags = [tag for tag in dict.fromkeys(tags) if tag and tag.lower() not in GOOGLE_GROUPS]
    return [
        company, first_name, last_name, _value(email), _number(phone), _number(mobile),
        ", ".join(filter(None, (_items(street, ", "), _items(extended, ", ")))),
        _items(postal_code, " "), _items(city, " "), _items(country, " "),
        "\n".join(filter(None, notes)), ", ".join(tags),
    ]  # fmt: skip


def _value(found: Property | None) -> str:
    return _one_line(_unescaped(found.value)) if found is not None else ""


def _number(found: Property | None) -> str:
    """A phone number as written; vCard 4.0 writes it as a link ("tel:+49-30-1234567")."""
    number = _value(found)
    return number[4:].strip() if number[:4].lower() == "tel:" else number
