"""Created the first search index (FTS5 on SQLite, a GIN expression index on PostgreSQL).

The search index is no longer a migration's: kartei/customers/search/installer.py puts its tables, triggers and
functions in place after every `migrate` and rebuilds it when its SQL changed. This migration stays as history.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("customers", "0001_initial")]

    operations = []
