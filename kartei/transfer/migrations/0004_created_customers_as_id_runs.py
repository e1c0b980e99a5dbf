from django.db import migrations, models


def created_as_runs(apps, schema_editor):
    """The customers each import created, once a row each, kept as runs of ids on the import."""
    Import = apps.get_model("transfer", "Import")
    ImportedCustomer = apps.get_model("transfer", "ImportedCustomer")
    for run in Import.objects.filter(customers__was_created=True).distinct().iterator():
        runs = []
        created = ImportedCustomer.objects.filter(import_run=run, was_created=True)
        for pk in created.order_by("customer_id").values_list("customer_id", flat=True).iterator():
            if runs and runs[-1][1] == pk - 1:
                runs[-1][1] = pk
            else:
                runs.append([pk, pk])
        run.created_ids = runs
        run.save(update_fields=["created_ids"])
        created.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("transfer", "0003_saved_columns"),
    ]

    operations = [
        migrations.AddField(
            model_name="import",
            name="created_ids",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(created_as_runs, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="importedcustomer",
            name="was_created",
        ),
    ]
