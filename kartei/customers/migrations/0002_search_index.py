"""The search index: FTS5 with prefix indexes on SQLite (kept in sync by triggers), a GIN index on the
search document's tsvector on PostgreSQL."""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE customers_customer_fts USING fts5(
        search_document, content='customers_customer', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='1 2 3 4', detail='none')""",
    """CREATE TRIGGER customers_customer_fts_insert AFTER INSERT ON customers_customer BEGIN
        INSERT INTO customers_customer_fts(rowid, search_document) VALUES (new.id, new.search_document);
    END""",
    """CREATE TRIGGER customers_customer_fts_delete AFTER DELETE ON customers_customer BEGIN
        INSERT INTO customers_customer_fts(customers_customer_fts, rowid, search_document)
        VALUES ('delete', old.id, old.search_document);
    END""",
    """CREATE TRIGGER customers_customer_fts_update AFTER UPDATE OF search_document ON customers_customer BEGIN
        INSERT INTO customers_customer_fts(customers_customer_fts, rowid, search_document)
        VALUES ('delete', old.id, old.search_document);
        INSERT INTO customers_customer_fts(rowid, search_document) VALUES (new.id, new.search_document);
    END""",
    "INSERT INTO customers_customer_fts(customers_customer_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER customers_customer_fts_insert",
    "DROP TRIGGER customers_customer_fts_delete",
    "DROP TRIGGER customers_customer_fts_update",
    "DROP TABLE customers_customer_fts",
]
POSTGRES = [
    "CREATE INDEX customer_search ON customers_customer USING gin (to_tsvector('simple'::regconfig, search_document))",
]
POSTGRES_REVERSE = ["DROP INDEX customer_search"]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("customers", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
