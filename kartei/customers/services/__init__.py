"""Every change to customers, notes and tags: one function per use case, each in a transaction,
each recording what happened on the customer's timeline. The UI, the API, the importer and the CLI
all come through here. The modules are split by use case; these are the services the app offers."""

from .bulk import (
    PreparedCustomers,
    customers_bulk_insert,
    customers_bulk_prepare,
    customers_bulk_session,
    customers_bulk_write,
)
from .customers import (
    SCALAR_FIELDS,
    customer_addresses,
    customer_clean,
    customer_create,
    customer_delete,
    customer_restore,
    customer_set_active,
    customer_update,
    email_owner,
    tags_for_names,
    tags_unused_delete,
    trash_purge,
)
from .notes import note_create, note_delete, note_update
from .search import search_documents_refresh

__all__ = [
    "PreparedCustomers",
    "SCALAR_FIELDS",
    "customer_addresses",
    "customer_clean",
    "customer_create",
    "customer_delete",
    "customer_restore",
    "customer_set_active",
    "customer_update",
    "customers_bulk_session",
    "customers_bulk_insert",
    "customers_bulk_prepare",
    "customers_bulk_write",
    "email_owner",
    "note_create",
    "note_delete",
    "note_update",
    "search_documents_refresh",
    "tags_for_names",
    "tags_unused_delete",
    "trash_purge",
]
