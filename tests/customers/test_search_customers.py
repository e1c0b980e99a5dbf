"""Staff type into the search box and find the customer: by any word of the name, email, phone or VAT ID,
however it is spelled or formatted; the same on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kartei.customers import services
from kartei.customers.models import Customer
from kartei.customers.queries import CustomerFilter, bounded_count, customer_page, customers_matching
from kartei.customers.search.folding import fold
from tests.factories import make_customer, make_customers_in_bulk

pytestmark = pytest.mark.django_db


def found(q: str, **params) -> set[str]:
    """The names of the customers a search lists."""
    return set(customers_matching(CustomerFilter.from_params(q=q, **params)).values_list("name", flat=True))


def test_it_finds_a_customer_by_the_beginning_of_any_word_of_the_name():
    make_customer(name="Bäckerei Müller GmbH")
    make_customer(name="Autohaus Schmidt")
    for q in ("b", "Bä", "bäck", "Bäckerei", "m", "Mül", "müller", "g", "GmbH"):
        assert found(q) == {"Bäckerei Müller GmbH"}, q


def test_it_does_not_find_a_customer_by_the_middle_of_a_word():
    make_customer(name="Bäckerei Müller GmbH")
    assert found("äckerei") == set()
    assert found("ller") == set()


def test_it_finds_a_customer_by_the_contact_person():
    make_customer(name="Autohaus Schmidt", contact_person="Jörg Weiß")
    assert found("jörg") == {"Autohaus Schmidt"}
    assert found("weiss") == {"Autohaus Schmidt"}


def test_it_finds_a_customer_by_email_address_or_a_part_of_it():
    make_customer(name="Bäckerei Müller", email="Info@Mueller-Backwaren.de")
    make_customer(name="Other", email="kontakt@example.com")
    for q in ("info@mueller-backwaren.de", "INFO@MUELLER-BACKWAREN.DE", "info@", "info", "mueller-back", "backwaren"):
        assert found(q) == {"Bäckerei Müller"}, q


@pytest.mark.parametrize(
    "q", ["0171 2345", "+49 171 2345", "01712345", "+491712345678", "0171/2345678", "0171-234 56 78", "0049 171 2345"]
)
def test_it_finds_a_customer_by_phone_however_the_number_is_formatted(q):
    make_customer(name="Bäckerei Müller", phone="+49 171 2345678")
    make_customer(name="Other", phone="+49 30 12345678")
    assert found(q) == {"Bäckerei Müller"}


@pytest.mark.parametrize(
    "q",
    [
        "０１７１ ２３４５",  # full-width, from a Japanese or Chinese input method
        "٠١٧١ ٢٣٤٥",  # Arabic-Indic
        "۰۱۷۱ ۲۳۴۵",  # Persian
        "०१७१ २३४५",  # Devanagari
        "+٤٩ ١٧١ ٢٣٤٥٦٧٨",
    ],
)
def test_it_reads_digits_of_any_script_as_digits(q, staff_client, api):
    make_customer(name="Bäckerei Müller", phone="+49 171 2345678")
    make_customer(name="Other", phone="+49 30 12345678")

    assert found(q) == {"Bäckerei Müller"}
    page = staff_client.get("/customers/", {"q": q, "view": "table"})
    assert page.status_code == 200 and "Bäckerei Müller" in page.content.decode()
    assert "Other" not in page.content.decode()
    partial = staff_client.get("/customers/", {"q": q}, headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "Bäckerei Müller" in partial.content.decode()
    assert staff_client.get("/customers/count/", {"q": q}).status_code == 200
    answer = api.get("/customers", q=q)
    assert answer.status_code == 200 and [c["name"] for c in answer.json()["items"]] == ["Bäckerei Müller"]


def test_it_finds_a_customer_by_phone_written_with_the_trunk_zero_in_brackets():
    # Germans often write "+49 (0)171 2345678": the (0) is the trunk prefix, not part of the number.
    make_customer(name="Bäckerei Müller", phone="+49 171 2345678")
    assert found("+49 (0)171 2345") == {"Bäckerei Müller"}


def test_it_finds_a_polish_customer_by_the_national_number():
    make_customer(name="Piekarnia Nowak", phone="+48 501 234 567")
    assert found("501 234 5") == {"Piekarnia Nowak"}
    assert found("+48 501") == {"Piekarnia Nowak"}


@pytest.mark.parametrize("q", ["DE136695976", "de136695976", "DE1366", "136695976", "1366"])
def test_it_finds_a_customer_by_vat_id(q):
    make_customer(name="Bäckerei Müller", vat_id="DE136695976")
    make_customer(name="Other")
    assert found(q) == {"Bäckerei Müller"}


def test_it_finds_a_customer_by_vat_id_typed_with_spaces_as_printed_on_an_invoice():
    make_customer(name="Bäckerei Müller", vat_id="DE136695976")
    assert found("DE 136 695 976") == {"Bäckerei Müller"}


@pytest.mark.parametrize("q", ["1234563218", "123-456-32-18", "123 456 32 18", "1234"])
def test_it_finds_a_polish_customer_by_nip_however_it_is_written(q):
    make_customer(name="Piekarnia Nowak", vat_id="1234563218", addresses=[{"city": "Łódź", "country": "PL"}])
    make_customer(name="Other")
    assert found(q) == {"Piekarnia Nowak"}


def test_it_finds_a_polish_customer_stored_with_a_bare_nip_by_the_eu_vat_id():
    # Invoices print the EU form "PL1234563218"; the customer was entered with the bare NIP.
    make_customer(name="Piekarnia Nowak", vat_id="1234563218", addresses=[{"city": "Łódź", "country": "PL"}])
    assert found("PL1234563218") == {"Piekarnia Nowak"}


def test_it_finds_a_name_that_begins_with_digits():
    make_customer(name="007 Sicherheitsdienst")
    make_customer(name="7 Zwerge Kita")
    assert found("007") == {"007 Sicherheitsdienst"}


@pytest.mark.parametrize(
    "name, q",
    [
        ("Müller", "Muller"),
        ("Müller", "Mueller"),
        ("Müller", "MÜLLER"),
        ("Łódź Sp. z o.o.", "Lodz"),
        ("Łódź Sp. z o.o.", "łódź"),
        ("Kiosk an der Straße", "strasse"),
        ("Hauptstraße Apotheke", "HAUPTSTRASSE"),
        ("Crème Brûlée Café", "creme brulee cafe"),
        ("Zakład Śląski", "slaski"),
        ("Søren Ærø", "soren aero"),
    ],
)
def test_it_ignores_accents_and_special_letters(name, q):
    make_customer(name=name)
    make_customer(name="Somebody Else")
    assert found(q) == {name}


def test_it_folds_text_the_way_search_compares_it():
    # Also used to build e-mail addresses for demo data.
    assert fold("Łódź Straße Müller Ærø Crème") == "lodz strasse muller aero creme"


def test_it_finds_only_customers_that_match_every_word():
    make_customer(name="Bäckerei Müller GmbH")
    make_customer(name="Müller Transporte AG")
    make_customer(name="Bäckerei Schmidt")
    assert found("müller") == {"Bäckerei Müller GmbH", "Müller Transporte AG"}
    assert found("müller bäck") == {"Bäckerei Müller GmbH"}
    assert found("bäck müller") == {"Bäckerei Müller GmbH"}
    assert found("müller ag") == {"Müller Transporte AG"}
    assert found("schmidt müller") == set()


def test_it_finds_nothing_for_a_word_no_customer_has():
    make_customer(name="Bäckerei Müller GmbH", email="info@mueller.de", phone="+49 171 2345678")
    assert found("xylophon") == set()
    assert found("müller xylophon") == set()
    assert found("0999 888") == set()


HOSTILE = [
    '"',
    '"müller',
    "*",
    "mü*",
    "AND",
    "müller AND",
    "OR NOT",
    "NEAR(",
    "NEAR(müller bäck, 2)",
    "'",
    "O'Brien",
    "'; DROP TABLE customers_customer;--",
    ";--",
    "name:müller",
    "^müller",
    "müller -bäck",
    "(müller",
    "a & b | !c",
    "müller:*",
    "\\",
    "%_%",
    "x" * 10_000,
    "Müller " * 2_000,
    "🍞🥐 Bäckerei 🎉",
    "😀",
    "\x00",
    "Mül\x00ler",
    "\u200b\u200d",
    "   ",
    "+",
    "+++",
    "00",
    "0" * 500,
]


@pytest.mark.parametrize("q", HOSTILE)
def test_it_answers_any_query_normally(q):
    make_customer(name="Bäckerei Müller GmbH", email="info@mueller.de", phone="+49 171 2345678")
    make_customer(name="Andreas O'Brien")
    f = CustomerFilter.from_params(q=q)
    names = {c.name for c in customers_matching(f)}
    rows, _cursor = customer_page(f, limit=5)
    count, _more = bounded_count(f)
    assert names <= {"Bäckerei Müller GmbH", "Andreas O'Brien"}
    assert {c.name for c in rows} == names
    assert count == len(names)


def test_it_finds_the_customer_behind_the_punctuation_of_a_query():
    make_customer(name="Bäckerei Müller GmbH")
    make_customer(name="Andreas O'Brien")
    assert found('"müller"') == {"Bäckerei Müller GmbH"}
    assert found("mü*") == {"Bäckerei Müller GmbH"}
    assert found("O'Brien") == {"Andreas O'Brien"}
    assert found("🍞 Bäckerei 🎉") == {"Bäckerei Müller GmbH"}


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(max_size=80))
def test_it_answers_any_typed_text_without_an_error(q):
    with transaction.atomic():
        make_customer(name="Bäckerei Müller GmbH", phone="+49 171 2345678", vat_id="DE136695976")
        names = found(q)
        assert names <= {"Bäckerei Müller GmbH"}
        transaction.set_rollback(True)


LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZäöüÄÖÜßéèêçñåøæłŁąęśŚćźżŻńóÓ"
name_words = st.lists(st.text(alphabet=LETTERS, min_size=1, max_size=10), min_size=1, max_size=4)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=name_words, separator=st.sampled_from([" ", " & ", ", ", " - ", "-", ". "]))
def test_it_finds_any_customer_by_any_prefix_of_any_word_of_its_name(words, separator):
    name = separator.join(words)
    with transaction.atomic():
        customer = make_customer(name=name)
        make_customer(name="Zzyzx Unrelated")
        for word in words:
            for end in range(1, len(word) + 1):
                ids = customers_matching(CustomerFilter.from_params(q=word[:end])).values_list("id", flat=True)
                assert customer.pk in set(ids), (name, word[:end])
        transaction.set_rollback(True)


def test_it_finds_a_customer_by_the_new_name_and_no_longer_by_the_old_one(staff):
    customer = make_customer(name="Bäckerei Müller")
    services.customer_update(customer=customer, actor=staff, data={"name": "Konditorei Schulz"})
    assert found("müller") == set()
    assert found("bäckerei") == set()
    assert found("konditorei schulz") == {"Konditorei Schulz"}


def test_it_finds_a_customer_by_a_changed_email_phone_and_vat_id(staff):
    customer = make_customer(name="Bäckerei Müller", email="old@example.com", phone="+49 171 2345678")
    services.customer_update(
        customer=customer,
        actor=staff,
        data={"email": "neu@beispiel.de", "phone": "+49 30 12345678", "vat_id": "DE136695976"},
    )
    assert found("old@example.com") == set()
    assert found("0171 2345") == set()
    assert found("neu@beispiel.de") == {"Bäckerei Müller"}
    assert found("030 1234") == {"Bäckerei Müller"}
    assert found("DE136695976") == {"Bäckerei Müller"}


def test_it_keeps_finding_a_customer_after_changes_that_do_not_touch_searched_fields(staff):
    customer = make_customer(name="Bäckerei Müller")
    services.customer_update(customer=customer, actor=staff, data={"status": "current", "tags": ["VIP"]})
    services.customer_set_active(customer=customer, actor=staff, active=False)
    services.customer_set_active(customer=customer, actor=staff, active=True)
    assert found("müller") == {"Bäckerei Müller"}


def test_it_no_longer_lists_a_customer_moved_to_the_trash_and_lists_it_again_once_restored(staff):
    customer = make_customer(name="Bäckerei Müller")
    services.customer_delete(customer=customer, actor=staff)
    assert found("müller") == set()
    assert found("müller", active="false") == set()
    services.customer_restore(customer=customer, actor=staff)
    assert found("müller") == {"Bäckerei Müller"}


def test_it_no_longer_finds_a_customer_purged_from_the_trash(staff):
    customer = make_customer(name="Bäckerei Müller")
    make_customer(name="Müller Transporte")
    services.customer_delete(customer=customer, actor=staff)
    services.trash_purge(now=timezone.now() + timedelta(days=31))
    assert found("müller") == {"Müller Transporte"}


def test_it_finds_customers_that_were_inserted_in_bulk(staff):
    make_customers_in_bulk(
        [
            {"name": "Łódź Piekarnia Sp. z o.o.", "email": "biuro@piekarnia.pl", "phone": "+48501234567"},
            {"name": "Müller Backwaren", "vat_id": "DE136695976", "contact_person": "Jörg Weiß"},
        ],
        actor=staff,
    )
    assert found("lodz") == {"Łódź Piekarnia Sp. z o.o."}
    assert found("biuro@piekarnia") == {"Łódź Piekarnia Sp. z o.o."}
    assert found("501 234") == {"Łódź Piekarnia Sp. z o.o."}
    assert found("mueller") == {"Müller Backwaren"}
    assert found("weiss") == {"Müller Backwaren"}
    assert found("DE1366") == {"Müller Backwaren"}


def test_it_finds_a_bulk_inserted_customer_by_its_new_name_once_edited(staff):
    [customer] = make_customers_in_bulk([{"name": "Alte Mühle"}], actor=staff)
    services.customer_update(customer=customer, actor=staff, data={"name": "Neue Mühle"})
    assert found("alte") == set()
    assert found("neue mühle") == {"Neue Mühle"}


@pytest.mark.django_db(transaction=True)
def test_it_counts_nobody_once_the_customer_file_is_emptied_at_once(staff):
    """`kartei flush` or a restore script empties the tables with TRUNCATE on PostgreSQL."""
    make_customers_in_bulk([{"name": "Müller Backwaren", "status": "current", "tags": ["VIP"]}], actor=staff)
    call_command("flush", interactive=False, verbosity=0)
    assert bounded_count(CustomerFilter.from_params(status="current")) == (0, False)
    assert bounded_count(CustomerFilter.from_params(q="muller")) == (0, False)
    make_customer(name="Neue Mühle", status="current")
    assert bounded_count(CustomerFilter.from_params(status="current")) == (1, False)


@pytest.mark.django_db(transaction=True)
def test_it_forgets_the_tags_in_the_search_index_once_all_tag_links_are_emptied_at_once(staff):
    customer = make_customer(name="Müller Backwaren", tags=["VIP"])
    tag_filter = CustomerFilter.from_params(tags=["VIP"])
    assert bounded_count(tag_filter) == (1, False)
    with connection.cursor() as cursor:
        table = Customer.tags.through._meta.db_table
        cursor.execute(f"TRUNCATE {table}" if connection.vendor == "postgresql" else f"DELETE FROM {table}")
    assert bounded_count(tag_filter) == (0, False)
    assert found("muller") == {customer.name}


def test_it_finds_a_customer_by_every_beginning_of_the_phone_number_and_vat_id():
    make_customer(name="Bäckerei Müller", phone="+49 171 2345678", vat_id="DE136695976")
    make_customer(name="Kiosk Nowak", phone="+49 171 9999999")
    for number in ("01712345678", "491712345678", "DE136695976"):
        for end in range(4, len(number) + 1):
            assert "Bäckerei Müller" in found(number[:end]), number[:end]
    assert found("01712345") == {"Bäckerei Müller"}
    assert found("017123456789") == set()
