"""Gave the search index the customers' filters as tokens (state, status, temperature, tags), so that one
index lookup answers a list narrowed by words and filters.

The search index is no longer a migration's: kartei/customers/search/installer.py puts its tables, triggers and
functions in place after every `migrate` (tokens.py describes the tokens). This migration stays as history.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("customers", "0002_search_index")]

    operations = []
