"""PostgreSQL: emptying the customer tables with TRUNCATE (`kartei flush`, a restore script) empties the search
index too. TRUNCATE fires no DELETE triggers, so the index kept rows for customers that no longer exist and
counted them. (SQLite's flush deletes row by row, which its triggers follow.)"""

import importlib

from django.db import migrations

list_index = importlib.import_module("kartei.customers.migrations.0003_list_index")

POSTGRES = [
    f"""CREATE FUNCTION kartei_customer_search_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_TABLE_NAME = 'customers_customer' THEN
            TRUNCATE customers_customer_search;
        ELSE  -- the tag links: no customer has a tag any more
            UPDATE customers_customer_search s SET vector = {list_index._vector("c")}
            FROM customers_customer c WHERE c.id = s.id;
        END IF;
        RETURN NULL;
    END $$""",
    "CREATE TRIGGER customers_customer_search_truncate AFTER TRUNCATE ON customers_customer "
    "FOR EACH STATEMENT EXECUTE FUNCTION kartei_customer_search_truncate()",
    "CREATE TRIGGER customers_customer_tags_search_truncate AFTER TRUNCATE ON customers_customer_tags "
    "FOR EACH STATEMENT EXECUTE FUNCTION kartei_customer_search_truncate()",
    # Rows left behind by an earlier TRUNCATE.
    "DELETE FROM customers_customer_search s WHERE NOT EXISTS (SELECT 1 FROM customers_customer c WHERE c.id = s.id)",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER customers_customer_tags_search_truncate ON customers_customer_tags",
    "DROP TRIGGER customers_customer_search_truncate ON customers_customer",
    "DROP FUNCTION kartei_customer_search_truncate()",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_REVERSE:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("customers", "0004_sort_keys_and_trash_index")]

    operations = [migrations.RunPython(forwards, backwards)]
