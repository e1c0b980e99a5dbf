"""Orders (placed on a customer's behalf, listed, moved through their statuses) and coupons. Endpoints parse, call
a query or a service, and return; the rules live in kartei.orders.services and quotes."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError as SchemaValidationError
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from kartei.catalog.pricing import plain_number
from kartei.customers.models import Customer
from kartei.orders import queries, services
from kartei.orders.models import Coupon, Order, Source, Status
from kartei.portal import services as portal_services
from kartei.portal.links import link_url

from .catalog import Amount
from .schemas import ErrorOut, In, Text, choice
from .schemas import ValidationErrorOut as Invalid

try:
    from ninja import Status as Answer
except ImportError:  # older django-ninja takes a (status, body) tuple

    def Answer(status_code, value):  # noqa: N802
        return status_code, value


router = Router(tags=["orders"])


class LineIn(In):
    product: int = Field(description="The product's id")
    quantity: int = Field(ge=1, le=services.QUANTITY_MAX)


class OrderIn(In):
    """An order placed on the customer's behalf, priced on the server at the customer's own prices in their
    currency. Send an `Idempotency-Key` header to make a retry place it once."""

    customer: int
    lines: list[LineIn] = Field(max_length=2000)
    coupon: Text = ""
    comment: Text = ""
    delivery_address: int | None = Field(None, description="Position of one of the customer's addresses (0 = first)")
    delivery_date: date | None = None


class LineOut(BaseModel):
    product: int
    sku: str
    name: str
    quantity: int
    list_price: str
    unit_price: str
    total: str


class StatusChangeOut(BaseModel):
    from_status: str = Field(alias="from")
    to: str
    by: str
    at: datetime


class OrderOut(BaseModel):
    id: int
    number: str
    customer: int
    customer_name: str
    status: str
    source: str
    currency: str
    subtotal: str
    coupon: str
    coupon_discount: str
    total: str
    comment: str
    delivery_address: dict
    delivery_date: date | None
    created_at: datetime
    lines: list[LineOut] = []
    history: list[StatusChangeOut] = []


class OrderList(BaseModel):
    items: list[OrderOut]
    next_cursor: str | None


class OrderListParams(Schema):
    customer: int | None = Field(None, ge=1, description="Only this customer's orders")
    status: Text = Field("", description="Only orders in this status", json_schema_extra={"enum": ["", *Status.values]})
    since: date | None = Field(None, description="Placed on or after this day")
    until: date | None = Field(None, description="Placed on or before this day")
    cursor: Text = Field("", max_length=4000, description="next_cursor of the previous page, as it was")
    limit: int = Field(50, ge=1, le=200)


class TransitionIn(In):
    to: Text = choice(Status.values, "The status to move the order to")  # type: ignore[assignment]


def _who(change) -> str:
    if change.by_customer:
        return "customer"
    return change.by.get_username() if change.by else "system"


def order_out(order: Order, *, details: bool = True) -> dict:
    out = {
        "id": order.pk, "number": order.number, "customer": order.customer_id, "customer_name": order.customer.name,
        "status": order.status, "source": order.source, "currency": order.currency,
        "subtotal": plain_number(order.subtotal), "coupon": order.coupon_code,
        "coupon_discount": plain_number(order.coupon_discount), "total": plain_number(order.total),
        "comment": order.comment, "delivery_address": order.delivery_address, "delivery_date": order.delivery_date,
        "created_at": order.created_at,
    }  # fmt: skip
    if details:
        out["lines"] = [
            {"product": line.product_id, "sku": line.sku, "name": line.name, "quantity": line.quantity,
             "list_price": plain_number(line.list_price), "unit_price": plain_number(line.unit_price),
             "total": plain_number(line.total)}
            for line in order.lines.all()
        ]  # fmt: skip
        out["history"] = [
            {"from": change.from_status, "to": change.to_status, "by": _who(change), "at": change.at}
            for change in order.history.all()
        ]
    return out


@router.get("/orders", response={200: OrderList, 422: Invalid}, summary="List orders, newest first")
def order_list(request, params: Query[OrderListParams]):
    if params.status and params.status not in Status.values:
        raise ValidationError({"status": _("Choose one of: %(statuses)s.") % {"statuses": ", ".join(Status.values)}})
    f = queries.OrderFilter(status=params.status, customer=params.customer, since=params.since, until=params.until)
    rows, next_cursor = queries.order_page(f, cursor=params.cursor or None, limit=params.limit)
    return {"items": [order_out(o, details=False) for o in rows], "next_cursor": next_cursor}


@router.get("/orders/{int:order_id}", response={200: OrderOut, 404: ErrorOut})
def order_get(request, order_id: int):
    return order_out(queries.order_detail(order_id))


@router.post("/orders", response={201: OrderOut, 200: OrderOut, 404: ErrorOut, 422: Invalid},
             summary="Place an order on a customer's behalf")  # fmt: skip
def order_create(request, payload: OrderIn):
    customer = get_object_or_404(Customer, pk=payload.customer, deleted_at__isnull=True)
    wanted, unknown = services.wanted_products([(line.product, line.quantity) for line in payload.lines], by="id")
    key = (request.headers.get("Idempotency-Key") or "").strip()[:64] or None
    placed_before = key is not None and Order.objects.filter(submission_key=key, customer=customer).exists()
    order = services.order_place_once(
        actor=request.user, customer=customer, wanted=wanted, unknown=unknown, coupon_code=payload.coupon,
        comment=payload.comment, address=payload.delivery_address, delivery_date=payload.delivery_date,
        source=Source.API, submission_key=key,
    )  # fmt: skip
    return Answer(200 if placed_before else 201, order_out(queries.order_detail(order.pk)))


@router.post("/orders/{int:order_id}/transition", response={200: OrderOut, 404: ErrorOut, 409: ErrorOut, 422: Invalid},
             summary="Move an order to its next status, or cancel it")  # fmt: skip
def order_transition(request, order_id: int, payload: TransitionIn):
    """new → confirmed → in_production → shipped → delivered; cancelled from any status before shipped. Any other
    step is refused with 409 and what the order can go to."""
    order = get_object_or_404(Order, pk=order_id)
    services.order_transition(actor=request.user, order=order, to=payload.to)
    return order_out(queries.order_detail(order_id))


class CouponIn(In):
    code: Text
    percent: Amount | None = Field(None, description="Percent off, 0-100; or `amount`")
    amount: Amount | None = Field(None, description="Amount off in the base currency; or `percent`")
    valid_from: date | None = None
    valid_until: date | None = None
    max_uses: int | None = Field(None, ge=1)
    min_order: Amount | None = Field(None, description="In the base currency")
    customers: list[int] | None = Field(
        None, max_length=services.COUPON_CUSTOMERS_MAX, description="Only for these customers (ids)"
    )


class CouponOut(BaseModel):
    id: int
    code: str
    percent: str | None
    amount: str | None
    valid_from: date | None
    valid_until: date | None
    max_uses: int | None
    uses: int
    min_order: str | None
    customers: list[int]


def coupon_out(coupon: Coupon) -> dict:
    def number(value):
        return None if value is None else plain_number(value)

    return {"id": coupon.pk, "code": coupon.code, "percent": number(coupon.percent), "amount": number(coupon.amount),
            "valid_from": coupon.valid_from, "valid_until": coupon.valid_until, "max_uses": coupon.max_uses,
            "uses": coupon.uses, "min_order": number(coupon.min_order),
            "customers": [c.pk for c in coupon.customers.all()]}  # fmt: skip


@router.get("/coupons", response={200: list[CouponOut]}, tags=["coupons"], summary="List coupons")
def coupon_list(request):
    return [coupon_out(c) for c in Coupon.objects.prefetch_related("customers")[:1000]]


@router.post("/coupons", response={201: CouponOut, 422: Invalid}, tags=["coupons"], summary="Create a coupon")
def coupon_create(request, payload: CouponIn):
    coupon = services.coupon_create(actor=request.user, data=payload.model_dump(exclude_unset=True))
    return Answer(201, coupon_out(coupon))


class LinkIn(In):
    expires_at: datetime | None = Field(None, description="When the link stops working; none: until replaced")


class LinkOut(BaseModel):
    url: str = Field(description="The customer's quick-order page; shown only this once")


def _optional_body(request, schema):
    """The request's JSON body read as `schema`, or None when there is none (a POST that needs no options)."""
    if not request.body.strip():
        return None
    try:
        return schema.model_validate_json(request.body)
    except PydanticValidationError as error:
        raise SchemaValidationError(error.errors(include_url=False)) from None


