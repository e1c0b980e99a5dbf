"""Importing the files people have, through the CLI contract: mapping, checks, duplicates, dry run, undo."""

import io
import json

import pytest
import xlsxwriter
from django.core.management import CommandError, call_command

from kartei.customers.models import Customer
from kartei.timeline.models import Event
from kartei.transfer.models import Import
from kartei.transfer.services import checked_facts, customers_import
from tests.factories import make_customer

pytestmark = pytest.mark.django_db

GERMAN_SHEET = (
    "Firma;Vorname;Name;E-Mail;Telefon;Straße;PLZ;Ort;Land;USt-IdNr.;Rabatt;Notiz;Kategorie\r\n"
    "Bäckerei Müller GmbH;Jürgen;Müller;info@mueller.example.com;030 1234567;Hauptstraße 1;10115;Berlin;DE;"
    "DE136695976;12,5;Liefert montags;VIP, Bäcker\r\n"
    ";Anna;Schmidt;anna@schmidt.example.de;;;;;;;;;\r\n"
    ";;;;0171 2345678;;;;;;;;\r\n"
    ";;;;;Nur eine Straße 5;;;;;;;\r\n"
    "Kaputt AG;;;kein-at-zeichen;;;;;;;;;\r\n"
    "Doppelt GmbH;;;INFO@mueller.example.com;;;;;;;;;\r\n"
)


