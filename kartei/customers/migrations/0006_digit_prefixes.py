"""PostgreSQL: the search vector holds the prefixes of numbers (phone numbers, VAT IDs, postal codes) up to
8 digits, as SQLite's FTS5 prefix index does, instead of 3. People type the beginning of a phone number;
`'0171':*` made the GIN index scan every lexeme beginning with 0171 (every such phone number): 20-30 ms at a
million customers. Words keep their 1-3 letter prefixes. The index is rebuilt: minutes on a large database."""

import importlib

from django.db import migrations

list_index = importlib.import_module("kartei.customers.migrations.0003_list_index")

THREE = "generate_series(1, 3) n"
BY_KIND = "generate_series(1, CASE WHEN w ~ '^[0-9]+$' THEN 8 ELSE 3 END) n"


def _rebuild(old: str, new: str) -> list[str]:
    function = list_index.VECTOR.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)
    assert old in function
    return [
        function.replace(old, new),
        "DROP INDEX customers_customer_search_vector",
        "TRUNCATE customers_customer_search",
        f"INSERT INTO customers_customer_search (id, vector) SELECT c.id, {list_index._vector('c')} "
        "FROM customers_customer c",
        "CREATE INDEX customers_customer_search_vector ON customers_customer_search USING gin (vector)",
        "ANALYZE customers_customer_search",
    ]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in _rebuild(THREE, BY_KIND):
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in _rebuild(THREE, THREE):
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("customers", "0005_search_index_truncate")]

    operations = [migrations.RunPython(forwards, backwards)]
