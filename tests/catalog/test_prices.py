"""What a product costs a customer: the list price in each currency, the personal price after the discount, rounded
half up to each currency's minor unit. One function for every place a price appears."""

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from kartei.catalog.models import Product
from kartei.catalog.pricing import NoPrice, customer_price, line_total, list_price, minor_unit, rounded
from kartei.core.formatting import money

from .helpers import make_product, rates


def product(base: str) -> Product:
    return Product(sku="X", name_de="X", base_price=Decimal(base))


def test_each_currency_rounds_to_its_own_minor_unit():
    assert minor_unit("EUR") == Decimal("0.01")
    assert minor_unit("JPY") == Decimal("1")
    assert minor_unit("KWD") == Decimal("0.001")
    assert rounded(Decimal("2.345"), "EUR") == Decimal("2.35")  # half up, not to even
    assert rounded(Decimal("2.5"), "JPY") == Decimal("3")
    assert rounded(Decimal("1.0005"), "KWD") == Decimal("1.001")


@pytest.mark.django_db
def test_a_fixed_price_wins_over_the_rate_and_a_currency_without_either_has_no_price():
    bread = make_product(base_price="4.50", prices={"PLN": "19.99"})
    shown = rates(PLN="4.30", CHF="0.95")

    assert list_price(bread, "EUR", shown) == Decimal("4.50")
    assert list_price(bread, "PLN", shown) == Decimal("19.99")
    assert list_price(bread, "CHF", shown) == Decimal("4.28")  # 4.275 rounded half up
    with pytest.raises(NoPrice):
        list_price(bread, "USD", shown)


def test_a_customers_discount_is_taken_off_the_list_price_and_rounded():
    price = customer_price(product("19.99"), "EUR", {}, Decimal("12.5"))

    assert (price.list, price.net, price.discounted) == (Decimal("19.99"), Decimal("17.49"), True)
    assert customer_price(product("19.99"), "EUR", {}, None).net == Decimal("19.99")
    assert customer_price(product("19.99"), "EUR", {}, Decimal(0)).discounted is False
    assert customer_price(product("19.99"), "EUR", {}, Decimal(100)).net == Decimal("0.00")


amounts = st.decimals(min_value=0, max_value=Decimal("99999999"), places=3, allow_nan=False, allow_infinity=False)
discounts = st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=2))
currencies = st.sampled_from(["EUR", "PLN", "JPY", "KWD", "CHF", "USD", "GBP"])


@settings(max_examples=300)
@given(base=amounts, rate=st.decimals(min_value=Decimal("0.000001"), max_value=Decimal(1000), places=6),
       discount=discounts, currency=currencies, quantity=st.integers(min_value=1, max_value=100_000))  # fmt: skip
def test_a_price_is_never_negative_never_above_the_list_price_and_always_in_whole_minor_units(
    base, rate, discount, currency, quantity
):
    price = customer_price(product(str(base)), currency, {currency: rate}, discount)
    total = line_total(price.net, quantity, currency)

    assert Decimal(0) <= price.net <= price.list
    for amount in (price.list, price.net, total):
        assert amount == amount.quantize(minor_unit(currency))
    assert total == price.net * quantity  # a whole number of minor units times a quantity needs no rounding


def test_money_is_written_the_way_each_language_writes_it():
    with translation.override("de"):
        assert money(Decimal("1234.50"), "EUR") == "1.234,50\xa0€"
    with translation.override("pl"):
        assert money(Decimal("1234.50"), "PLN") == "1\xa0234,50\xa0zł"
    with translation.override("en"):
        assert money(Decimal("1234.50"), "EUR") == "€1,234.50"
        assert money(Decimal("1234"), "JPY") == "¥1,234"
