"""The events' customer and actor lose their own single-column indexes (the composite indexes that lead with them
serve the foreign keys), dropped by name as the database reports them: no table rebuild on SQLite."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

COLUMNS = (["customer_id"], ["actor_id"])


def _plain_indexes(schema_editor, model) -> list[str]:
    with schema_editor.connection.cursor() as cursor:
        found = schema_editor.connection.introspection.get_constraints(cursor, model._meta.db_table)
    return [name for name, c in found.items()
            if c["index"] and not c["unique"] and not c["primary_key"] and c["columns"] in COLUMNS]  # fmt: skip


def drop(apps, schema_editor):
    event = apps.get_model("timeline", "Event")
    for name in _plain_indexes(schema_editor, event):
        schema_editor.execute(schema_editor._delete_index_sql(event, name))


def create(apps, schema_editor):
    event = apps.get_model("timeline", "Event")
    for column in ("customer", "actor"):
        field = event._meta.get_field(column)
        schema_editor.execute(schema_editor._create_index_sql(event, fields=[field]))


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0009_note_high_priority"),
        ("timeline", "0009_activity_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="event",
                    name="customer",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="customers.customer",
                    ),  # fmt: skip
                ),
                migrations.AlterField(
                    model_name="event",
                    name="actor",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        to=settings.AUTH_USER_MODEL,
                    ),  # fmt: skip
                ),
            ],
            database_operations=[migrations.RunPython(drop, create)],
        )
    ]
