"""Customers out to CSV and Excel: every field, the list as shown or everyone, files Excel reads correctly."""

import csv
import io
import re

import pytest
from django.core.management import CommandError, call_command
from python_calamine import CalamineWorkbook

from kartei.customers import services
from tests.factories import make_customer

pytestmark = pytest.mark.django_db


def exported(client, query: str = "all=1&format=csv", **headers) -> list[dict]:
    response = client.get(f"/customers/export/?{query}", headers=headers)
    assert response.status_code == 200, response.content
    assert response.streaming, "a CSV is sent while it is read, not built in memory first"
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode()), "a byte order mark, so Excel reads UTF-8"
    delimiter = ";" if "csv-excel" in query else ","
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=delimiter))


@pytest.fixture
def file_of_customers():
    bakery = make_customer(
        name="Bäckerei Müller GmbH",
        contact_person="Jürgen Müller",
        email="info@mueller.example.com",
        phone="030 1234567",
        vat_id="DE136695976",
        status="current",
        temperature="hot",
        discount_percent="12.50",
        preferred_currency="EUR",
        preferred_language="de",
        marketing_consent=True,
        tags=["VIP", "Bäcker"],
        addresses=[
            {"label": "Laden", "street": "Hauptstraße 1", "postal_code": "10115", "city": "Berlin", "country": "DE"},
            {"label": "Lager", "street": "Lagerweg 7", "city": "Potsdam", "country": "DE", "is_default": True},
        ],
    )
    paused = make_customer(name="Pause KG", kind="person")
    services.customer_set_active(customer=paused, actor=None, active=False)
    trashed = make_customer(name="Gelöscht AG")
    services.customer_delete(customer=trashed, actor=None)
    return bakery


def test_it_exports_every_field_of_every_customer_not_in_the_trash(staff_client, file_of_customers):
    rows = exported(staff_client)
    assert [r["Name"] for r in rows] == ["Bäckerei Müller GmbH", "Pause KG"]
    bakery = rows[0]
    assert bakery["ID"] == str(file_of_customers.pk)
    assert (bakery["Kind"], bakery["Contact person"], bakery["Email"]) == (
        "Company",
        "Jürgen Müller",
        "info@mueller.example.com",
    )
    assert bakery["Phone"] == "'+49301234567", "a leading + would make a spreadsheet read a formula"
    assert (bakery["VAT ID"], bakery["Status"], bakery["Temperature"]) == ("DE136695976", "Current", "Hot")
    assert (bakery["Discount %"], bakery["Currency"], bakery["Language"]) == ("12.5", "EUR", "German")
    assert bakery["Tags"] == "Bäcker, VIP"
    assert (bakery["Marketing emails"], bakery["System notifications"], bakery["Active"]) == ("yes", "yes", "yes")
    assert bakery["Marketing emails since"] and bakery["Joined"][:4] == "2026"
    assert (bakery["Address label"], bakery["Street and number"], bakery["City"]) == ("Lager", "Lagerweg 7", "Potsdam")
    assert (bakery["Address label 2"], bakery["Postal code 2"], bakery["Country 2"]) == ("Laden", "10115", "DE")
    assert rows[1]["Active"] == "no" and rows[1]["Kind"] == "Person" and rows[1]["Street and number 2"] == ""


def test_it_exports_the_list_as_it_is_filtered(staff_client, file_of_customers):
    make_customer(name="Müller Lead", status="potential")
    assert [r["Name"] for r in exported(staff_client, "q=müller&status=current&format=csv")] == ["Bäckerei Müller GmbH"]
    assert [r["Name"] for r in exported(staff_client, "q=müller&format=csv")] == ["Bäckerei Müller GmbH", "Müller Lead"]
    assert [r["Name"] for r in exported(staff_client, "active=false&format=csv")] == ["Pause KG"]
    assert exported(staff_client, "q=nobody-has-this&format=csv") == []
    assert exported(staff_client, "tag=VIP&format=csv")[0]["Name"] == "Bäckerei Müller GmbH"


