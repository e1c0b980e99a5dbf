"""Every change to orders and coupons: one function per use case, each in a transaction, each recording the
customer's timeline event. The orders page, the customer page, the API and the quick-order page call these."""

import re
import secrets
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Upper
from django.utils import timezone
from django.utils.translation import gettext as _

from kartei.catalog.models import Product
from kartei.catalog.pricing import plain_number
from kartei.catalog.validation import clean_price
from kartei.core.errors import ConflictError
from kartei.core.validation import multi_line, single_line
from kartei.customers.models import Customer
from kartei.customers.services import customer_addresses
from kartei.customers.validation import clean_discount
from kartei.timeline.actors import CUSTOMER, actor_user
from kartei.timeline.services import event_record

from .models import COUPON_CODE_UNIQUE, NEXT, Coupon, Order, OrderLine, Source, Status, StatusChange
from .quotes import LINES_MAX, Quote, quote

COMMENT_MAX = 2000
COUPON_CUSTOMERS_MAX = 10_000  # customers one coupon can be limited to
QUANTITY_MAX = 1_000_000
_LINE = re.compile(r"^\s*(\S+)\s*[;,:\t ]\s*(\S+)\s*$")


class TransitionRefused(ConflictError):
    """A status the order cannot go to from where it is (409 in the API)."""


def parsed_lines(text: str) -> tuple[list[tuple[str, int]], list[str]]:
    """Lines of "SKU quantity" as people paste them ("BRT-500 12", "BRT-500;12", "BRT-500 x 12" aside): the
    (SKU, quantity) pairs and, for each line that is not one, why ("Line 3: …")."""
    pairs, problems = [], []
    lines = (text or "").splitlines()
    if len(lines) > LINES_MAX:
        return [], [_("Paste at most %(max)d lines at once.") % {"max": LINES_MAX}]
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        match = _LINE.match(line.replace("×", " ").replace(" x ", " "))
        if match is None or not match[2].isdigit():
            problems.append(
                _("Line %(n)d: write the SKU, a space and the quantity, such as BRT-500 12.") % {"n": number}
            )
            continue
        quantity = int(match[2])
        if not 0 < quantity <= QUANTITY_MAX:
            problems.append(_("Line %(n)d: the quantity must be between 1 and %(max)s.")
                            % {"n": number, "max": f"{QUANTITY_MAX:,}"})  # fmt: skip
            continue
        pairs.append((match[1], quantity))
    return pairs, problems


Wanted = list[tuple[Product, int]]


def wanted_products(pairs: list[tuple[str | int, int]], *, by: str = "sku") -> tuple[Wanted, list[str]]:
    """(product, quantity) for each (SKU or id, quantity), the same product's quantities added up; and for each
    SKU or id no product has, a sentence saying so. A SKU is found whatever its case."""
    products = Product.objects.prefetch_related("prices")
    if by == "sku":
        keys = {str(key).upper() for key, _quantity in pairs}
        found = {p.sku.upper(): p for p in products.annotate(key=Upper("sku")).filter(key__in=keys)}
    else:
        found = products.in_bulk([key for key, _quantity in pairs if isinstance(key, int)])
    wanted: dict[int, list] = {}
    unknown = []
    for key, quantity in pairs:
        product = found.get(str(key).upper() if by == "sku" else key)
        if product is None:
            unknown.append(_("No product has the SKU %(sku)s.") % {"sku": key} if by == "sku"
                           else _("No product has the id %(id)s.") % {"id": key})  # fmt: skip
        elif product.pk in wanted:
            wanted[product.pk][1] += quantity
        else:
            wanted[product.pk] = [product, quantity]
    return [(product, quantity) for product, quantity in wanted.values()], unknown


