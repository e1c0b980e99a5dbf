"""What an order comes to before it is placed: each line at the customer's own price, the coupon, the total, and
everything that stops it being placed, said line by line. Staff ordering for a customer, the API and the
customer's quick-order page all price through here (and catalog.pricing below it), so they never differ."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kartei.catalog.models import Product
from kartei.catalog.pricing import (
    HUNDRED,
    NoPrice,
    Price,
    base_currency,
    customer_price,
    in_base_currency,
    line_total,
    rounded,
)
from kartei.catalog.queries import exchange_rates
from kartei.core.formatting import money

from .models import Coupon

LINES_MAX = 2000  # lines one order takes


@dataclass
class QuoteLine:
    product: Product
    quantity: int
    price: Price | None = None  # None: the product has no price in the order's currency
    total: Decimal = Decimal(0)
    problem: str = ""


@dataclass
class Quote:
    currency: str
    lines: list[QuoteLine]
    subtotal: Decimal
    coupon: Coupon | None = None
    coupon_discount: Decimal = Decimal(0)
    coupon_problem: str = ""
    problems: list[str] = field(default_factory=list)  # about the order as a whole (no lines …)
    rates: dict[str, Decimal] = field(default_factory=dict)  # the exchange rates it was priced at

    @property
    def total(self) -> Decimal:
        return self.subtotal - self.coupon_discount

    @property
    def base_total(self) -> Decimal | None:
        """The total in the base currency at the day's exchange rate (None without one)."""
        return in_base_currency(self.total, self.currency, self.rates)

    @property
    def can_be_placed(self) -> bool:
        return not self.problems and not self.coupon_problem and not any(line.problem for line in self.lines)


def order_currency(customer) -> str:
    """The currency a customer's orders are in: theirs, else the business's."""
    return customer.preferred_currency or base_currency()


def quantity_problem(product: Product, quantity: int) -> str:
    """Why `quantity` of the product cannot be ordered ("" if it can)."""
    if quantity < product.min_quantity:
        return _("Order at least %(min)d of %(sku)s.") % {"min": product.min_quantity, "sku": product.sku}
    if quantity % product.pack_size:
        size = product.pack_size
        return _("%(sku)s comes in packs of %(size)d: order %(one)d, %(two)d, %(three)d …") % {
            "sku": product.sku, "size": size, "one": size, "two": 2 * size, "three": 3 * size}  # fmt: skip
    return ""


def quote(customer, wanted: list[tuple[Product, int]], *, coupon_code: str = "", today: date | None = None) -> Quote:
    """The order `wanted` ([(product, quantity)]) would be for `customer`, in their currency, at their discount."""
    rates = exchange_rates()
    currency = order_currency(customer)
    lines = []
    for product, quantity in wanted:
        line = QuoteLine(product=product, quantity=quantity)
        if not product.is_active:
            line.problem = _("%(sku)s is no longer offered.") % {"sku": product.sku}
        else:
            try:
                line.price = customer_price(product, currency, rates, customer.discount_percent)
            except NoPrice:
                line.problem = _("%(sku)s has no price in %(currency)s.") % {"sku": product.sku, "currency": currency}
            else:
                line.total = line_total(line.price.net, quantity, currency)
                line.problem = quantity_problem(product, quantity)
        lines.append(line)
    result = Quote(currency=currency, lines=lines, subtotal=sum((line.total for line in lines), Decimal(0)),
                   rates=rates)  # fmt: skip
    if not lines:
        result.problems.append(_("Add at least one product."))
    elif len(lines) > LINES_MAX:
        result.problems.append(_("An order takes at most %(max)d lines.") % {"max": LINES_MAX})
    if coupon_code.strip():
        try:
            result.coupon, result.coupon_discount = coupon_discount(
                coupon_code, customer=customer, subtotal=result.subtotal, currency=currency, rates=rates,
                today=today or timezone.localdate(),
            )  # fmt: skip
        except CouponProblem as problem:
            result.coupon_problem = str(problem)
    return result


class CouponProblem(Exception):
    """Why a coupon does not apply, in the user's language."""


def coupon_named(code: str) -> Coupon | None:
    return Coupon.objects.annotate(key=Upper("code")).filter(key=code.strip().upper()).first()


def _in_currency(amount: Decimal, currency: str, rates: dict) -> Decimal:
    if currency == base_currency():
        return amount
    if currency not in rates:
        raise NoPrice(currency)
    return rounded(amount * rates[currency], currency)


def coupon_discount(code: str, *, customer, subtotal: Decimal, currency: str, rates: dict, today: date):
    """(the coupon, what it takes off `subtotal`), or CouponProblem saying exactly why it does not apply."""
    coupon = coupon_named(code)
    names = {"code": code.strip().upper()}
    if coupon is None:
        raise CouponProblem(_("No coupon has the code %(code)s.") % names)
    if coupon.valid_from and today < coupon.valid_from:
        raise CouponProblem(_("The coupon %(code)s is valid from %(date)s.")
                            % {**names, "date": date_format(coupon.valid_from)})  # fmt: skip
    if coupon.valid_until and today > coupon.valid_until:
        raise CouponProblem(_("The coupon %(code)s expired on %(date)s.")
                            % {**names, "date": date_format(coupon.valid_until)})  # fmt: skip
    if coupon.max_uses is not None and coupon.uses >= coupon.max_uses:
        raise CouponProblem(_("The coupon %(code)s has been used up.") % names)
    if coupon.pk and coupon.customers.exists() and not coupon.customers.filter(pk=customer.pk).exists():
        raise CouponProblem(_("The coupon %(code)s is not meant for this customer.") % names)
    try:
        minimum = _in_currency(coupon.min_order, currency, rates) if coupon.min_order else None
        amount = _in_currency(coupon.amount, currency, rates) if coupon.amount is not None else None
    except NoPrice:
        raise CouponProblem(_("The coupon %(code)s cannot be used in %(currency)s.")
                            % {**names, "currency": currency}) from None  # fmt: skip
    if minimum is not None and subtotal < minimum:
        raise CouponProblem(_("The coupon %(code)s applies to orders of at least %(amount)s.")
                            % {**names, "amount": money(minimum, currency)})  # fmt: skip
    if coupon.percent is not None:
        discount = rounded(subtotal * coupon.percent / HUNDRED, currency)
    else:
        discount = amount
    return coupon, min(discount, subtotal)
