"""Quick-order links: made, revoked and resolved. The token is shown once, when it is made; only its hash is
kept. A link works while its customer is active and not in the trash, until it expires or is replaced."""

import hashlib
import hmac
import json
import secrets
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kartei.customers.models import Customer
from kartei.orders.models import Order
from kartei.timeline.actors import actor_user
from kartei.timeline.services import event_record

from .models import QuickOrderLink

TOKEN_BYTES = 32  # 256 random bits
TOKEN_MAX = 100  # characters of a token in a URL that are looked at


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def link_create(*, actor, customer: Customer, expires_at: datetime | None = None) -> str:
    """A new link for the customer, replacing the one they had; the token, which is never shown again."""
    if customer.deleted_at is not None or not customer.is_active:
        raise ValidationError(_("This customer is deactivated or in the trash: reactivate them first."))
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("Choose an expiry date in the future.")})
    token = secrets.token_urlsafe(TOKEN_BYTES)
    QuickOrderLink.objects.update_or_create(
        customer=customer,
        defaults={"token_hash": token_hash(token), "created_at": timezone.now(), "created_by": actor_user(actor),
                  "expires_at": expires_at, "last_used_at": None},
    )  # fmt: skip
    event_record(customer=customer, kind="quick_order_link.created", actor=actor)
    return token


@transaction.atomic
def link_revoke(*, actor, customer: Customer) -> bool:
    """The customer's link stops working. False if they had none."""
    removed, _by_model = QuickOrderLink.objects.filter(customer=customer).delete()
    if removed:
        event_record(customer=customer, kind="quick_order_link.revoked", actor=actor)
    return bool(removed)


class PastOrder(NamedTuple):
    """One of the customer's last orders, as their page lists it."""

    pk: int
    number: str
    created_at: datetime
    total: Decimal
    currency: str


def link_customer(token: str) -> Customer | None:
    """The customer a token opens the page of, or None (unknown, replaced, revoked, expired, or the customer is
    deactivated or in the trash), with their last five orders, newest first, as `customer.last_orders`. Reads
    only: opening a link changes nothing."""
    if not token or len(token) > TOKEN_MAX:
        return None
    wanted = token_hash(token)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    found = next(iter(Customer.objects.raw(_link_customer_sql(), [wanted, now])), None)
    if found is None or not hmac.compare_digest(found.link_token_hash, wanted):
        return None
    found.last_orders = _past_orders(found.last_orders_json)
    return found


def _past_orders(text: str | None) -> list[PastOrder]:
    orders = []
    for pk, number, created_at, total, currency in json.loads(text or "[]"):
        created_at = datetime.fromisoformat(created_at)
        if created_at.tzinfo is None:  # SQLite keeps times in UTC, without saying so
            created_at = created_at.replace(tzinfo=UTC)
        orders.append(PastOrder(pk, number, created_at, Decimal(total), currency))
    return sorted(orders, key=lambda order: (order.created_at, order.pk), reverse=True)


# The customer's last five orders, as a JSON list of [id, number, created at, total, currency], in each
# database's own words.
_LAST_ORDERS_JSON = {
    "postgresql": "(SELECT json_agg(json_build_array(o.id, o.number, o.created_at, o.total::text, o.currency))::text"
    " FROM ({newest}) o)",
    "sqlite": "(SELECT json_group_array(json_array(o.id, o.number, o.created_at, CAST(o.total AS TEXT), o.currency))"
    " FROM ({newest}) o)",
}


@lru_cache(maxsize=1)
def _link_customer_sql() -> str:
    """The customer of a working link and their last orders, in one statement written once: every view of a
    linked page runs it, and building it with the ORM took as long as running it."""
    quote = connection.ops.quote_name
    customers, links = quote(Customer._meta.db_table), quote(QuickOrderLink._meta.db_table)
    newest = (
        f"SELECT id, number, created_at, total, currency FROM {quote(Order._meta.db_table)} "
        "WHERE customer_id = c.id ORDER BY created_at DESC, id DESC LIMIT 5"
    )
    last_orders = _LAST_ORDERS_JSON[connection.vendor].format(newest=newest)
    return (
        f"SELECT c.*, l.token_hash AS link_token_hash, {last_orders} AS last_orders_json "
        f"FROM {customers} c JOIN {links} l ON l.customer_id = c.id "
        "WHERE l.token_hash = %s AND c.is_active AND c.deleted_at IS NULL "
        "AND (l.expires_at IS NULL OR l.expires_at > %s)"
    )


def link_used(customer: Customer) -> None:
    """The customer ordered through their link just now."""
    QuickOrderLink.objects.filter(customer=customer).update(last_used_at=timezone.now())
