"""The import pages: a file is checked first (nothing stored), then imported, its rejected rows downloaded to fix,
and the import undone."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kartei.customers.models import Customer
from kartei.transfer.models import Import
from tests.factories import make_customer
from tests.transfer.test_import_customers import GERMAN_SHEET

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


def upload(client, content: bytes, name: str = "kunden.csv", **fields):
    return client.post("/customers/import/", {"file": SimpleUploadedFile(name, content), **fields})


def token_of(page: str) -> str:
    return page.split('name="token" value="')[1].split('"')[0]


def test_a_file_is_checked_first_then_imported(staff_client):
    response = upload(staff_client, GERMAN_SHEET.encode("cp1252"))
    page = response.content.decode()
    assert response.status_code == 200
    for text in ("What the import will do", "Firma", "Company", "Bäckerei Müller GmbH", "Anna Schmidt",
                 "Nothing tells who this customer is", "The same customer as on line 2."):  # fmt: skip
        assert text in page, text
    assert not Customer.objects.exists() and not Import.objects.exists(), "a check stores nothing"

    token = token_of(page)
    response = staff_client.post("/customers/import/run/", {"token": token, "on_duplicate": "skip"})
    assert response.status_code == 302 and response.url == "/customers/import/"
    assert Customer.objects.count() == 3
    page = staff_client.get("/customers/import/").content.decode()
    assert "Imported: 3 new, 0 updated, 0 skipped, 3 rejected." in page and "kunden.csv" in page
    again = staff_client.post("/customers/import/run/", {"token": token})
    assert again.status_code == 302 and Customer.objects.count() == 3, "a file is imported once"


def test_the_rejected_rows_download_as_they_were_with_the_reason(staff_client):
    page = upload(staff_client, GERMAN_SHEET.encode("cp1252")).content.decode()
    response = staff_client.get(f"/customers/import/{token_of(page)}/rejected.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:2] == ["Firma", "Vorname"] and rows[0][-1] == "Why it was not imported"
    assert [(row[0], row[3], row[-1]) for row in rows[1:]] == [
        ("", "", "Nothing tells who this customer is: no name, email or phone."),
        ("Kaputt AG", "kein-at-zeichen", "Enter an email address such as name@example.com."),
        ("Doppelt GmbH", "INFO@mueller.example.com", "The same customer as on line 2."),
    ]
    assert staff_client.get("/customers/import/" + "A" * 22 + "/rejected.csv").status_code == 404
    assert staff_client.get("/customers/import/..%2F..%2Fsecret_key/rejected.csv").status_code == 404


@pytest.mark.parametrize(
    "content, name, message",
    [
        (b"", "kunden.csv", "Choose a file to import (CSV, Excel, OpenDocument or vCard), or paste e-mail addresses."),
        (b"%PDF-1.7", "kunden.pdf", "Kartei reads CSV, Excel"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "kunden.csv", "not a CSV file"),
        (b"PK\x03\x04 cut", "kunden.xlsx", "damaged or cut off"),
    ],
)
def test_a_file_that_cannot_be_imported_is_refused_next_to_the_field(staff_client, content, name, message):
    make_customer(name="Stays")
    response = upload(staff_client, content, name)
    assert response.status_code == 422 and message in response.content.decode()
    assert 'aria-describedby="import-file-errors"' in response.content.decode()
    assert list(Customer.objects.values_list("name", flat=True)) == ["Stays"] and not Import.objects.exists()


def test_a_missing_or_forged_token_imports_nothing(staff_client):
    for token in ("", "x" * 22, "../../secret_key", "A" * 500):
        response = staff_client.post("/customers/import/run/", {"token": token})
        assert response.status_code == 302
    assert "That file is no longer here." in staff_client.get("/customers/import/").content.decode()
    assert not Customer.objects.exists()


def test_an_import_is_undone_from_the_page_once(staff_client):
    page = upload(staff_client, GERMAN_SHEET.encode("cp1252")).content.decode()
    staff_client.post("/customers/import/run/", {"token": token_of(page)})
    run = Import.objects.get()
    response = staff_client.post(f"/customers/import/{run.pk}/undo/", headers={"HX-Request": "true"})
    assert response.status_code == 200 and response["HX-Redirect"] == "/customers/import/"
    assert not Customer.objects.exists()
    page = staff_client.get("/customers/import/").content.decode()
    assert "Import undone: 3 customers removed, 0 restored." in page and "Undone" in page
    staff_client.post(f"/customers/import/{run.pk}/undo/")
    assert "This import was undone already." in staff_client.get("/customers/import/").content.decode()
    assert staff_client.post("/customers/import/999999/undo/").status_code == 404


def test_the_pages_need_a_login_and_speak_german(client, staff_client):
    assert client.get("/customers/import/").status_code == 302
    assert client.post("/customers/import/run/", {"token": "x" * 22}).status_code == 302
    staff_client.cookies["django_language"] = "de"
    page = upload(staff_client, GERMAN_SHEET.encode("cp1252")).content.decode()
    assert "Was der Import tun wird" in page and "neue Kunden" in page


@pytest.mark.parametrize(
    "language, header", [("en", "Contact person"), ("de", "Ansprechpartner"), ("pl", "Osoba kontaktowa")]
)
def test_the_sample_file_speaks_the_users_language_and_imports_as_it_is(staff_client, tmp_path, language, header):
    staff_client.cookies["django_language"] = language
    for kind in ("csv", "xlsx"):
        response = staff_client.get(f"/customers/import/sample.{kind}")
        assert response.status_code == 200
        path = tmp_path / f"sample.{kind}"
        path.write_bytes(b"".join(response.streaming_content))
        page = upload(staff_client, path.read_bytes(), f"sample.{kind}").content.decode()
        assert header in page and 'class="table-warning"' not in page, "every column is read"
        staff_client.post("/customers/import/run/", {"token": token_of(page)})
    assert sorted(Customer.objects.values_list("name", flat=True)) == ["Bäckerei Müller GmbH", "Ewa Nowak"]
    salon = Customer.objects.get(name="Ewa Nowak")
    assert (salon.kind, salon.temperature, salon.addresses.get().city) == ("person", "warm", "Łódź")
    assert staff_client.get("/customers/import/sample.exe").status_code == 404


def test_pasted_email_addresses_are_checked_and_imported_like_a_file(staff_client):
    pasted = (
        'Anna Nowak <anna@example.com>, bob@example.com;carol@example.com\n"Kowalski, Jan" <jan@example.pl> nie-adres'
    )
    page = staff_client.post("/customers/import/", {"addresses": pasted}).content.decode()
    assert "pasted addresses" in page and "Enter an email address such as name@example.com." in page
    staff_client.post("/customers/import/run/", {"token": token_of(page)})
    assert sorted(Customer.objects.values_list("name", "email")) == [
        ("Anna Nowak", "anna@example.com"),
        ("Kowalski, Jan", "jan@example.pl"),
        ("bob@example.com", "bob@example.com"),
        ("carol@example.com", "carol@example.com"),
    ]
    assert Import.objects.get().rejected == 1
    response = staff_client.post("/customers/import/", {"addresses": " ,;\n "})
    assert response.status_code == 422 and "or paste e-mail addresses" in response.content.decode()


def test_the_user_corrects_a_column_checks_again_and_imports_with_it(staff_client):
    page = upload(staff_client, b"Kunde;Rufnummer;Quelle\nKiosk am Markt;030 1234567;Messe\n", "k.csv").content.decode()
    assert 'class="table-warning"' in page and "+49 30 1234567" not in page, "Rufnummer is not known"
    token = token_of(page)
    changed = {"token": token, "columns": "1", "column-0": "name", "column-1": "phone", "column-2": ""}
    page = staff_client.post("/customers/import/", changed).content.decode()
    assert "+49 30 1234567" in page and 'name="column-1" value="phone"' in page
    staff_client.post(
        "/customers/import/run/", {"token": token, "columns": "1", "column-0": "name", "column-1": "phone"}
    )
    customer = Customer.objects.get()
    assert (customer.name, customer.phone) == ("Kiosk am Markt", "+49301234567")
    forged = {"token": "y" * 22, "columns": "1", "column-0": "name", "column-99": "phone", "column-x": "id"}
    assert staff_client.post("/customers/import/", forged).status_code == 302


def test_a_large_file_is_imported_by_the_worker_while_the_page_shows_how_far_it_has_come(
    staff_client, monkeypatch, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from kartei.transfer import services
    from kartei.transfer.tasks import import_in_background

    monkeypatch.setattr(services, "BACKGROUND_ROWS", 5)
    page = upload(staff_client, GERMAN_SHEET.encode("cp1252")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post("/customers/import/run/", {"token": token_of(page)})
    run = Import.objects.get()
    assert response.status_code == 302 and response.url == f"/customers/import/{run.pk}/"
    assert DBTaskResult.objects.filter(task_path=import_in_background.module_path).count() == 1
    waiting = staff_client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert "Waiting to start" in waiting and 'hx-trigger="every 1s"' in waiting and "<html" not in waiting
    assert "0 of 6 rows" in waiting and not Customer.objects.exists()

    import_in_background.call(run.pk)  # what the task worker does
    done = staff_client.get(response.url).content.decode()
    assert "3 new, 0 updated, 0 skipped, 3 rejected" in done and "every 1s" not in done
    assert Customer.objects.count() == 3 and Import.objects.get().state == "done"
    import_in_background.call(run.pk)
    assert Customer.objects.count() == 3, "a finished import does not run again"


def test_a_queued_import_whose_file_is_gone_stops_and_says_why(staff_client):
    from kartei.transfer.tasks import import_in_background

    run = Import.objects.create(file_name="weg.csv", state="queued", upload="z" * 22, rows_total=10)
    import_in_background.call(run.pk)
    page = staff_client.get(f"/customers/import/{run.pk}/").content.decode()
    assert "Stopped, nothing changed" in page and "The file is no longer here." in page
    assert staff_client.get("/customers/import/999999/").status_code == 404


def test_a_column_kartei_has_no_field_for_is_kept_as_a_note_when_the_user_says_so(staff_client):
    sheet = "Kunde;Notiz;Quelle;Kundennummer\nKiosk am Markt;Zahlt bar;Messe;K-17\nOhne Quelle;;;\n"
    page = upload(staff_client, sheet.encode(), "k.csv").content.decode()
    token = token_of(page)
    kept = {"token": token, "columns": "1", "column-0": "name", "column-1": "note", "column-2": "kept",
            "column-3": "kept"}  # fmt: skip
    page = staff_client.post("/customers/import/", kept).content.decode()
    assert 'name="column-2" value="kept"' in page and 'class="table-warning"' not in page
    staff_client.post("/customers/import/run/", kept)
    note = Customer.objects.get(name="Kiosk am Markt").notes.get().text
    assert note == "Zahlt bar\nQuelle: Messe\nKundennummer: K-17"
    assert not Customer.objects.get(name="Ohne Quelle").notes.exists()


def test_a_heading_close_to_a_known_one_is_guessed_and_shown_to_be_checked(staff_client):
    page = upload(staff_client, b"Firma;Nachnahme;Telefonnr.\nKiosk am Markt;Lange;030 1234567\n", "k.csv")
    page = page.content.decode()
    assert "Kartei guessed 2 columns from headings close to ones it knows." in page
    assert page.count('<span class="badge text-bg-warning" id="column-') == 2
    assert "+49 30 1234567" in page, "the guessed phone column is read"
    assert 'id="column-0-guessed"' not in page, "Firma is known, not guessed"


def test_columns_saved_for_a_file_are_used_for_the_next_file_with_the_same_headings(staff_client, tmp_path):
    page = upload(staff_client, b"Kunde;Rufnummer;Quelle\nKiosk am Markt;030 1234567;Messe\n", "k.csv")
    token = token_of(page.content.decode())
    chosen = {"token": token, "columns": "1", "column-0": "name", "column-1": "phone", "remember": "1"}
    page = staff_client.post("/customers/import/", chosen).content.decode()
    assert "for files with these headings" in page and 'id="remember-columns" checked' in page

    # Next week's file: the same headings, written a little differently.
    page = upload(staff_client, b"KUNDE;rufnummer;Quelle\nBlumen Nowak;0171 2345678;Web\n", "next.csv")
    page = page.content.decode()
    assert "Columns as saved on" in page and "+49 171 2345678" in page
    path = tmp_path / "next.csv"
    path.write_bytes(b"Kunde;Rufnummer;Quelle\nBlumen Nowak;0171 2345678;Web\n")
    from django.core.management import call_command

    call_command("import", "customers", str(path))
    assert Customer.objects.get().phone == "+491712345678", "the command uses the saved columns too"

    page = upload(staff_client, b"Kunde;Rufnummer;Quelle;Notiz\nKiosk;030 1234567;Messe;x\n", "other.csv")
    assert "Columns as saved on" not in page.content.decode(), "other headings, other columns"


def test_a_large_file_is_checked_by_the_worker_in_the_users_language_while_the_page_shows_how_far(
    staff_client, monkeypatch
):
    from django_tasks_db.models import DBTaskResult

    from kartei.transfer import services
    from kartei.transfer.tasks import check_in_background

    monkeypatch.setattr(services, "BACKGROUND_BYTES", 100)
    staff_client.cookies["django_language"] = "de"
    response = upload(staff_client, GERMAN_SHEET.encode("cp1252"))
    assert response.status_code == 302 and response.url.endswith("/check/")
    checking = staff_client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in checking and "<html" not in checking and "0 von 6 Zeilen" in checking
    assert "Jede Zeile wird geprüft" in staff_client.get(response.url).content.decode()

    queued = DBTaskResult.objects.get(task_path=check_in_background.module_path).args_kwargs
    seen_while_checking = []

    def progress_shown(**kwargs):  # the page, asked while the worker checks
        kwargs["progress"](4)
        seen_while_checking.append(staff_client.get(response.url, headers={"HX-Request": "true"}).content.decode())
        return real_import(**kwargs)

    from kartei.transfer import tasks

    real_import = tasks.customers_import
    monkeypatch.setattr(tasks, "customers_import", progress_shown)
    check_in_background.call(*queued["args"], **queued["kwargs"])  # what the task worker does
    assert "4 von 6 Zeilen" in seen_while_checking[0], "the total counted on upload stays while the worker checks"
    assert staff_client.get(response.url, headers={"HX-Request": "true"})["HX-Redirect"] == response.url
    page = staff_client.get(response.url).content.decode()
    assert "Was der Import tun wird" in page and "Nichts sagt, wer dieser Kunde ist" in page
    assert not Customer.objects.exists(), "a check stores nothing"
    staff_client.post("/customers/import/run/", {"token": token_of(page)})
    assert Customer.objects.count() == 3


def test_a_large_file_the_worker_cannot_read_is_refused_with_the_reason(staff_client, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    from kartei.transfer import services
    from kartei.transfer.tasks import check_in_background

    monkeypatch.setattr(services, "BACKGROUND_BYTES", 10)
    response = upload(staff_client, b"Name;Email\n" + b'"never closed;a@b.example\n' * 3)
    queued = DBTaskResult.objects.get(task_path=check_in_background.module_path).args_kwargs
    with open(uploads_path(queued["args"][0]), "wb") as file:
        file.write(b"\x00\x01\x02 not a table any more")
    check_in_background.call(*queued["args"], **queued["kwargs"])
    page = staff_client.get(response.url)
    assert page.status_code == 422 and "This is not a CSV file" in page.content.decode()
    assert staff_client.get(response.url).status_code == 302, "the file is forgotten"


def uploads_path(token):
    from kartei.transfer import uploads

    return uploads.path_of(token)


def test_contacts_from_a_phone_are_checked_and_imported_like_a_sheet(staff_client):
    from tests.transfer.test_read_vcards import ANDROID

    page = upload(staff_client, ANDROID.encode(), "Kontakte.vcf").content.decode()
    assert "What the import will do" in page and "Jürgen Müller" in page
    staff_client.post("/customers/import/run/", {"token": token_of(page)})
    assert Customer.objects.filter(name="Jürgen Müller", phone="+49301234567").exists()


def workbook(sheets: dict[str, list[list[str]]]) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer) as book:
        for name, table in sheets.items():
            sheet = book.add_worksheet(name)
            for row, values in enumerate(table):
                sheet.write_row(row, 0, values)
    return buffer.getvalue()


TWO_SHEETS = {
    "Übersicht": [["Kunden 2026"], ["Stand: November"]],
    "Kunden": [["Firma", "E-Mail"], ["Kiosk am Markt", "kiosk@example.com"], ["Blumen Nowak", "blumen@example.pl"]],
}


def test_the_user_chooses_the_sheet_of_a_workbook_to_import(staff_client):
    page = upload(staff_client, workbook(TWO_SHEETS), "kunden.xlsx").content.decode()
    assert '<option value="" selected>Übersicht</option>' in page and "Kiosk am Markt" not in page
    token = token_of(page)
    page = staff_client.post("/customers/import/", {"token": token, "sheet": "Kunden", "columns": "1",
                                                    "column-0": "note"}).content.decode()  # fmt: skip
    assert '<option value="Kunden" selected>Kunden</option>' in page
    assert "Kiosk am Markt" in page, "the columns of the other sheet are read afresh"
    staff_client.post("/customers/import/run/", {"token": token, "columns": "1", "column-0": "name",
                                                 "column-1": "email"})  # fmt: skip
    assert sorted(Customer.objects.values_list("email", flat=True)) == ["blumen@example.pl", "kiosk@example.com"]

    page = upload(staff_client, workbook(TWO_SHEETS), "kunden.xlsx").content.decode()
    forged = staff_client.post("/customers/import/", {"token": token_of(page), "sheet": "Gibt es nicht"})
    assert forged.status_code == 422 and "The workbook has no sheet “Gibt es nicht”." in forged.content.decode()


def test_the_command_reads_the_sheet_it_is_told(tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "kunden.xlsx"
    path.write_bytes(workbook(TWO_SHEETS))
    call_command("import", "customers", str(path), "--sheet", "Kunden", stdout=io.StringIO())
    assert Customer.objects.count() == 2
    with pytest.raises(CommandError, match="no sheet “Preise”"):
        call_command("import", "customers", str(path), "--sheet", "Preise", stdout=io.StringIO())


def test_a_file_too_large_for_the_page_is_refused_before_it_is_read(live_server, staff, settings):
    """A 500 MB upload, streamed over a real connection: Kartei answers as soon as it sees the size, stores nothing
    and reads none of it."""
    import http.client
    from urllib.parse import urlsplit

    from django.test import Client

    make_customer(name="Stays")
    client = Client()
    client.force_login(staff)
    session = client.cookies["sessionid"].value
    size = 500 * 1024 * 1024
    connection = http.client.HTTPConnection(urlsplit(live_server.url).netloc, timeout=30)
    connection.putrequest("POST", "/customers/import/")
    connection.putheader("Cookie", f"sessionid={session}")
    connection.putheader("Content-Type", "multipart/form-data; boundary=xyz")
    connection.putheader("Content-Length", str(size))
    connection.endheaders()
    connection.send(b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="gross.csv"\r\n\r\n')
    connection.send(b"Name;E-Mail\r\n" + b"Kiosk;kiosk@example.com\r\n" * 40_000)  # the first megabyte
    response = connection.getresponse()
    page = response.read().decode()
    assert response.status == 413
    assert "This file is larger than 256.0\xa0MB, the most Kartei takes here." in page
    assert list(Customer.objects.values_list("name", flat=True)) == ["Stays"] and not Import.objects.exists()
    assert not list((settings.DATA_DIR / "imports").glob("*")), "nothing of it was stored"

    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(staff)
    assert upload(guarded, b"Name\nKiosk\n").status_code == 403, "a file of a fine size needs the CSRF token"
