"""A later Kartei version changes the customer table with an ordinary migration (Django rebuilds the table to
alter a column on SQLite): the migration runs, and search finds customers as before, edits included. The
search index is put in place again around every `migrate` and can be checked and mended on demand."""

import io
import shutil
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from kartei.customers import services
from kartei.customers.queries import CustomerFilter, bounded_count, customer_page, customers_matching
from kartei.customers.search import search_index
from tests.factories import make_customer

pytestmark = pytest.mark.django_db(transaction=True)

LATEST = max(p.stem for p in Path("kartei/customers/migrations").glob("[0-9][0-9][0-9][0-9]_*.py"))
# A migration as a later version would ship one: widen a column of the customer table.
WIDEN_CONTACT_PERSON = f'''
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("customers", "{LATEST}")]

    operations = [
        migrations.AlterField(
            model_name="customer",
            name="contact_person",
            field=models.CharField(blank=True, max_length=300, verbose_name="contact person"),
        ),
    ]
'''


def found(q: str, **params) -> set[str]:
    """Whom a search finds (the words through the index, the filters checked on the rows)."""
    return set(customers_matching(CustomerFilter.from_params(q=q, **params)).values_list("name", flat=True))


def listed(**params) -> list[str]:
    """Whom the customers page lists (words and filters through the index)."""
    return [c.name for c in customer_page(CustomerFilter.from_params(**params), limit=10)[0]]


@pytest.fixture
def later_migrations(tmp_path, settings):
    """The customers app's migrations plus one that alters the customer table, as a migrations package."""
    package = tmp_path / "later_kartei" / "customer_migrations"
    shutil.copytree("kartei/customers/migrations", package, ignore=shutil.ignore_patterns("__pycache__"))
    (package.parent / "__init__.py").write_text("")
    (package / "0099_widen_contact_person.py").write_text(WIDEN_CONTACT_PERSON)
    sys.path.insert(0, str(tmp_path))
    settings.MIGRATION_MODULES = {"customers": "later_kartei.customer_migrations"}
    yield
    call_command("migrate", "customers", LATEST, verbosity=0)  # back to the schema the other tests expect
    sys.path.remove(str(tmp_path))
    for name in [m for m in sys.modules if m.startswith("later_kartei")]:
        del sys.modules[name]


def contact_person_length() -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'customers_customer'")
            declared = cursor.fetchone()[0]
            return next(n for n in (200, 300) if f'"contact_person" varchar({n})' in declared)
        cursor.execute(
            "SELECT character_maximum_length FROM information_schema.columns "
            "WHERE table_name = 'customers_customer' AND column_name = 'contact_person'"
        )
        return cursor.fetchone()[0]


def test_a_migration_that_alters_the_customer_table_runs_and_search_keeps_working(later_migrations, staff):
    before = make_customer(name="Bäckerei Müller", status="current", tags=["VIP"])
    make_customer(name="Konditorei Schulz")

    call_command("migrate", "customers", verbosity=0)

    assert contact_person_length() == 300
    assert found("müller") == {"Bäckerei Müller"}
    assert found("", status="current", tags=["VIP"]) == {"Bäckerei Müller"}
    services.customer_update(customer=before, actor=staff, data={"name": "Feinkost Nowak"})
    assert found("müller") == set()
    assert found("feinkost") == {"Feinkost Nowak"}
    services.customer_update(customer=before, actor=staff, data={"tags": []})
    assert found("", tags=["VIP"]) == set()
    make_customer(name="Neue Mühle")
    assert found("mühle") == {"Neue Mühle"}
    assert bounded_count(CustomerFilter.from_params(q="m")) == (1, False)  # Neue Mühle


def test_migrating_back_and_forth_keeps_search_in_sync(later_migrations):
    make_customer(name="Bäckerei Müller")
    call_command("migrate", "customers", verbosity=0)
    call_command("migrate", "customers", LATEST, verbosity=0)
    make_customer(name="Konditorei Müller")

    assert contact_person_length() == 200
    assert found("müller") == {"Bäckerei Müller", "Konditorei Müller"}


def test_migrate_puts_back_a_search_index_that_lost_its_triggers():
    make_customer(name="Bäckerei Müller")
    with connection.cursor() as cursor:
        search_index().remove_sync(cursor)
    make_customer(name="Konditorei Müller")  # written while search could not see it
    assert found("konditorei") == set()

    call_command("migrate", verbosity=0)

    assert found("müller") == {"Bäckerei Müller", "Konditorei Müller"}
    make_customer(name="Feinkost Müller")
    assert found("müller") == {"Bäckerei Müller", "Konditorei Müller", "Feinkost Müller"}


def test_rebuild_search_mends_an_index_that_missed_changes_and_says_so():
    """A dump restored without its triggers, say: customers that search does not see, or sees wrongly."""
    kept = make_customer(name="Bäckerei Müller", status="potential")
    with connection.cursor() as cursor:
        search_index().remove_sync(cursor)
    missed = make_customer(name="Konditorei Schulz")
    kept.status = "current"
    kept.save(update_fields=["status"])  # search still lists it as potential
    assert found("konditorei") == set()
    assert listed(q="müller", status="current") == []

    out = io.StringIO()
    call_command("rebuild_search", stdout=out)

    assert "Mended the search index" in out.getvalue()
    assert found("konditorei") == {missed.name}
    assert listed(q="müller", status="current") == [kept.name]
    assert listed(q="müller", status="potential") == []
    later = make_customer(name="Feinkost Schulz")  # the triggers are back
    assert found("schulz") == {missed.name, later.name}


def test_rebuild_search_leaves_a_sound_index_alone_and_shows_its_progress():
    for number in range(12):
        make_customer(name=f"Kunde {number}")
    out = io.StringIO()

    call_command("rebuild_search", stdout=out)

    lines = out.getvalue().splitlines()
    assert "The search index matches the customers." in lines
    assert "Updated 0 customers." in lines
    progress = [line for line in lines if line.startswith("Checking the search index [")]
    assert progress and progress[-1].endswith("100%  12 / 12")
