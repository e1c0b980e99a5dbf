"""The search index's tables, triggers and functions are not a migration's: they are put in place (again)
after every `migrate`, so that any migration, Django's SQLite table rebuild included, can run and leaves
search in sync.

Before migrating, SQLite's triggers and the index's view are taken off: Django rebuilds a table to alter it on
SQLite, and anything that names the customers table stops the rebuild's final rename (the table's own triggers
go with the old table anyway). Afterwards the index is installed again; if it had lost its triggers meanwhile,
it is checked against the customers table and mended where it differs. PostgreSQL alters tables in place and
keeps its triggers throughout.

When a new Kartei version writes the index differently (its SQL changed) the index is rebuilt, and when it
writes search documents differently (documents.RULES) every customer's is rewritten: the first `migrate` after
such an upgrade takes a while with many customers, and shows its progress."""

from django.db import connections

from kartei.core.progress import Progress

from . import search_index
from .base import store_version, stored_version
from .documents import RULES


def before_migrate(sender, *, using, plan=None, **kwargs):
    connection = connections[using]
    if not plan or connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        search_index(connection).remove_sync(cursor)


def after_migrate(sender, *, using, verbosity=1, stdout=None, **kwargs):
    connection = connections[using]
    index = search_index(connection)
    with connection.cursor() as cursor:
        complete = index.has_sync(cursor)
        if "customers_customer" not in connection.introspection.table_names(cursor):
            return  # migrated back to before the customers existed
        documents_current = stored_version(cursor, "documents") == str(RULES)
    show = verbosity >= 1 and stdout is not None
    total = _customers(connection) if show else 0
    if index.install(connection, Progress(total, label="Building the search index", stream=stdout) if show else None):
        _say(show, stdout, "Built the search index.")
    elif not complete and (wrong := index.check(connection)):
        _say(show, stdout, f"Mended the search index ({wrong:,} customers).")
    if not documents_current:
        progress = Progress(total, label="Updating search documents", stream=stdout) if show else None
        if changed := refresh_documents(connection, progress):
            _say(show, stdout, f"Updated the search documents ({changed:,} customers).")


def refresh_documents(connection, progress=None) -> int:
    """Rewrite the customers' search documents where they differ from what the rules give; note the rules."""
    from kartei.customers.services import search_documents_refresh

    changed = search_documents_refresh(progress=progress)
    with connection.cursor() as cursor:
        store_version(cursor, "documents", str(RULES))
    return changed


def _customers(connection) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM customers_customer")
        return cursor.fetchone()[0]


def _say(show: bool, stdout, message: str) -> None:
    if show:
        stdout.write(message + "\n")