@pytest.mark.parametrize(
    "language, name, status, yes",
    [("de", "E-Mail", "Aktuell", "ja"), ("pl", "E-mail", "Obecny", "tak")],
)
def test_it_speaks_the_users_language_and_writes_what_a_german_or_polish_excel_reads(
    staff_client, file_of_customers, language, name, status, yes
):
    staff_client.cookies["django_language"] = language
    rows = exported(staff_client, "all=1&format=csv-excel")
    assert rows[0][name] == "info@mueller.example.com"
    assert "12,5" in rows[0].values() and status in rows[0].values() and yes in rows[0].values()


@pytest.mark.parametrize("hostile", ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)"])
def test_no_cell_runs_as_a_formula(staff_client, hostile):
    make_customer(name=f"{hostile} GmbH", contact_person=hostile)
    row = exported(staff_client)[0]
    assert row["Name"] == f"'{hostile} GmbH" and row["Contact person"] == f"'{hostile}"
    book = CalamineWorkbook.from_filelike(io.BytesIO(xlsx(staff_client)))
    assert book.get_sheet_by_index(0).to_python()[1][1] == f"{hostile} GmbH", "an Excel cell holds text as text"


def xlsx(client, query: str = "all=1&format=xlsx", name: str = "customers") -> bytes:
    response = client.get(f"/customers/export/?{query}")
    assert response.status_code == 200
    assert re.fullmatch(rf'attachment; filename="{name}-\d{{4}}-\d\d-\d\d.xlsx"', response["Content-Disposition"])
    return b"".join(response.streaming_content)


def test_it_exports_an_excel_workbook_with_numbers_and_dates_as_excel_keeps_them(staff_client, file_of_customers):
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(xlsx(staff_client))).get_sheet_by_index(0).to_python()
    header, bakery = sheet[0], dict(zip(sheet[0], sheet[1], strict=True))
    assert header[:3] == ["ID", "Name", "Kind"] and len(sheet) == 3
    assert bakery["ID"] == file_of_customers.pk and bakery["Discount %"] == 12.5
    assert bakery["Phone"] == "+49301234567", "no quote needed where a cell is text by its type"
    assert bakery["Joined"].year == 2026
    staff_client.cookies["django_language"] = "pl"
    assert CalamineWorkbook.from_filelike(io.BytesIO(xlsx(staff_client, name="klienci"))).sheet_names == ["Klienci"]


def test_an_unknown_format_is_refused_and_a_hostile_filter_is_ignored(staff_client, file_of_customers, client):
    response = staff_client.get("/customers/export/?format=pdf")
    assert response.status_code == 400 and "CSV or Excel" in response.content.decode()
    rows = exported(staff_client, "q=" + "x" * 10_000 + "&status=boss&temperature=lava&tag=&sort=;drop&format=csv")
    assert rows == []
    assert client.get("/customers/export/?all=1").status_code == 302, "a login first"


def test_the_command_exports_everyone_and_says_how_many(file_of_customers, tmp_path):
    out = io.StringIO()
    call_command("export", "customers", "--format", "csv", "-o", str(tmp_path / "c.csv"), stdout=out)
    assert out.getvalue().strip() == f"Exported 2 customers to {tmp_path / 'c.csv'}."
    rows = list(csv.DictReader((tmp_path / "c.csv").open(encoding="utf-8-sig", newline="")))
    assert [r["Name"] for r in rows] == ["Bäckerei Müller GmbH", "Pause KG"]
    call_command(
        "export", "customers", "--format", "xlsx", "-o", str(tmp_path / "c.xlsx"), "--language", "de", stdout=out
    )
    sheet = CalamineWorkbook.from_path(str(tmp_path / "c.xlsx")).get_sheet_by_index(0).to_python()
    assert sheet[0][1] == "Name" and "E-Mail" in sheet[0] and len(sheet) == 3
    call_command("export", "customers", "--excel-comma", "-o", str(tmp_path / "de.csv"), stdout=out)
    assert "12,5" in (tmp_path / "de.csv").read_text(encoding="utf-8-sig")
    with pytest.raises(CommandError, match="Cannot write"):
        call_command("export", "customers", "-o", str(tmp_path / "missing" / "c.csv"), stdout=out)
