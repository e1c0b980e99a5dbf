"""PostgreSQL: emptied the search index when the customer tables are emptied with TRUNCATE.

The search index is no longer a migration's: kartei/customers/search/installer.py puts its tables, triggers and
functions in place after every `migrate`. This migration stays as history.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("customers", "0004_sort_keys_and_trash_index")]

    operations = []
