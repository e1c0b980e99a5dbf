"""What a product costs a customer: one function for every place a price is shown or charged (the products page,
an order staff take on a customer's behalf, the customer's quick-order page), so they never differ.

Money is Decimal throughout, rounded half up to the currency's minor unit (cents; none for the yen; three places
for the Kuwaiti dinar) once per unit price and once per line: an order's total is the sum of its rounded lines."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel.numbers import get_currency_precision
from django.conf import settings

HUNDRED = Decimal(100)


def base_currency() -> str:
    """The business's own currency: products' base prices are in it."""
    return settings.KARTEI_DEFAULT_CURRENCY


@lru_cache(maxsize=512)
def minor_unit(currency: str) -> Decimal:
    """The smallest amount of the currency: 0.01 for EUR, 1 for JPY, 0.001 for KWD."""
    return Decimal(1).scaleb(-get_currency_precision(currency))


def rounded(amount: Decimal, currency: str) -> Decimal:
    """The amount rounded half up to the currency's minor unit."""
    return amount.quantize(minor_unit(currency), rounding=ROUND_HALF_UP)


def plain_number(value) -> str:
    """A stored amount as typed: 12.500 → "12.5", 10.000 → "10" (anything else as it is)."""
    if isinstance(value, Decimal) and value.is_finite():
        return format(value.normalize(), "f")
    return "" if value is None else str(value)


class NoPrice(Exception):
    """The product has no price in the currency: neither its own nor an exchange rate to convert the base price."""

    def __init__(self, currency: str):
        super().__init__(currency)
        self.currency = currency


@dataclass(frozen=True)
class Price:
    """A unit price in a currency: the list price, and what this customer pays (after their discount)."""

    currency: str
    list: Decimal
    net: Decimal

    @property
    def discounted(self) -> bool:
        return self.net != self.list


def list_price(product, currency: str, rates: dict[str, Decimal]) -> Decimal:
    """The product's price in `currency` before any discount: its fixed price there, else the base price
    converted at the owner's rate. `rates`: currency → rate (queries.exchange_rates). Raises NoPrice."""
    if currency == base_currency():
        return rounded(product.base_price, currency)
    fixed = _fixed_prices(product).get(currency)
    if fixed is not None:
        return rounded(fixed, currency)
    if currency not in rates:
        raise NoPrice(currency)
    return rounded(product.base_price * rates[currency], currency)


def customer_price(product, currency: str, rates: dict[str, Decimal], discount_percent: Decimal | None) -> Price:
    """The unit price a customer with `discount_percent` (0-100, or None) pays for the product in `currency`."""
    price = list_price(product, currency, rates)
    discount = min(max(discount_percent or Decimal(0), Decimal(0)), HUNDRED)
    return Price(currency=currency, list=price, net=rounded(price * (HUNDRED - discount) / HUNDRED, currency))


def in_base_currency(amount: Decimal, currency: str, rates: dict[str, Decimal]) -> Decimal | None:
    """`amount` in `currency` converted to the base currency at the owner's rate and rounded; None without a rate
    (what sums a customer's orders in several currencies into one figure)."""
    if currency == base_currency():
        return rounded(amount, currency)
    rate = rates.get(currency)
    return rounded(amount / rate, base_currency()) if rate else None


def line_total(unit_price: Decimal, quantity: int, currency: str) -> Decimal:
    return rounded(unit_price * quantity, currency)


def _fixed_prices(product) -> dict[str, Decimal]:
    """The product's own prices per currency, from prefetch_related("prices") when the caller did that (none for
    a product not stored yet)."""
    if product.pk is None:
        return {}
    return {p.currency: p.price for p in product.prices.all()}
