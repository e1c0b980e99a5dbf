"""Placing an order for a customer: priced on the server at the customer's own prices in their currency, the
coupon applied with exactly the reason when it does not, every line's problem named; the total is the sum of
its rounded lines less the coupon; a double submission places one order."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from kartei.catalog.models import ExchangeRate
from kartei.catalog.pricing import minor_unit
from kartei.orders.models import Coupon, Order, Status
from kartei.orders.quotes import quote
from kartei.orders.services import order_place, order_place_once, parsed_lines, wanted_products
from kartei.timeline.models import Event
from tests.catalog.helpers import make_product
from tests.factories import make_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    ExchangeRate.objects.create(currency="PLN", rate=Decimal("4.30"))
    return {
        "bread": make_product(sku="BRT-500", name_de="Roggenbrot", name_pl="Chleb żytni", base_price="3.20",
                              pack_size=6),
        "coffee": make_product(sku="KAF-1000", name_de="Kaffee", base_price="18.90", prices={"PLN": "79.00"}),
        "juice": make_product(sku="SFT-APF", name_de="Apfelsaft", base_price="1.95", min_quantity=12, pack_size=6),
    }  # fmt: skip


def place(customer, lines, **kwargs):
    wanted, unknown = wanted_products(parsed_lines(lines)[0])
    return order_place(actor=None, customer=customer, wanted=wanted, unknown=unknown, **kwargs)


def test_an_order_is_priced_at_the_customers_discount_in_their_currency_and_named_in_their_language(catalog):
    customer = make_customer(name="Sklep Ewa", discount_percent="10", preferred_currency="PLN", preferred_language="pl")

    order = place(customer, "BRT-500 12\nkaf-1000 1")

    lines = {line.sku: line for line in order.lines.all()}
    assert order.currency == "PLN" and order.status == Status.NEW
    assert (lines["BRT-500"].list_price, lines["BRT-500"].unit_price, lines["BRT-500"].total) == (
        Decimal("13.76"), Decimal("12.38"), Decimal("148.56"))  # 3.20 × 4.30; less 10 %; × 12  # fmt: skip
    assert (lines["KAF-1000"].unit_price, lines["BRT-500"].name) == (Decimal("71.10"), "Chleb żytni")
    assert order.total == order.subtotal == Decimal("219.66")
    assert order.number == f"{order.created_at:%Y}-{order.pk:06d}"
    event = Event.objects.get(kind="order.placed")
    assert event.customer == customer and event.data == {"number": order.number, "total": "219.66",
                                                         "currency": "PLN", "source": "staff"}  # fmt: skip


def test_every_problem_of_an_order_is_named_and_nothing_is_placed(catalog):
    catalog["coffee"].is_active = False
    catalog["coffee"].save()
    customer = make_customer(preferred_currency="CHF")  # no rate, no fixed price: nothing has a price in CHF

    with pytest.raises(ValidationError) as refused:
        place(customer, "BRT-500 5\nKAF-1000 1\nNOPE-1 3")

    assert refused.value.message_dict["lines"] == [
        "BRT-500 has no price in CHF.", "KAF-1000 is no longer offered.", "No product has the SKU NOPE-1."]  # fmt: skip
    assert not Order.objects.exists()


def test_quantities_respect_the_minimum_and_the_pack_size(catalog):
    customer = make_customer()

    with pytest.raises(ValidationError) as refused:
        place(customer, "SFT-APF 6\nBRT-500 7")

    assert refused.value.message_dict["lines"] == [
        "Order at least 12 of SFT-APF.", "BRT-500 comes in packs of 6: order 6, 12, 18 …"]  # fmt: skip
    assert place(customer, "SFT-APF 18\nBRT-500 6").lines.count() == 2


def test_pasted_lines_that_are_not_sku_and_quantity_are_named_by_line():
    pairs, problems = parsed_lines("BRT-500 12\n\nBRT-500;6\nKaffee bitte\nKAF-1000 0\nKAF-1000 x 2\nX 99999999")

    assert pairs == [("BRT-500", 12), ("BRT-500", 6), ("KAF-1000", 2)]
    assert problems == ["Line 4: write the SKU, a space and the quantity, such as BRT-500 12.",
                        "Line 5: the quantity must be between 1 and 1,000,000.",
                        "Line 7: the quantity must be between 1 and 1,000,000."]  # fmt: skip
    assert parsed_lines("A 1\n" * 2001)[1] == ["Paste at most 2000 lines at once."]


def test_the_same_product_twice_is_one_line_with_both_quantities(catalog):
    order = place(make_customer(), "BRT-500 6\nbrt-500 12")

    assert [(line.sku, line.quantity) for line in order.lines.all()] == [("BRT-500", 18)]


@pytest.mark.parametrize(
    ("coupon", "message"),
    [
        ({"code": "OLD", "percent": 10, "valid_until": timezone.localdate() - timedelta(days=1)}, "expired on"),
        ({"code": "SOON", "percent": 10, "valid_from": timezone.localdate() + timedelta(days=3)}, "is valid from"),
        ({"code": "GONE", "percent": 10, "max_uses": 2, "uses": 2}, "The coupon GONE has been used up."),
        ({"code": "BIG", "amount": 5, "min_order": 500}, "The coupon BIG applies to orders of at least €500.00."),
    ],
)
def test_a_coupon_that_does_not_apply_says_exactly_why(catalog, coupon, message):
    Coupon.objects.create(**coupon)

    with pytest.raises(ValidationError) as refused:
        place(make_customer(), "BRT-500 6", coupon_code=coupon["code"].lower())

    assert message in refused.value.message_dict["coupon"][0]
    assert not Order.objects.exists()


def test_an_unknown_coupon_or_one_for_other_customers_is_refused(catalog):
    someone = make_customer(name="Someone")
    Coupon.objects.create(code="VIP", percent=10).customers.add(someone)

    with pytest.raises(ValidationError) as unknown:
        place(make_customer(), "BRT-500 6", coupon_code="NOPE")
    with pytest.raises(ValidationError) as not_theirs:
        place(make_customer(), "BRT-500 6", coupon_code="VIP")

    assert unknown.value.message_dict["coupon"] == ["No coupon has the code NOPE."]
    assert not_theirs.value.message_dict["coupon"] == ["The coupon VIP is not meant for this customer."]
    assert place(someone, "BRT-500 6", coupon_code="vip").coupon_discount == Decimal("1.92")


def test_a_coupon_takes_its_percentage_or_its_amount_off_counts_its_use_and_never_makes_a_total_negative(catalog):
    Coupon.objects.create(code="ZEHN", percent=10, max_uses=5)
    Coupon.objects.create(code="FUENF", amount=5)
    customer = make_customer(preferred_currency="PLN")

    percent = place(customer, "BRT-500 6", coupon_code="ZEHN")
    amount = place(customer, "BRT-500 6", coupon_code="FUENF")

    assert (percent.subtotal, percent.coupon_discount, percent.total) == (Decimal("82.56"), Decimal("8.26"),
                                                                         Decimal("74.30"))  # fmt: skip
    assert (amount.coupon_discount, amount.total) == (Decimal("21.50"), Decimal("61.06"))  # 5 EUR at 4.30
    assert Coupon.objects.get(code="ZEHN").uses == 1
    Coupon.objects.create(code="ALLES", amount=1000)
    assert place(customer, "BRT-500 6", coupon_code="ALLES").total == Decimal("0.00")


def test_sending_the_same_order_twice_places_it_once(catalog):
    customer = make_customer()
    wanted, _unknown = wanted_products([("BRT-500", 6)])

    first = order_place_once(actor=None, customer=customer, wanted=wanted, submission_key="abc")
    again = order_place_once(actor=None, customer=customer, wanted=wanted, submission_key="abc")

    assert first.pk == again.pk and Order.objects.count() == 1


def test_a_deactivated_customer_gets_no_orders(catalog):
    from kartei.customers.services import customer_set_active

    customer = make_customer()
    customer_set_active(customer=customer, actor=None, active=False)

    with pytest.raises(ValidationError, match="deactivated"):
        place(customer, "BRT-500 6")


def test_a_wrong_address_or_date_is_named_by_its_field(catalog):
    customer = make_customer(addresses=[{"street": "Hauptstraße 1", "city": "Berlin", "country": "DE"}])

    with pytest.raises(ValidationError) as refused:
        place(customer, "BRT-500 6", address=3, delivery_date="gestern", comment="x" * 2001)

    assert set(refused.value.message_dict) == {"delivery_address", "delivery_date", "comment"}
    order = place(customer, "BRT-500 6", delivery_date=timezone.localdate().isoformat())
    assert order.delivery_address["city"] == "Berlin" and order.delivery_date == timezone.localdate()


class TestTotals(TestCase):
    """Whatever the prices, discounts, coupons and currencies: a total is the sum of its rounded lines less the
    coupon, never negative, in whole minor units; staff and the quick-order page see the same prices."""

    @settings(max_examples=60, deadline=None)
    @given(
        prices=st.lists(st.decimals(min_value=0, max_value=10_000, places=2), min_size=1, max_size=4),
        quantities=st.lists(st.integers(min_value=1, max_value=500), min_size=4, max_size=4),
        discount=st.decimals(min_value=0, max_value=100, places=2),
        currency=st.sampled_from(["EUR", "PLN", "JPY", "KWD"]),
        coupon_percent=st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=2)),
    )
    def test_an_order_total_is_the_sum_of_its_rounded_lines_less_the_coupon(
        self, prices, quantities, discount, currency, coupon_percent
    ):
        for code, rate in (("PLN", "4.3"), ("JPY", "162.5"), ("KWD", "0.331")):
            ExchangeRate.objects.update_or_create(currency=code, defaults={"rate": Decimal(rate)})
        customer = make_customer(discount_percent=str(discount), preferred_currency=currency)
        products = [make_product(sku=f"P{n}", base_price=str(price)) for n, price in enumerate(prices)]
        if coupon_percent is not None:
            Coupon.objects.create(code="C", percent=coupon_percent)

        result = quote(
            customer,
            list(zip(products, quantities, strict=False)),
            coupon_code="C" if coupon_percent is not None else "",
        )

        assert result.subtotal == sum(line.total for line in result.lines)
        assert Decimal(0) <= result.total <= result.subtotal
        for line in result.lines:
            assert Decimal(0) <= line.price.net <= line.price.list
        assert result.total == result.total.quantize(minor_unit(currency))
