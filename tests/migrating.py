"""For tests of data migrations: the database as it was before a migration, with the latest state restored after."""

from contextlib import contextmanager

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@contextmanager
def migrated_back_to(targets: list[tuple[str, str]]):
    """The database migrated back to `targets` ((app, migration) pairs); the test migrates forward itself. Migrated
    to the latest state afterwards, whatever the test did."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    try:
        yield executor
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