def _checked(result: Quote, unknown: list[str]) -> None:
    """A ValidationError naming every problem of the quote, by field ("lines", "coupon"); `unknown`: what
    wanted_products said of the products it did not find."""
    errors = {}
    problems = result.problems if result.lines or not unknown else []  # "add a product" when none was asked for
    lines = [*problems, *(line.problem for line in result.lines if line.problem), *unknown]
    if lines:
        errors["lines"] = lines
    if result.coupon_problem:
        errors["coupon"] = [result.coupon_problem]
    if errors:
        raise ValidationError(errors)


def _clean_extras(customer: Customer, comment, address, delivery_date) -> dict:
    errors, cleaned = {}, {}
    comment = multi_line(comment or "")
    if len(comment) > COMMENT_MAX:
        errors["comment"] = _("Keep the comment to %(max)d characters.") % {"max": COMMENT_MAX}
    cleaned["comment"] = comment
    addresses = customer_addresses(customer)
    if address in (None, ""):
        default = [a for a in addresses if a.get("is_default")] or addresses
        cleaned["delivery_address"] = default[0] if default else {}
    elif isinstance(address, int) and not isinstance(address, bool) and 0 <= address < len(addresses):
        cleaned["delivery_address"] = addresses[address]
    else:
        errors["delivery_address"] = _("Choose one of the customer's addresses.")
    if delivery_date not in (None, ""):
        if isinstance(delivery_date, str):
            try:
                delivery_date = date.fromisoformat(single_line(delivery_date))
            except ValueError:
                errors["delivery_date"] = _("Enter a date such as 2026-12-24.")
        if isinstance(delivery_date, date) and delivery_date < timezone.localdate():
            errors["delivery_date"] = _("Choose a delivery date from today on.")
    cleaned["delivery_date"] = delivery_date if isinstance(delivery_date, date) else None
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def order_place(*, actor, customer: Customer, wanted: list[tuple[Product, int]], unknown: list[str] = (),
                coupon_code: str = "", comment: str = "", address=None, delivery_date=None, source: str = Source.STAFF,
                submission_key: str | None = None) -> Order:  # fmt: skip
    """Place an order for `customer`: `wanted` [(product, quantity)] priced on the server at the customer's own
    prices in their currency (never what a browser sent), the coupon applied; `address`: the position of one of
    the customer's addresses (else their default). `actor`: the member ordering for them, or
    timeline.actors.CUSTOMER through their quick-order link. With `submission_key`, sending the same order
    twice (a double click, a reload) places it once and returns it again.
    Raises ValidationError naming each problem, by field (lines, coupon, comment, delivery_address, …)."""
    if submission_key:
        placed = Order.objects.filter(submission_key=submission_key, customer=customer).first()
        if placed is not None:
            return placed
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    if customer.deleted_at is not None or not customer.is_active:
        raise ValidationError(_("This customer is deactivated or in the trash: orders are not taken for them."))
    result = quote(customer, wanted, coupon_code=coupon_code)
    _checked(result, list(unknown))
    extras = _clean_extras(customer, comment, address, delivery_date)
    if result.coupon is not None:
        used = Coupon.objects.filter(pk=result.coupon.pk)
        if result.coupon.max_uses is not None:
            used = used.filter(uses__lt=result.coupon.max_uses)
        if not used.update(uses=F("uses") + 1):  # the last use went to an order placed a moment ago
            raise ValidationError({"coupon": _("The coupon %(code)s has been used up.") % {"code": result.coupon.code}})
    order = Order(
        number=f"new-{secrets.token_hex(6)}", customer=customer, source=source, currency=result.currency,
        discount_percent=customer.discount_percent, coupon=result.coupon,
        coupon_code=result.coupon.code if result.coupon else "", coupon_discount=result.coupon_discount,
        subtotal=result.subtotal, total=result.total, total_base=result.base_total,
        created_by=actor_user(actor) if actor != CUSTOMER else None,
        submission_key=submission_key or None, **extras,
    )  # fmt: skip
    try:
        with transaction.atomic():
            order.save()
    except IntegrityError:
        if submission_key:  # the same order, sent twice at the same moment: the first one placed it
            transaction.set_rollback(True)
            raise _AlreadyPlaced from None
        raise
    order.number = f"{order.created_at:%Y}-{order.pk:06d}"
    order.save(update_fields=["number"])
    language = customer.preferred_language or settings.KARTEI_CATALOG_LANGUAGE  # what the confirmation speaks
    OrderLine.objects.bulk_create(
        OrderLine(order=order, product=line.product, sku=line.product.sku, name=line.product.name(language),
                  quantity=line.quantity, list_price=line.price.list, unit_price=line.price.net, total=line.total)
        for line in result.lines
    )  # fmt: skip
    StatusChange.objects.create(order=order, to_status=Status.NEW, by=actor_user(actor), by_customer=actor == CUSTOMER)
    customer_figures_refresh([customer.pk])
    event_record(customer=customer, kind="order.placed", actor=actor, subject=order,
                 data={"number": order.number, "total": plain_number(order.total), "currency": order.currency,
                       "source": source})  # fmt: skip
    return order


