"""Sort by folded name and city ("Łódź" with "Lodz", not after "Z": SQLite's lower() knows ASCII only), and
index only the trash by its deletion time, so that no list of current customers is planned through it."""

import unicodedata

from django.db import migrations, models

# How search folded text when this migration was written (a frozen copy: migrations do not import the app).
_SPECIAL = str.maketrans({"ł": "l", "ß": "ss", "æ": "ae", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "œ": "oe", "ı": "i"})


def fold(text: str) -> str:
    text = text.lower().translate(_SPECIAL)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


BATCH = 20_000


def fill_sort_keys(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            connection.connection.create_function("kartei_fold", 1, lambda text: fold(text or ""), deterministic=True)
            cursor.execute(
                "UPDATE customers_customer SET sort_name = substr(kartei_fold(name), 1, 200),"
                " sort_city = substr(kartei_fold(city), 1, 100)"
            )
            return
        last = 0
        while True:
            cursor.execute(
                "SELECT id, name, city FROM customers_customer WHERE id > %s ORDER BY id LIMIT %s", [last, BATCH]
            )
            rows = cursor.fetchall()
            if not rows:
                return
            cursor.execute(
                "UPDATE customers_customer c SET sort_name = v.sort_name, sort_city = v.sort_city"
                " FROM (SELECT unnest(%s::bigint[]) AS id, unnest(%s::text[]) AS sort_name,"
                " unnest(%s::text[]) AS sort_city) v WHERE c.id = v.id",
                [[r[0] for r in rows], [fold(r[1])[:200] for r in rows], [fold(r[2])[:100] for r in rows]],
            )
            last = rows[-1][0]


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0003_list_index"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="customer", name="customer_name_sort"),
        migrations.RemoveIndex(model_name="customer", name="customer_city_sort"),
        migrations.RemoveIndex(model_name="customer", name="customer_trash"),
        # Added with plain SQL: Django would rebuild the table on SQLite to add a NOT NULL column, which drops
        # the triggers that keep the search index in sync (migration 0003).
        *(
            migrations.SeparateDatabaseAndState(
                database_operations=[
                    migrations.RunSQL(
                        f"ALTER TABLE customers_customer ADD COLUMN {name} varchar({length}) NOT NULL DEFAULT ''",
                        f"ALTER TABLE customers_customer DROP COLUMN {name}",
                    )
                ],
                state_operations=[
                    migrations.AddField(
                        model_name="customer",
                        name=name,
                        field=models.CharField(blank=True, editable=False, max_length=length),
                    )
                ],
            )
            for name, length in (("sort_name", 200), ("sort_city", 100))
        ),
        migrations.RunPython(fill_sort_keys, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="customer",
            index=models.Index(models.F("sort_name"), models.F("id"), name="customer_name_sort"),
        ),
        migrations.AddIndex(
            model_name="customer",
            index=models.Index(models.F("sort_city"), models.F("id"), name="customer_city_sort"),
        ),
        migrations.AddIndex(
            model_name="customer",
            index=models.Index(
                models.OrderBy(models.F("deleted_at"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                condition=models.Q(("deleted_at__isnull", False)),
                name="customer_trash",
            ),
        ),
    ]