@router.post("/customers/{int:customer_id}/quick-order-link", response={201: LinkOut, 404: ErrorOut, 422: Invalid},
             tags=["quick-order"], summary="Make the customer's quick-order link",
             openapi_extra={"requestBody": {"required": False, "content": {"application/json": {
                 "schema": LinkIn.model_json_schema()}}}})  # fmt: skip
def link_create(request, customer_id: int):
    """A new personal link (256 random bits; only its hash is kept), replacing the one the customer had. The body
    is optional: {"expires_at": "2026-12-31T23:59:59Z"}."""
    customer = get_object_or_404(Customer, pk=customer_id, deleted_at__isnull=True)
    payload = _optional_body(request, LinkIn)
    token = portal_services.link_create(actor=request.user, customer=customer,
                                        expires_at=payload.expires_at if payload else None)  # fmt: skip
    return Answer(201, {"url": link_url(request, token)})


@router.delete("/customers/{int:customer_id}/quick-order-link", response={204: None, 404: ErrorOut},
               tags=["quick-order"], summary="Revoke the customer's quick-order link")  # fmt: skip
def link_revoke(request, customer_id: int):
    customer = get_object_or_404(Customer, pk=customer_id)
    if not portal_services.link_revoke(actor=request.user, customer=customer):
        return Answer(404, {"detail": _("This customer has no quick-order link.")})
    return Answer(204, None)