def run(path, *options) -> dict:
    out = io.StringIO()
    call_command("import", "customers", str(path), "--json", *options, stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


@pytest.fixture
def german_csv(tmp_path):
    path = tmp_path / "kunden.csv"
    path.write_bytes(GERMAN_SHEET.encode("cp1252"))
    return path


def test_it_reads_a_german_excel_csv_and_says_why_it_rejects_a_row(german_csv):
    answer = run(german_csv)
    assert (answer["created"], answer["updated"], answer["skipped"]) == (3, 0, 0)
    assert answer["rejected"] == [
        {"line": 5, "reason": "Nothing tells who this customer is: no name, email or phone."},
        {"line": 6, "reason": "Enter an email address such as name@example.com."},
        {"line": 7, "reason": "The same customer as on line 2."},
    ]
    bakery = Customer.objects.get(email="info@mueller.example.com")
    assert (bakery.name, bakery.contact_person, bakery.phone, bakery.vat_id) == (
        "Bäckerei Müller GmbH", "Jürgen Müller", "+49301234567", "DE136695976")  # fmt: skip
    assert str(bakery.discount_percent) == "12.50" and bakery.source == "import"
    assert sorted(t.name for t in bakery.tags.all()) == ["Bäcker", "VIP"]
    assert [(a.street, a.postal_code, a.city, a.country.code) for a in bakery.addresses.all()] == [
        ("Hauptstraße 1", "10115", "Berlin", "DE")
    ]
    assert bakery.notes.get().text == "Liefert montags"
    anna = Customer.objects.get(email="anna@schmidt.example.de")
    assert (anna.name, anna.kind) == ("Anna Schmidt", "person")
    known_by_phone = Customer.objects.get(phone="+491712345678")
    assert known_by_phone.name == "0171 2345678", "a phone alone is a customer"
    assert [t.name for t in known_by_phone.tags.all()] == ["To complete"]
    assert "To complete" not in [t.name for t in anna.tags.all()]
    imported = Import.objects.get(pk=answer["import"])
    assert (imported.created, imported.rejected, imported.file_name) == (3, 3, "kunden.csv")
    event = Event.objects.get(customer=bakery, kind="customer.created")
    assert event.subject == imported, "the timeline points at the import"


def test_a_dry_run_counts_everything_and_writes_nothing(german_csv):
    answer = run(german_csv, "--dry-run")
    assert (answer["created"], len(answer["rejected"])) == (3, 3) and "import" not in answer
    assert not Customer.objects.exists() and not Import.objects.exists()


BAKERY = {"name": "Bäckerei Müller GmbH", "email": "info@mueller.example.com", "phone": "+49301234567",
          "city": "Berlin", "status": "potential", "tags": ["VIP", "Bäcker"]}  # fmt: skip
ANNA = {"name": "Anna Schmidt", "email": "anna@schmidt.example.de", "phone": "", "city": "", "status": "potential",
        "tags": []}  # fmt: skip
KNOWN_BY_PHONE = {"name": "0171 2345678", "email": "", "phone": "+491712345678", "city": "", "status": "potential",
                  "tags": ["To complete"]}  # fmt: skip


@pytest.mark.parametrize(
    "stored, choice, counts, preview",
    [
        (False, "skip", (3, 0, 0), [BAKERY, ANNA, KNOWN_BY_PHONE]),
        (True, "skip", (2, 0, 1), [ANNA, KNOWN_BY_PHONE]),
        (True, "fill", (2, 1, 0), [ANNA, KNOWN_BY_PHONE]),
    ],
)
def test_a_dry_run_shows_the_new_customers_as_stored_and_counts_what_the_import_then_does(
    german_csv, stored, choice, counts, preview
):
    if stored:  # the file's bakery, but for the contact person and the discount, which only "fill" adds
        address = {"street": "Hauptstraße 1", "postal_code": "10115", "city": "Berlin", "country": "DE"}
        make_customer(name="Bäckerei", email="info@mueller.example.com", phone="030 1234567", vat_id="DE136695976",
                      tags=["VIP", "Bäcker"], addresses=[address])  # fmt: skip
    checked = customers_import(actor=None, path=german_csv, dry_run=True, on_duplicate=choice)
    assert checked_facts(checked)["checked"]["preview"] == preview
    assert (checked.created, checked.updated, checked.skipped) == counts
    imported = customers_import(actor=None, path=german_csv, on_duplicate=choice)
    assert (imported.created, imported.updated, imported.skipped, imported.rejected) == (*counts, checked.rejected)
    bakery = Customer.objects.get(email="info@mueller.example.com")
    assert bakery.contact_person == ("" if stored and choice == "skip" else "Jürgen Müller")


def test_a_row_naming_an_id_no_customer_has_is_rejected_whether_or_not_any_are_stored(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("ID,Name,Email\n7,Kiosk am Markt,kiosk@example.com\n")
    assert run(path)["rejected"] == [{"line": 2, "reason": "No customer has the ID 7."}]
    kiosk = make_customer(name="Kiosk", email="other@example.com")
    path.write_text(f"ID,Name,Email\n{kiosk.pk},Kiosk am Markt,kiosk@example.com\n7,Nobody,nobody@example.com\n")
    answer = run(path, "--on-duplicate=overwrite")
    assert (answer["updated"], answer["rejected"]) == (1, [{"line": 3, "reason": "No customer has the ID 7."}])
    kiosk.refresh_from_db()
    assert (kiosk.name, kiosk.email, Customer.objects.count()) == ("Kiosk am Markt", "kiosk@example.com", 1)


@pytest.mark.parametrize("choice, skipped, updated", [("skip", 1, 0), ("fill", 0, 1), ("overwrite", 0, 1)])
def test_a_stored_customer_is_skipped_filled_in_or_overwritten(tmp_path, choice, skipped, updated):
    stored = make_customer(name="Bäckerei Müller", email="info@mueller.example.com", contact_person="Eva")
    path = tmp_path / "c.csv"
    path.write_text("Name,Email,Contact person,Phone\nMüller Backwaren,INFO@Mueller.example.com,Jürgen,030 1234567\n")
    answer = run(path, f"--on-duplicate={choice}")
    assert (answer["created"], answer["skipped"], answer["updated"]) == (0, skipped, updated)
    stored.refresh_from_db()
    expected = {
        "skip": ("Bäckerei Müller", "Eva", ""),
        "fill": ("Bäckerei Müller", "Eva", "+49301234567"),
        "overwrite": ("Müller Backwaren", "Jürgen", "+49301234567"),
    }[choice]
    assert (stored.name, stored.contact_person, stored.phone) == expected
    assert Customer.objects.count() == 1


@pytest.mark.parametrize("choice", ["fill", "overwrite"])
def test_tags_and_addresses_of_a_stored_customer_are_filled_in_or_overwritten_and_undone(tmp_path, choice):
    bare = make_customer(name="Kiosk", email="kiosk@example.com")
    full = make_customer(name="Laden", email="laden@example.com", tags=["Stammkunde"],
                         addresses=[{"street": "Alte Str. 1", "city": "Köln", "country": "DE"}])  # fmt: skip
    path = tmp_path / "c.csv"
    path.write_text(
        "E-Mail;Kategorie;Straße;PLZ;Ort;Land\n"
        "kiosk@example.com;VIP, Messe;Markt 2;10115;Berlin;Deutschland\n"
        "laden@example.com;VIP;Neue Str. 5;80331;München;DE\n"
    )
    answer = run(path, f"--on-duplicate={choice}")
    assert answer["updated"] == 2

    def state(customer):
        customer = Customer.objects.get(pk=customer.pk)
        return sorted(t.name for t in customer.tags.all()), [a.city for a in customer.addresses.all()]

    assert state(bare) == (["Messe", "VIP"], ["Berlin"]), "what was empty is filled in either way"
    assert (
        state(full)
        == {
            "fill": (["Stammkunde", "VIP"], ["Köln"]),
            "overwrite": (["VIP"], ["München"]),
        }[choice]
    )
    assert Customer.objects.get(pk=bare.pk).addresses.get().country.code == "DE"

    call_command("import", "undo", str(answer["import"]), stdout=io.StringIO())
    assert state(bare) == ([], [])
    assert state(full) == (["Stammkunde"], ["Köln"])


def test_undo_removes_what_was_created_and_restores_what_was_changed_unless_edited_since(tmp_path):
    from kartei.customers.services import customer_update

    kept = make_customer(name="Kept GmbH", email="kept@example.com")
    restored = make_customer(name="Restored GmbH", email="restored@example.com")
    path = tmp_path / "c.csv"
    path.write_text(
        "Email,Phone,Name\nkept@example.com,030 1234567,\nrestored@example.com,030 7654321,\nnew@example.com,,New\n"
    )
    answer = run(path, "--on-duplicate=fill")
    assert (answer["created"], answer["updated"]) == (1, 2)
    customer_update(customer=Customer.objects.get(pk=kept.pk), actor=None, data={"phone": "040 1111111"})

    out = io.StringIO()
    call_command("import", "undo", str(answer["import"]), stdout=out)
    assert out.getvalue().splitlines() == [
        "1 customers removed, 1 restored.",
        "  kept, changed since the import: Kept GmbH",
    ]
    assert not Customer.objects.filter(email="new@example.com").exists()
    assert Customer.objects.get(pk=restored.pk).phone == ""
    assert Customer.objects.get(pk=kept.pk).phone == "+49401111111"
    with pytest.raises(CommandError, match="undone already"):
        call_command("import", "undo", str(answer["import"]), stdout=out)
    with pytest.raises(CommandError, match="no import 999"):
        call_command("import", "undo", "999", stdout=out)


def test_our_own_export_comes_back_unchanged(staff_client, tmp_path):
    make_customer(name="Bäckerei Müller GmbH", email="info@mueller.example.com", phone="030 1234567",
                  discount_percent="12.50", tags=["VIP"], marketing_consent=True,
                  addresses=[{"street": "Hauptstraße 1", "city": "Berlin", "country": "DE"},
                             {"label": "Lager", "city": "Potsdam", "country": "DE"}])  # fmt: skip
    make_customer(name="+48 512 345 678", phone="+48 512 345 678", kind="person", status="current")
    before = list(Customer.objects.order_by("id").values())
    for kind in ("csv", "csv-excel", "xlsx"):
        path = tmp_path / f"export.{'xlsx' if kind == 'xlsx' else 'csv'}"
        path.write_bytes(b"".join(staff_client.get(f"/customers/export/?all=1&format={kind}").streaming_content))
        answer = run(path, "--on-duplicate=overwrite")
        assert (answer["created"], answer["updated"], answer["rejected"]) == (0, 0, []), kind
        assert answer["skipped"] == 2
    assert list(Customer.objects.order_by("id").values()) == before


def test_it_reads_an_excel_sheet_whose_header_is_on_its_second_line(tmp_path):
    path = tmp_path / "debitoren.xlsx"
    with xlsxwriter.Workbook(str(path)) as book:
        sheet = book.add_worksheet()
        sheet.write_row(0, 0, ["EXTF", 700, 16, "Debitoren/Kreditoren"])
        sheet.write_row(1, 0, ["Name", "E-Mail", "PLZ", "Ort"])
        sheet.write_row(2, 0, ["Kiosk am Markt", "kiosk@example.de", 10115, "Berlin"])
    answer = run(path)
    assert answer["created"] == 1 and answer["rejected"] == []
    address = Customer.objects.get().addresses.get()
    assert (address.postal_code, address.city) == ("10115", "Berlin")


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "The file is empty."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not a CSV file"),
        (b"Name,Email\nA,a@example.com\nB\x00,b@example.com\n", "not a CSV file"),
    ],
)
def test_a_file_that_is_not_a_table_is_refused_and_nothing_is_stored(tmp_path, content, message):
    make_customer(name="Stays")
    path = tmp_path / "customers.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run(path)
    assert list(Customer.objects.values_list("name", flat=True)) == ["Stays"] and not Import.objects.exists()