class _AlreadyPlaced(Exception):
    pass


def order_place_once(*, submission_key: str, **kwargs) -> Order:
    """order_place; when the same submission raced itself, the order the other one placed."""
    try:
        return order_place(submission_key=submission_key, **kwargs)
    except _AlreadyPlaced:
        placed = Order.objects.filter(submission_key=submission_key, customer=kwargs["customer"]).first()
        if placed is None:  # the key came with another customer's order
            raise ValidationError(_("This submission was used for another order; send the order again.")) from None
        return placed


@transaction.atomic
def order_transition(*, actor, order: Order, to: str) -> Order:
    """Move the order to the status `to`: one step forward, or cancelled before it is shipped. Recorded on the
    order (who, when) and on the customer's timeline. A cancelled order gives its coupon use back."""
    if to not in Status.values:
        raise ValidationError({"to": _("Choose one of: %(statuses)s.") % {"statuses": ", ".join(Status.values)}})
    order = Order.objects.select_for_update().get(pk=order.pk)
    current = Status(order.status)
    if to not in NEXT[current]:
        allowed = ", ".join(str(Status(s).label) for s in NEXT[current])
        if allowed:
            message = _("Order %(number)s is “%(status)s”; from there it can go to: %(allowed)s.")
        else:
            message = _("Order %(number)s is “%(status)s”; its status can no longer change.")
        raise TransitionRefused(message % {"number": order.number, "status": current.label, "allowed": allowed})
    order.status = to
    order.save(update_fields=["status", "updated_at"])
    if to == Status.CANCELLED:
        if order.coupon_id:
            Coupon.objects.filter(pk=order.coupon_id, uses__gt=0).update(uses=F("uses") - 1)
        customer_figures_refresh([order.customer_id])
    StatusChange.objects.create(order=order, from_status=current, to_status=to, by=actor_user(actor),
                                by_customer=actor == CUSTOMER)  # fmt: skip
    event_record(customer=order.customer, kind="order.status_changed", actor=actor, subject=order,
                 data={"number": order.number, "from": current.value, "to": to})  # fmt: skip
    return order


def customer_figures_refresh(customer_ids) -> None:
    """The customers' last order time and orders total (what the customers table sorts by), read again from their
    orders: the last one placed, whatever became of it; the total of those not cancelled."""
    orders = Order.objects.filter(customer_id=OuterRef("pk")).order_by().values("customer_id")
    last = orders.annotate(last=Max("created_at")).values("last")
    total = orders.annotate(total=Sum("total_base", filter=~Q(status=Status.CANCELLED))).values("total")
    ids = sorted(customer_ids)
    for start in range(0, len(ids), 10_000):
        Customer.objects.filter(pk__in=ids[start : start + 10_000]).update(
            last_order_at=Subquery(last), orders_total=Coalesce(Subquery(total), Value(Decimal(0)))
        )


