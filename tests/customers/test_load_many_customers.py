"""A customer file filled in bulk (moving to Kartei, demo data) is ready at once: every index in place, search,
filters and sorting answering, the planner's statistics up to date, nothing to run by hand. A first load is all
or nothing."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kartei.customers import demo, services
from kartei.customers.models import Address, Customer, Note
from kartei.customers.queries import CustomerFilter, bounded_count, customer_page
from kartei.customers.search import search_index
from kartei.customers.services import bulk as bulk_services
from kartei.timeline.models import Event

pytestmark = pytest.mark.django_db


def rows(count: int, start: int = 0) -> list[dict]:
    return [
        {
            "customer": {"name": f"Kunde {start + i:03d} Łódź", "email": f"kunde{start + i}@example.de",
                         "status": "current" if i % 2 else "potential"},
            "addresses": [{"label": "", "street": "Piotrkowska 1", "postal_code": "90-001", "city": "Łódź",
                           "country": "PL", "is_default": True}],
            "tags": [],
        }
        for i in range(count)
    ]  # fmt: skip


def load(count: int, *, batch: int = 10, start: int = 0) -> None:
    with services.customers_bulk_session(adding=count):
        for first in range(0, count, batch):
            services.customers_bulk_insert(
                actor=None, rows=rows(min(batch, count - first), start + first), source="import"
            )


def indexes_and_keys() -> set[str]:
    """The indexes and constraints of the tables a load writes."""
    with connection.cursor() as cursor:
        return {
            (model._meta.db_table, name)
            for model in (Customer, Customer.tags.through, Address, Note, Event)
            for name in connection.introspection.get_constraints(cursor, model._meta.db_table)
        }


@pytest.fixture
def first_load_from(monkeypatch):
    monkeypatch.setattr(bulk_services, "FIRST_LOAD_MIN", 20)


def test_a_first_load_ends_with_every_index_and_answers_like_any_file(first_load_from):
    before = indexes_and_keys()
    with CaptureQueriesContext(connection) as queries:
        load(45)

    assert any(q["sql"].startswith("DROP INDEX") for q in queries), "a first load builds the indexes at the end"
    if connection.vendor == "postgresql":
        assert any(" DROP CONSTRAINT " in q["sql"] for q in queries), "and adds the foreign keys at the end"
    assert indexes_and_keys() == before
    assert Customer.objects.count() == 45
    assert Event.objects.filter(kind="customer.created").count() == 45
    assert bounded_count(CustomerFilter.from_params(q="łódź", status="current")) == (22, False)
    assert bounded_count(CustomerFilter.from_params(q="90-001")) == (45, False)
    names = [c.name for c in customer_page(CustomerFilter.from_params(sort="-name"), limit=3)[0]]
    assert names == ["Kunde 044 Łódź", "Kunde 043 Łódź", "Kunde 042 Łódź"]
    assert [c.name for c in customer_page(CustomerFilter.from_params(q="kunde7@example.de"), limit=3)[0]] == [
        "Kunde 007 Łódź"
    ]


def test_a_first_load_that_fails_leaves_the_file_as_it_was(first_load_from, monkeypatch):
    before = indexes_and_keys()
    write = services.customers_bulk_write
    calls = []

    def failing(**kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("the disk is full")
        return write(**kwargs)

    monkeypatch.setattr(bulk_services, "customers_bulk_write", failing)
    with pytest.raises(RuntimeError):
        load(45)

    assert not Customer.objects.exists()
    assert not Event.objects.exists()
    assert indexes_and_keys() == before
    load(3)
    assert bounded_count(CustomerFilter.from_params(q="łódź")) == (3, False)


def test_a_load_into_a_file_with_customers_keeps_the_indexes_and_commits_batch_by_batch(first_load_from):
    load(5, start=500)  # a tenth of what comes next is there already
    with CaptureQueriesContext(connection) as queries:
        load(30, start=600)

    assert not any(q["sql"].startswith("DROP INDEX") for q in queries)
    assert Customer.objects.count() == 35
    assert bounded_count(CustomerFilter.from_params(q="łódź")) == (35, False)


@pytest.mark.django_db(transaction=True)
def test_the_planner_has_statistics_right_after_a_load(first_load_from):
    load(25)

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(DISTINCT tablename) FROM pg_stats "
                "WHERE tablename IN ('customers_customer', 'customers_customer_search', 'customers_address')"
            )
            assert cursor.fetchone()[0] == 3
            # Every page marked all-visible: index-only scans (a sorted page's bound, counts) read no rows.
            cursor.execute(
                "SELECT relname FROM pg_class WHERE relname IN ('customers_customer', 'customers_customer_search') "
                "AND relpages > 0 AND relallvisible = relpages"
            )
            assert sorted(r[0] for r in cursor.fetchall()) == ["customers_customer", "customers_customer_search"]
        else:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            assert cursor.fetchone()[0] == 1


def test_the_demo_makes_many_customers_in_a_second_process_while_it_writes(monkeypatch, first_load_from):
    monkeypatch.setattr(demo, "IN_ANOTHER_PROCESS", 20)
    monkeypatch.setattr(demo, "BATCH", 25)
    out = io.StringIO()

    call_command("demo", "--customers", "60", "--no-login", stdout=out)

    assert "Added 60 demo customers" in out.getvalue()
    assert Customer.objects.count() == 60
    assert Event.objects.filter(kind="customer.created", actor_type="system").count() == 60
    active = Customer.objects.filter(is_active=True).count()
    assert bounded_count(CustomerFilter.from_params()) == (active, False)
    some = Customer.objects.exclude(email="").first()
    assert customer_page(CustomerFilter.from_params(q=some.email), limit=5)[0] == [some]
    assert search_index().check(connection) == 0, "each entry is the one the database itself makes"


def test_entries_written_by_a_bulk_load_are_those_the_database_makes_for_any_customer():
    """The bulk path brings the search entries of the customers it writes (on PostgreSQL, made where the rows
    are prepared): a check of the index against the customers finds nothing to mend, whatever the customer's
    state, status, temperature, tags, numbers and addresses."""
    tags = demo.demo_tags()
    varied = [row for batch in demo.demo_rows(300, tags=tags) for row in batch]
    varied[0]["customer"].update(is_active=False, temperature="not_interested")
    varied[1]["customer"].update(deleted_at=varied[1]["customer"]["created_at"])
    varied[2]["customer"].update(status="current", temperature="", phone="", email="", vat_id="")
    varied[2]["addresses"] = []
    varied[3]["tags"] = tags

    services.customers_bulk_insert(actor=None, rows=varied, source="import")

    assert Customer.objects.count() == 300
    assert search_index().check(connection) == 0
    assert bounded_count(CustomerFilter.from_params(active="no")) == (
        Customer.objects.filter(is_active=False, deleted_at=None).count(),
        False,
    )
