"""PostgreSQL: indexed the 1-8 digit prefixes of numbers, as SQLite's FTS5 does.

The search index is no longer a migration's: kartei/customers/search/installer.py puts its tables, triggers and
functions in place after every `migrate`. This migration stays as history.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("customers", "0005_search_index_truncate")]

    operations = []