# ------------------------------------------------------------------------------------------ coupons


def coupon_clean(data: dict) -> dict:
    errors, cleaned = {}, {}

    def run(name, fn, value):
        try:
            cleaned[name] = fn(value)
        except ValidationError as error:
            errors.setdefault(name, []).extend(error.messages)

    code = single_line(data.get("code") or "")
    if not code:
        errors["code"] = [_("Enter the coupon's code.")]
    elif len(code) > 40 or not re.fullmatch(r"[A-Za-z0-9_-]+", code):
        errors["code"] = [_("Use up to 40 letters, digits, - and _ in the code.")]
    cleaned["code"] = code.upper()
    percent, amount = data.get("percent"), data.get("amount")
    if percent not in (None, "") and amount not in (None, ""):
        errors["percent"] = [_("Give either a percentage or an amount, not both.")]
    elif percent not in (None, ""):
        run("percent", clean_discount, percent)
        if cleaned.get("percent") == 0:
            errors["percent"] = [_("Enter a percentage above 0.")]
        cleaned["amount"] = None
    elif amount not in (None, ""):
        run("amount", clean_price, amount)
        cleaned["percent"] = None
    else:
        errors["percent"] = [_("Give a percentage or an amount off.")]
    for name in ("valid_from", "valid_until"):
        value = data.get(name)
        if value in (None, ""):
            cleaned[name] = None
        elif isinstance(value, date):
            cleaned[name] = value
        else:
            try:
                cleaned[name] = date.fromisoformat(str(value).strip())
            except ValueError:
                errors[name] = [_("Enter a date such as 2026-12-24.")]
    if cleaned.get("valid_from") and cleaned.get("valid_until") and cleaned["valid_until"] < cleaned["valid_from"]:
        errors["valid_until"] = [_("The coupon must be valid until a day after it starts.")]
    max_uses = data.get("max_uses")
    if max_uses in (None, ""):
        cleaned["max_uses"] = None
    elif isinstance(max_uses, bool) or not str(max_uses).strip().isdigit() or int(str(max_uses)) < 1:
        errors["max_uses"] = [_("Enter a whole number of at least 1, or leave it empty for no limit.")]
    else:
        cleaned["max_uses"] = int(str(max_uses))
    if data.get("min_order") not in (None, ""):
        run("min_order", clean_price, data["min_order"])
    else:
        cleaned["min_order"] = None
    ids = data.get("customers") or []
    if not isinstance(ids, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        errors["customers"] = [_("Send the customers as a list of their ids.")]
    elif len(ids) > COUPON_CUSTOMERS_MAX:
        limit = {"max": COUPON_CUSTOMERS_MAX}
        errors["customers"] = [_("A coupon can be limited to at most %(max)d customers.") % limit]
    else:
        found = set(Customer.objects.filter(pk__in=ids, deleted_at__isnull=True).values_list("pk", flat=True))
        if set(ids) - found:
            missing = ", ".join(str(i) for i in sorted(set(ids) - found))
            errors["customers"] = [_("No customer has the id %(ids)s.") % {"ids": missing}]
        cleaned["customers"] = sorted(found)
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def coupon_create(*, actor, data: dict) -> Coupon:
    cleaned = coupon_clean(data)
    customers = cleaned.pop("customers", [])
    if Coupon.objects.filter(code__iexact=cleaned["code"]).exists():
        raise _duplicate_code(cleaned["code"])
    try:
        with transaction.atomic():
            coupon = Coupon.objects.create(**cleaned)
    except IntegrityError as error:
        if COUPON_CODE_UNIQUE in str(error):
            raise _duplicate_code(cleaned["code"]) from None
        raise
    coupon.customers.set(customers)
    return coupon


def _duplicate_code(code: str) -> ValidationError:
    return ValidationError({"code": ValidationError(_("Another coupon has the code %(code)s."), code="duplicate_code",
                                                    params={"code": code})})  # fmt: skip