def test_a_damaged_spreadsheet_is_refused(tmp_path):
    path = tmp_path / "cut.xlsx"
    with xlsxwriter.Workbook(str(path)) as book:
        book.add_worksheet().write_row(0, 0, ["Name", "Email"])
    path.write_bytes(path.read_bytes()[:300])
    with pytest.raises(CommandError, match="damaged or cut off"):
        run(path)


def test_headers_only_a_huge_cell_and_too_many_cells_get_a_clear_answer(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("Name,Email\n")
    assert run(path) == {"created": 0, "updated": 0, "skipped": 0, "rejected": []}, "nothing written, no import"
    assert not Import.objects.exists()
    path.write_text("Name,Email\n" + "x" * 300 + ",a@example.com\nB,b@example.com," + ",x" * 10_000 + "\n")
    answer = run(path)
    assert [r["line"] for r in answer["rejected"]] == [2, 3] and answer["created"] == 0
    assert "more cells than the header" in answer["rejected"][1]["reason"]
    path.write_text("Name,Email\n" + "y" * 1_100_000 + ",c@example.com\n")
    with pytest.raises(CommandError, match="longer than a million characters"):
        run(path)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1250", "iso-8859-2"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_it_reads_every_common_encoding_and_delimiter(tmp_path, encoding, delimiter):
    rows = [["Nazwa", "E-mail", "Miasto"], ['Zakład Łódź; "Róża"', "biuro@lodz.example.pl", "Łódź"]]
    buffer = io.StringIO()
    import csv

    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path = tmp_path / "klienci.csv"
    path.write_bytes(buffer.getvalue().encode(encoding))
    assert run(path)["created"] == 1
    customer = Customer.objects.get()
    assert (customer.name, customer.city) == ('Zakład Łódź; "Róża"', "Łódź")


@pytest.mark.parametrize(
    "export, expected",
    [
        (  # Shopify (the older layout)
            "First Name,Last Name,Email,Company,Address1,Address2,City,Province,Province Code,Country,Country Code,"
            "Zip,Phone,Accepts Marketing,Total Spent,Total Orders,Tags,Note,Tax Exempt\n"
            "Ewa,Nowak,ewa@salon.example.pl,Salon Ewa,ul. Polna 2,,Łódź,,,Poland,PL,90-002,+48 512 345 678,yes,"
            '120.00,3,"VIP, Fryzjer",Stała klientka,no\n',
            ("Salon Ewa", "Ewa Nowak", "ewa@salon.example.pl", "+48512345678", "Łódź", "PL", True, ["Fryzjer", "VIP"]),
        ),
        (  # Google Contacts
            "First Name,Middle Name,Last Name,Organization Name,E-mail 1 - Value,Phone 1 - Value,Address 1 - City,"
            "Address 1 - Country,Labels\n"
            "Jan,,Kowalski,,jan@example.pl ::: jan.k@example.pl,0048 600 100 200,Kraków,Polska,* myContacts ::: Hurt\n",
            ("Jan Kowalski", "", "jan@example.pl", "+48600100200", "Kraków", "PL", False, ["Hurt"]),
        ),
        (  # Outlook in German
            "Vorname;Nachname;Firma;E-Mail-Adresse;Telefon geschäftlich;Straße geschäftlich;Ort geschäftlich;"
            "Postleitzahl geschäftlich;Land/Region geschäftlich;Kategorien\n"
            "Jürgen;Müller;Bäckerei Müller;info@mueller.example.com;030 1234567;Hauptstr. 1;Berlin;10115;"
            "Deutschland;Bäcker\n",
            (
                "Bäckerei Müller",
                "Jürgen Müller",
                "info@mueller.example.com",
                "+49301234567",
                "Berlin",
                "DE",
                False,
                ["Bäcker"],
            ),
        ),
    ],
    ids=["shopify", "google", "outlook-de"],
)
def test_it_reads_the_exports_of_other_programs(tmp_path, export, expected):
    path = tmp_path / "contacts.csv"
    path.write_text(export, encoding="utf-8")
    answer = run(path)
    assert answer["rejected"] == [] and answer["created"] == 1
    customer = Customer.objects.get()
    address = customer.addresses.get()
    tags = sorted(t.name for t in customer.tags.all())
    assert (customer.name, customer.contact_person, customer.email, customer.phone, address.city,
            address.country.code, customer.marketing_consent, tags) == expected  # fmt: skip


def test_a_chosen_mapping_keeps_only_real_columns_and_fields_once():
    from kartei.transfer.mapping import chosen

    header = ["Kunde", "Telefon", "Mail"]
    assert chosen({0: "name", 1: "phone", 2: "phone", 5: "email", -1: "name", 3: "city 2"}, header) == {
        0: "name", 1: "phone"}  # fmt: skip
    assert chosen({0: "bogus", 1: "__class__", 2: "city 9"}, header) == {}


def test_rejected_rows_are_listed_in_the_order_of_the_file(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("ID,Name,Email\n999999,Gone GmbH,gone@example.com\n,,\n,Kaputt,kaputt\n")
    assert [r["line"] for r in run(path)["rejected"]] == [2, 4]


def test_overwriting_an_email_another_customer_has_rejects_that_row_only(tmp_path):
    stored = make_customer(name="Stored GmbH", email="stored@example.com")
    make_customer(name="Other GmbH", email="other@example.com")
    path = tmp_path / "c.csv"
    path.write_text(f"ID,Email,Name\n{stored.pk},other@example.com,Stored GmbH\n,new@example.com,New\n")
    answer = run(path, "--on-duplicate=overwrite")
    assert (answer["created"], answer["updated"]) == (1, 0)
    assert answer["rejected"] == [{"line": 2, "reason": "Other GmbH already has this email address."}]
    assert Customer.objects.get(pk=stored.pk).email == "stored@example.com"


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_the_same_new_customer_at_once_give_one_customer_and_a_clear_answer(tmp_path):
    import threading

    from django.db import connection

    from kartei.transfer.services import ImportConflict, customers_import

    paths = []
    for n in range(2):
        path = tmp_path / f"c{n}.csv"
        path.write_text("Email,Name\nsame@example.com,Same\n" + "".join(
            f"k{n}-{i}@example.com,Kunde {i}\n" for i in range(3000)))  # fmt: skip
        paths.append(path)
    start, answers = threading.Barrier(2), []

    def importing(path):
        try:
            start.wait()
            answers.append(customers_import(actor=None, path=path).created)
        except ImportConflict as conflict:
            answers.append(str(conflict))
        finally:
            connection.close()

    threads = [threading.Thread(target=importing, args=(p,)) for p in paths]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Customer.objects.filter(email="same@example.com").count() == 1
    assert sorted(answers, key=str) in (
        [3001, "While the import ran, someone added a customer with one of its e-mail addresses. Nothing was "
               "imported; check the file again."],
        [3000, 3001],
    )  # fmt: skip


def test_the_command_keeps_the_columns_it_cannot_read_as_a_note_when_asked(tmp_path):
    path = tmp_path / "shopify.csv"
    path.write_text("First Name,Last Name,Email,Total Spent,Total Orders\nEwa,Nowak,ewa@example.pl,120.00,3\n")
    out = io.StringIO()
    call_command("import", "customers", str(path), stdout=out)
    assert "Columns not read: Total Spent, Total Orders" in out.getvalue()
    Customer.objects.all().delete()
    call_command("import", "customers", str(path), "--keep-unmapped", stdout=io.StringIO())
    assert Customer.objects.get().notes.get().text == "Total Spent: 120.00\nTotal Orders: 3"


def test_the_command_says_which_columns_it_guessed(tmp_path):
    path = tmp_path / "k.csv"
    path.write_text("Firma;Nachnahme;Telefonnr.\nKiosk am Markt;Lange;030 1234567\n")
    out = io.StringIO()
    call_command("import", "customers", str(path), stdout=out)
    assert "Column guessed: Nachnahme read as last_name; check it." in out.getvalue()
    assert Customer.objects.get().phone == "+49301234567"


def test_a_large_file_checked_on_every_core_gives_what_one_core_gives(tmp_path, monkeypatch, settings):
    from kartei.transfer import services

    path = tmp_path / "kunden.csv"
    rows = [";".join(("Firma", "Vorname", "Nachname", "E-Mail", "Telefon", "Ort", "Kategorie", "USt-IdNr."))]
    for n in range(300):
        email = "kaputt" if n % 50 == 7 else f"kunde{n % 290}@example.com"  # bad addresses, repeated customers
        rows.append(f"Firma {n};Anna;Nowak;{email};030 {1000000 + n};Łódź;VIP, Großkunde;{'DE123' if n == 9 else ''}")
    path.write_text("\n".join(rows), encoding="utf-8")
    settings.LANGUAGE_CODE = "de"
    monkeypatch.setattr(services, "BATCH", 40)
    one_core = run(path, "--dry-run", "--language=pl")
    monkeypatch.setattr(services, "PARALLEL_ROWS", 100)
    every_core = run(path, "--dry-run", "--language=pl")
    assert every_core == one_core and len(one_core["rejected"]) == 6 + 1 + 8  # e-mails, the VAT ID, repeats
    assert "Podaj" in one_core["rejected"][0]["reason"], "the reasons in the user's language from every process"

    answer = run(path)
    assert answer["created"] == one_core["created"] == 285
    customer = Customer.objects.get(email="kunde5@example.com")
    assert (customer.city, sorted(t.name for t in customer.tags.all())) == ("Łódź", ["Großkunde", "VIP"])
    assert Customer.objects.filter(search_document__contains="lodz").count() == 285, "derived in the workers"


def test_rows_known_only_by_a_phone_or_vat_id_are_one_customer_however_far_apart_in_the_file(tmp_path, monkeypatch):
    from kartei.transfer import services

    monkeypatch.setattr(services, "BATCH", 2)
    path = tmp_path / "k.csv"
    path.write_text("Name;Telefon;USt-IdNr.\nKiosk;030 1234567;\nKiosk 2;030 123 45 67;\nLaden;;DE136695976\n"
                    "Laden 2;;DE 136 695 976\nMarkt;030 7654321;\n")  # fmt: skip
    checked = run(path, "--dry-run")
    assert [r["reason"] for r in checked["rejected"]] == ["The same customer as on line 2.",
                                                         "The same customer as on line 4."]  # fmt: skip
    answer = run(path)
    assert (answer["created"], len(answer["rejected"])) == (checked["created"], 2) == (3, 2)


def test_undo_keeps_a_created_customer_who_has_ordered_since_with_the_orders(tmp_path):
    from kartei.orders.services import order_place
    from tests.catalog.helpers import make_product

    path = tmp_path / "c.csv"
    path.write_text("Name,Email\nOrdered GmbH,ordered@example.com\nQuiet GmbH,quiet@example.com\n")
    answer = run(path)
    ordered = Customer.objects.get(email="ordered@example.com")
    order = order_place(actor=None, customer=ordered, wanted=[(make_product(sku="BRT-500"), 1)])

    out = io.StringIO()
    call_command("import", "undo", str(answer["import"]), stdout=out)

    assert out.getvalue().splitlines() == ["1 customers removed, 0 restored.",
                                           "  kept, ordered since the import: Ordered GmbH"]  # fmt: skip
    assert list(Customer.objects.values_list("name", flat=True)) == ["Ordered GmbH"]
    assert ordered.orders.get() == order
