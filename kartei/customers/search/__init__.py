"""Search-as-you-type over customers, the same on SQLite and PostgreSQL.

- folding.py: text as search compares it ("Łódź" is "lodz");
- documents.py: what a customer is found by (kept on the customer as its search document by the services);
- terms.py: what a query asks for: word prefixes, or the key a whole e-mail address, phone number or VAT ID is;
- tokens.py: the index's grammar, filters as tokens beside the words;
- sqlite.py, postgres.py: each database's index, behind the interface of base.py;
- installer.py: the index's tables, triggers and functions, put in place around every `migrate`.

List strategies (which index read answers which list) live in kartei/customers/queries.py."""

from django.db import connection

from .base import SearchIndex
from .postgres import PostgresIndex
from .sqlite import SQLiteIndex

_INDEXES = {"sqlite": SQLiteIndex(), "postgresql": PostgresIndex()}


def search_index(using=None) -> SearchIndex:
    """The search index of the database in use (or of the connection given)."""
    return _INDEXES[(using or connection).vendor]
