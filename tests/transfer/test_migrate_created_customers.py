"""Imports recorded before the customers they created were kept as runs of ids can still be undone once
migrated: the same customers are removed, and the customers they changed get their old values back."""

import io

import pytest
from django.core.management import call_command

from kartei.customers.models import Customer
from kartei.transfer.models import Import, ImportedCustomer
from tests.factories import make_customer
from tests.migrating import migrated_back_to

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("transfer", "0003_saved_columns")]


@pytest.fixture
def executor():
    with migrated_back_to(BEFORE) as executor:
        yield executor


def test_an_old_import_keeps_what_it_created_and_changed_and_can_be_undone(executor):
    old = executor.loader.project_state(BEFORE).apps
    OldImport, OldImported = old.get_model("transfer", "Import"), old.get_model("transfer", "ImportedCustomer")
    created = [make_customer(name=f"Neu {n}") for n in range(5)]
    make_customer(name="Von Hand")  # between two of the import's customers, never part of it
    created.append(make_customer(name="Neu 5"))
    changed = make_customer(name="Geändert GmbH", phone="+49301234567")
    run = OldImport.objects.create(file_name="kunden.csv", created=6, updated=1)
    for customer in created:
        OldImported.objects.create(import_run=run, customer_id=customer.pk, was_created=True)
    OldImported.objects.create(import_run=run, customer_id=changed.pk, was_created=False,
                               before={"phone": ""}, after={"phone": "+49301234567"})  # fmt: skip
    untouched = OldImport.objects.create(file_name="leer.csv")

    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    ids = [c.pk for c in created]
    assert Import.objects.get(pk=run.pk).created_ids == [[ids[0], ids[4]], [ids[5], ids[5]]]
    assert Import.objects.get(pk=untouched.pk).created_ids == []
    assert list(ImportedCustomer.objects.values_list("customer_id", "before")) == [(changed.pk, {"phone": ""})]
    call_command("import", "undo", str(run.pk), stdout=io.StringIO())
    assert list(Customer.objects.order_by("id").values_list("name", "phone")) == [
        ("Von Hand", ""),
        ("Geändert GmbH", ""),
    ]
