"""Contact cards as phones, iOS, Google and Outlook export them become customers: names, the company and its contact
person, e-mail, phone, address, note and tags; a broken file is refused whole."""

import base64

import pytest

from kartei.customers.models import Customer
from kartei.transfer import services
from kartei.transfer.mapping import auto_mapping, looks_like_header
from kartei.transfer.models import Import
from kartei.transfer.reading import FileProblem, read_table
from kartei.transfer.services import customers_import
from kartei.transfer.vcard import HEADER


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def folded_photo(prefix: str, lines: int) -> str:
    """A photo as phones write it: base64, folded at 75 characters over many lines."""
    data = base64.b64encode(bytes(range(256)) * (lines * 74 // 340 + 1)).decode()[: lines * 74]
    return prefix + "\n".join(" " + data[i : i + 74] for i in range(0, len(data), 74)) + "\n"


def cards(path) -> list[tuple[int, dict[str, str]]]:
    """Each card's line and its filled cells, by column."""
    table = read_table(path, looks_like_header=looks_like_header)
    return [(line, {h: c for h, c in zip(table.header, cells, strict=True) if c}) for line, cells in table.rows]


# Android's "Export to .vcf": vCard 2.1, names in quoted-printable UTF-8 wrapped with soft line breaks ("=" at the
# end of a line), the photo in base64 ending with an empty line.
ANDROID = crlf(
    "BEGIN:VCARD\n"
    "VERSION:2.1\n"
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen;;;\n"
    "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=C3=BCller\n"
    "TEL;CELL:0171 2345678\n"
    "TEL;HOME:030 1234567\n"
    "EMAIL;HOME:juergen@mueller.example.com\n"
    "ADR;HOME;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:;;Hauptstra=C3=9Fe 1;Berlin;;10115;Deutschland\n"
    + folded_photo("PHOTO;ENCODING=BASE64;JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD\n", 40)
    + "\n"
    "END:VCARD\n"
    "BEGIN:VCARD\n"
    "VERSION:2.1\n"
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C5=BBak;=C5=81ucja;;;\n"
    "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C5=81ucja =C5=BBak\n"
    "TEL;CELL:+48 601 234 567\n"
    "ADR;HOME;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:;;ul. Piotrkowska 12;=C5=81=C3=B3=\n"
    "d=C5=BA;;90-001;Polska\n"
    "NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Poleci=C5=82a j=C4=85 pani M=C3=BCller.=0A=\n"
    "Dzwoni=C4=87 po 16:00.\n"
    "END:VCARD\n"
    "BEGIN:VCARD\n"
    "VERSION:2.1\n"
    "X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;Oma;1;;;;;;;;;;;;;\n"
    + folded_photo("PHOTO;ENCODING=BASE64;JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD\n", 5)
    + "\n"
    "END:VCARD\n"
)

# Outlook's "Save as vCard": 2.1 in the charset of Windows (Western European, or Central European in Poland), line
# breaks in quoted-printable.
OUTLOOK_GERMAN = crlf(
    "BEGIN:VCARD\n"
    "VERSION:2.1\n"
    "N;LANGUAGE=de;CHARSET=Windows-1252:Müller;Jürgen\n"
    "FN;CHARSET=Windows-1252:Jürgen Müller\n"
    "ORG;CHARSET=Windows-1252:Bäckerei Müller GmbH;Verkauf\n"
    "TITLE:Inhaber\n"
    "TEL;WORK;VOICE:030 1234567\n"
    "TEL;CELL;VOICE:0171 2345678\n"
    "TEL;WORK;FAX:030 1234568\n"
    "ADR;WORK;PREF;CHARSET=Windows-1252:;;Hauptstraße 1;Berlin;;10115;Deutschland\n"
    "LABEL;WORK;PREF;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:Hauptstra=DFe 1=0D=0A=\n"
    "10115 Berlin\n"
    "EMAIL;PREF;INTERNET:info@mueller.example.com\n"
    "NOTE;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:Liefert montags =FCber den Hof, Schl=FCssel beim Hausmeist=\n"
    "er.=0D=0A=\n"
    "Tel: 030 999999\n"
    "X-MS-OL-DEFAULT-POSTAL-ADDRESS:2\n"
    "REV:20240312T101010Z\n"
    "END:VCARD\n"
)
OUTLOOK_POLISH = crlf(
    "BEGIN:VCARD\n"
    "VERSION:2.1\n"
    "N;LANGUAGE=pl;CHARSET=Windows-1250:Wójcik;Łukasz\n"
    "FN;CHARSET=Windows-1250:Łukasz Wójcik\n"
    "ORG;CHARSET=Windows-1250:Piekarnia Łódź Sp. z o.o.\n"
    "TEL;WORK;VOICE:+48 42 123 45 67\n"
    "EMAIL;PREF;INTERNET:biuro@piekarnia.example.pl\n"
    "ADR;WORK;PREF;CHARSET=Windows-1250:;;ul. Piotrkowska 12;Łódź;;90-001;Polska\n"
    "END:VCARD\n"
)
OUTLOOK_NO_CHARSET = crlf("BEGIN:VCARD\nVERSION:2.1\nN:Schröder;Ute\nEMAIL;INTERNET:ute@example.de\nEND:VCARD\n")

# iOS (Contacts → Share, or iCloud): vCard 3.0, lines folded at 75 bytes (even inside a letter), grouped
# properties with Apple's labels, backslash escapes, the photo folded over hundreds of lines.
IPHONE = crlf(
    "BEGIN:VCARD\n"
    "VERSION:3.0\n"
    "PRODID:-//Apple Inc.//iPhone OS 17.4//EN\n"
    "N:Lange;Eva;;;\n"
    "FN:Eva Lange\n"
    "ORG:Bäckerei Lange;Backstube;\n"
    "item1.EMAIL;type=INTERNET;type=pref:eva@baeckerei-lange.example.de\n"
    "item1.X-ABLabel:_$!<Other>!$_\n"
    "EMAIL;type=INTERNET;type=HOME:eva.lange@example.de\n"
    "TEL;type=CELL;type=VOICE;type=pref:+49 171 2345678\n"
    "TEL;type=WORK;type=VOICE:+49 30 1234567\n"
    "item2.ADR;type=WORK;type=pref:;;Hauptstraße 5\\nHinterhaus;Berlin;;10115;Deutschland\n"
    "item2.X-ABADR:de\n"
    "NOTE:Liefert montags\\, mittwochs und freitags.\\nRabatt 5 %\\; Unterlagen unter C:\\\\Kunden\\\\La\n"
    " nge\n"
    "CATEGORIES:Bäcker,VIP\n"
    + folded_photo("PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAASABIAAD\n", 400)
    + "END:VCARD\n"
    "BEGIN:VCARD\n"
    "VERSION:3.0\n"
    "N:;;;;\n"
    "FN:Stadtwerke Leipzig\n"
    "ORG:Stadtwerke Leipzig;\n"
    "X-ABShowAs:COMPANY\n"
    "TEL;type=MAIN:+49 341 1210\n"
    "item1.URL;type=pref:https\\://www.l.de\n"
    "END:VCARD\n"
    "BEGIN:VCARD\n"
    "VERSION:3.0\n"
    "N:Nowak;Anna;Maria;Dr.;\n"
    "FN:Dr. Anna Maria Nowak\n"
    "EMAIL;type=INTERNET;type=HOME:anna.nowak@example.pl\n"
    "TEL;type=WORK;type=FAX:+48 22 123 45 68\n"
    "TEL;type=HOME;type=VOICE:+48 22 123 45 67\n"
    "ADR;type=HOME:;;ul. Marszałkowska 10;Warszawa;;00-001;Polska\n"
    "END:VCARD\n"
).encode()
# iOS folds by bytes: "ä" of Bäckerei split over two lines.
IPHONE = IPHONE.replace(b"ORG:B\xc3\xa4ckerei", b"ORG:B\xc3\r\n \xa4ckerei", 1)

# vCard 4.0 (Nextcloud, Thunderbird, Google's CardDAV): no N, numbers as tel: links, PREF=1, quoted parameters.
VERSION_4 = crlf(
    "BEGIN:VCARD\n"
    "VERSION:4.0\n"
    "FN:Anna Nowak\n"
    "EMAIL;TYPE=work:anna@work.example.com\n"
    "EMAIL;PREF=1:anna@example.com\n"
    'TEL;VALUE=uri;TYPE="voice,work":tel:+49-30-1234567;ext=12\n'
    'TEL;VALUE=uri;PREF=1;TYPE="cell,voice":tel:+49-171-2345678\n'
    'ADR;TYPE=home;LABEL="Hauptstraße 1\\nEingang: Hof":;;Hauptstraße 1;Berlin;;10115;Germany\n'
    "END:VCARD\n"
    "BEGIN:VCARD\n"
    "VERSION:4.0\n"
    "KIND:org\n"
    "FN:Stadtbibliothek Köln\n"
    "TEL;VALUE=uri;TYPE=work:tel:+49-221-22123456\n"
    "CATEGORIES:myContacts,starred,Bibliothek\n"
    "END:VCARD\n"
)


def test_the_columns_of_a_card_are_read_into_the_customer_fields_of_the_same_name():
    assert auto_mapping(HEADER) == dict(enumerate([
        "company", "first_name", "last_name", "email", "phone", "mobile", "street", "postal_code", "city", "country",
        "note", "tags",
    ]))  # fmt: skip


def test_an_android_export_in_quoted_printable_utf8(tmp_path):
    path = tmp_path / "Kontakte.vcf"
    path.write_text(ANDROID, newline="")
    assert cards(path) == [
        (1, {"First name": "Jürgen", "Last name": "Müller", "Email": "juergen@mueller.example.com",
             "Phone": "030 1234567", "Mobile phone": "0171 2345678", "Street and number": "Hauptstraße 1",
             "Postal code": "10115", "City": "Berlin", "Country": "Deutschland"}),
        (52, {"First name": "Łucja", "Last name": "Żak", "Mobile phone": "+48 601 234 567",
              "Street and number": "ul. Piotrkowska 12", "Postal code": "90-001", "City": "Łódź", "Country": "Polska",
              "Note": "Poleciła ją pani Müller.\nDzwonić po 16:00."}),
        (62, {}),  # a card with only a nickname and a photo
    ]  # fmt: skip


def test_outlook_cards_in_the_charsets_of_windows(tmp_path):
    path = tmp_path / "Kontakte.vcf"
    path.write_bytes(
        OUTLOOK_GERMAN.encode("cp1252") + OUTLOOK_POLISH.encode("cp1250") + OUTLOOK_NO_CHARSET.encode("cp1252")
    )
    german, polish, no_charset = cards(path)
    assert german == (1, {
        "Company": "Bäckerei Müller GmbH", "First name": "Jürgen", "Last name": "Müller",
        "Email": "info@mueller.example.com", "Phone": "030 1234567", "Mobile phone": "0171 2345678",
        "Street and number": "Hauptstraße 1", "Postal code": "10115", "City": "Berlin", "Country": "Deutschland",
        "Note": "Liefert montags über den Hof, Schlüssel beim Hausmeister.\nTel: 030 999999",
    })  # fmt: skip
    assert polish[1]["Company"] == "Piekarnia Łódź Sp. z o.o." and polish[1]["First name"] == "Łukasz"
    assert polish[1]["City"] == "Łódź"
    assert no_charset[1] == {"First name": "Ute", "Last name": "Schröder", "Email": "ute@example.de"}


def test_an_iphone_address_book_with_folded_lines_groups_escapes_and_photos(tmp_path):
    path = tmp_path / "Alle Kontakte.vcf"
    path.write_bytes(IPHONE)
    bakery, works, anna = cards(path)
    assert bakery == (1, {
        "Company": "Bäckerei Lange", "First name": "Eva", "Last name": "Lange",
        "Email": "eva@baeckerei-lange.example.de", "Phone": "+49 30 1234567", "Mobile phone": "+49 171 2345678",
        "Street and number": "Hauptstraße 5, Hinterhaus", "Postal code": "10115", "City": "Berlin",
        "Country": "Deutschland", "Tags": "Bäcker, VIP",
        "Note": "Liefert montags, mittwochs und freitags.\nRabatt 5 %; Unterlagen unter C:\\Kunden\\Lange",
    })  # fmt: skip
    assert works[1] == {"Company": "Stadtwerke Leipzig", "Phone": "+49 341 1210"}, "a company card has no person"
    assert anna[1] == {
        "First name": "Anna Maria", "Last name": "Nowak", "Email": "anna.nowak@example.pl",
        "Phone": "+48 22 123 45 67", "Street and number": "ul. Marszałkowska 10", "Postal code": "00-001",
        "City": "Warszawa", "Country": "Polska",
    }, "the fax is not the phone"  # fmt: skip
    assert (works[0], anna[0]) == (420, 429), "each card is numbered by the line of its BEGIN, folded lines counted"


def test_a_vcard_4_with_tel_links_and_preferences(tmp_path):
    path = tmp_path / "contacts.vcard"
    path.write_text(VERSION_4)
    person, library = cards(path)
    assert person == (1, {
        "Last name": "Anna Nowak", "Email": "anna@example.com", "Phone": "+49-30-1234567;ext=12",
        "Mobile phone": "+49-171-2345678", "Street and number": "Hauptstraße 1", "Postal code": "10115",
        "City": "Berlin", "Country": "Germany",
    })  # fmt: skip
    assert library == (10, {"Company": "Stadtbibliothek Köln", "Phone": "+49-221-22123456", "Tags": "Bibliothek"})


def test_any_file_that_begins_with_a_card_is_read_as_cards(tmp_path):
    path = tmp_path / "export.txt"  # Thunderbird's 2.1, lower case, the version last
    path.write_bytes(b"\xef\xbb\xbf\r\n\r\nbegin:vcard\r\nfn;quoted-printable:Ren=C3=A9 Dupont\r\n"
                     b"tel;cell:+33 6 12 34 56 78\r\nversion:2.1\r\nend:vcard\r\n")  # fmt: skip
    assert cards(path) == [(3, {"Last name": "René Dupont", "Mobile phone": "+33 6 12 34 56 78"})]


def test_a_photo_of_megabytes_on_one_line_is_read_past(tmp_path):
    path = tmp_path / "big.vcf"
    photo = base64.b64encode(b"\xff" * 3_000_000)
    path.write_bytes(b"BEGIN:VCARD\nVERSION:3.0\nFN:Eva Lange\nPHOTO;ENCODING=b:" + photo + b"\nEMAIL:eva@example.de\n"
                     b"END:VCARD\n")  # fmt: skip
    assert cards(path) == [(1, {"Last name": "Eva Lange", "Email": "eva@example.de"})]


def imported(path) -> dict[str, Customer]:
    result = customers_import(actor=None, path=path, dry_run=False)
    assert Import.objects.get(pk=result.import_id).created == result.created
    return {c.name: c for c in Customer.objects.prefetch_related("tags", "addresses", "notes")}


@pytest.mark.django_db
def test_an_iphone_address_book_becomes_customers(tmp_path):
    path = tmp_path / "Alle Kontakte.vcf"
    path.write_bytes(IPHONE)
    customers = imported(path)
    assert sorted(customers) == ["Anna Maria Nowak", "Bäckerei Lange", "Stadtwerke Leipzig"]
    bakery = customers["Bäckerei Lange"]
    assert (bakery.kind, bakery.contact_person, bakery.email, bakery.phone) == (
        "company", "Eva Lange", "eva@baeckerei-lange.example.de", "+49301234567")  # fmt: skip
    assert [(a.street, a.postal_code, a.city, a.country.code) for a in bakery.addresses.all()] == [
        ("Hauptstraße 5, Hinterhaus", "10115", "Berlin", "DE")
    ]
    assert sorted(t.name for t in bakery.tags.all()) == ["Bäcker", "VIP"]
    assert bakery.notes.get().text.startswith("Liefert montags, mittwochs und freitags.\nRabatt 5 %;")
    works = customers["Stadtwerke Leipzig"]
    assert (works.kind, works.contact_person, works.phone) == ("company", "", "+493411210")
    anna = customers["Anna Maria Nowak"]
    assert (anna.kind, anna.phone, anna.city, anna.country) == ("person", "+48221234567", "Warszawa", "PL")


@pytest.mark.django_db
def test_an_android_export_becomes_customers_and_a_card_without_a_name_is_rejected(tmp_path):
    path = tmp_path / "Kontakte.vcf"
    path.write_text(ANDROID, newline="")
    result = customers_import(actor=None, path=path, dry_run=False)
    assert result.rejected == [{"line": 62, "reason": "Nothing tells who this customer is: no name, email or phone."}]
    juergen = Customer.objects.get(name="Jürgen Müller")
    assert (juergen.kind, juergen.email, juergen.phone, juergen.country) == (
        "person", "juergen@mueller.example.com", "+49301234567", "DE")  # fmt: skip
    lucja = Customer.objects.get(name="Łucja Żak")
    assert (lucja.phone, lucja.city, lucja.country) == ("+48601234567", "Łódź", "PL"), "the mobile is her phone"
    assert lucja.notes.get().text == "Poleciła ją pani Müller.\nDzwonić po 16:00."


@pytest.mark.django_db
def test_outlook_and_vcard_4_cards_become_customers(tmp_path):
    outlook, version_4 = tmp_path / "Jürgen Müller.vcf", tmp_path / "contacts.vcf"
    outlook.write_bytes(OUTLOOK_GERMAN.encode("cp1252") + OUTLOOK_POLISH.encode("cp1250"))
    version_4.write_text(VERSION_4)
    customers = imported(outlook) | imported(version_4)
    bakery = customers["Bäckerei Müller GmbH"]
    assert (bakery.contact_person, bakery.email, bakery.phone, bakery.city) == (
        "Jürgen Müller", "info@mueller.example.com", "+49301234567", "Berlin")  # fmt: skip
    piekarnia = customers["Piekarnia Łódź Sp. z o.o."]
    assert (piekarnia.contact_person, piekarnia.phone, piekarnia.country) == ("Łukasz Wójcik", "+48421234567", "PL")
    anna = customers["Anna Nowak"]
    assert (anna.kind, anna.email, anna.phone, anna.country) == ("person", "anna@example.com", "+49301234567", "DE")
    library = customers["Stadtbibliothek Köln"]
    assert (library.kind, [t.name for t in library.tags.all()]) == ("company", ["Bibliothek"])


CARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Eva Lange\r\nEMAIL:eva@example.de\r\nEND:VCARD\r\n"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, content, message",
    [
        ("cut.vcf", CARD * 2 + "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jan Ko",
         "The file ends inside the card that begins on line 11: is it cut off?"),
        ("nested.vcf", CARD + "BEGIN:VCARD\r\nFN:Jan Kowalski\r\n" + CARD,
         "Line 8 begins a card inside the card that begins on line 6: is the file damaged?"),
        ("empty.vcf", "", "This file holds no contact cards (vCard)."),
        ("notes.vcf", "Eva Lange, eva@example.de\r\n", "This file holds no contact cards (vCard)."),
        ("long.vcf", "BEGIN:VCARD\r\nFN:Eva\r\nNOTE:" + "x" * 1_100_000 + "\r\nEND:VCARD\r\n",
         "Line 3 holds a value longer than a million characters."),
    ],
)  # fmt: skip
def test_a_broken_card_file_is_refused_whole(tmp_path, monkeypatch, name, content, message):
    monkeypatch.setattr(services, "BATCH", 1)  # the cards before the break are written before it is found
    path = tmp_path / name
    path.write_text(content, newline="")
    with pytest.raises(FileProblem) as problem:
        customers_import(actor=None, path=path, dry_run=False)
    assert str(problem.value) == message
    assert not Customer.objects.exists() and not Import.objects.exists()


def test_a_file_of_cards_is_counted_by_its_cards_whatever_its_name(tmp_path):
    from kartei.transfer.reading import rows_expected

    path = tmp_path / "kontakte.txt"
    path.write_text(CARD * 3, encoding="utf-8")
    assert rows_expected(path) == 3
