"""An order moves new → confirmed → in production → shipped → delivered, or is cancelled before it is shipped;
each step records who and when on the order and on the customer's timeline; any other step is refused."""

import pytest
from django.core.exceptions import ValidationError

from kartei.orders.models import Coupon, Status
from kartei.orders.services import TransitionRefused, order_transition
from kartei.timeline.models import Event
from tests.catalog.helpers import make_product
from tests.factories import make_customer

from .test_place_orders import place

pytestmark = pytest.mark.django_db


@pytest.fixture
def order():
    make_product(sku="BRT-500", base_price="3.20")
    return place(make_customer(name="Bäckerei Süß"), "BRT-500 2")


def test_an_order_goes_through_its_statuses_step_by_step_and_each_step_is_recorded(order, staff):
    for to in ("confirmed", "in_production", "shipped", "delivered"):
        order = order_transition(actor=staff, order=order, to=to)

    assert order.status == Status.DELIVERED
    history = [(c.from_status, c.to_status, c.by) for c in order.history.all()]
    assert history == [("", "new", None), ("new", "confirmed", staff), ("confirmed", "in_production", staff),
                       ("in_production", "shipped", staff), ("shipped", "delivered", staff)]  # fmt: skip
    events = Event.objects.filter(kind="order.status_changed").order_by("id")
    assert [e.data["to"] for e in events] == ["confirmed", "in_production", "shipped", "delivered"]
    assert events.last().text() == f"anna set order {order.number} to “Delivered”"


@pytest.mark.parametrize(
    ("steps", "to", "message"),
    [
        ([], "shipped", "is “New”; from there it can go to: Confirmed, Cancelled."),
        (["confirmed", "in_production", "shipped"], "cancelled", "is “Shipped”; from there it can go to: Delivered."),
        (["cancelled"], "confirmed", "is “Cancelled”; its status can no longer change."),
    ],
)
def test_a_step_the_order_cannot_take_is_refused_with_where_it_can_go(order, steps, to, message):
    for step in steps:
        order = order_transition(actor=None, order=order, to=step)

    with pytest.raises(TransitionRefused, match=message):
        order_transition(actor=None, order=order, to=to)
    order.refresh_from_db()
    assert order.status == (steps[-1] if steps else "new")


def test_an_unknown_status_is_refused(order):
    with pytest.raises(ValidationError):
        order_transition(actor=None, order=order, to="lost")


def test_a_cancelled_order_gives_its_coupon_use_back():
    make_product(sku="BRT-500", base_price="3.20")
    Coupon.objects.create(code="EINMAL", percent=10, max_uses=1)
    order = place(make_customer(), "BRT-500 2", coupon_code="EINMAL")
    assert Coupon.objects.get().uses == 1

    order_transition(actor=None, order=order, to="cancelled")

    assert Coupon.objects.get().uses == 0
