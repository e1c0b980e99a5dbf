"""The orders page, an order's page (with its steps and a printable confirmation), and ordering on a customer's
behalf. Each view parses the request, calls one query or service, and renders."""

import secrets

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers

from kartei.catalog.pricing import base_currency
from kartei.catalog.queries import ProductFilter, product_page
from kartei.core.errors import ConflictError
from kartei.core.htmx import render_page
from kartei.core.links import link_maker
from kartei.core.pagination import BadCursor
from kartei.customers.models import Customer
from kartei.customers.queries import CustomerFilter, customer_page
from kartei.customers.services import customer_addresses

from . import queries, services
from .models import Coupon, Order, Source, Status
from .quotes import order_currency, quote

PAGE_SIZE = 30  # orders a page shows; "Show more" adds the next


@vary_on_headers("HX-Request")
def order_list(request):
    f = queries.OrderFilter.from_query(request.GET)
    cursor = request.GET.get("cursor") or None
    try:
        orders, next_cursor = queries.order_page(f, cursor=cursor, limit=PAGE_SIZE)
    except BadCursor:
        return redirect("orders:list")
    order_link, customer_link = link_maker("orders:detail"), link_maker("customers:detail")
    for order in orders:
        order.link, order.customer_link = order_link(order.pk), customer_link(order.customer_id)
    context = {
        "filter": f,
        "orders": orders,
        "next_cursor": next_cursor,
        "statuses": Status.choices,
        "customer": Customer.objects.filter(pk=f.customer).first() if f.customer else None,
        "no_orders_yet": not cursor and not orders and not f.is_narrowed() and not Order.objects.exists(),
    }
    if cursor:
        return render(request, "orders/list.html#rows", context)
    return render_page(request, "orders/list.html", context, partial="results")


def _order_or_404(pk: int) -> Order:
    try:
        return queries.order_detail(pk)
    except Order.DoesNotExist:
        raise Http404 from None


def order_detail(request, pk: int):
    order = _order_or_404(pk)
    context = {"order": order, "next_statuses": _steps(order), "business": settings.KARTEI_BUSINESS_NAME}
    return render(request, "orders/detail.html", context)


def _steps(order: Order) -> list[tuple[str, str]]:
    return [(status, Status(status).label) for status in order.next_statuses]


def order_transition(request, pk: int):
    """POST: move the order to `to`. GET (cancelling): ask first, in a dialog."""
    order = _order_or_404(pk)
    to = request.POST.get("to") or request.GET.get("to") or ""
    if request.method != "POST":
        return render_page(request, "orders/confirm_cancel.html", {"order": order}, partial="dialog")
    try:
        order = services.order_transition(actor=request.user, order=order, to=to)
    except (ConflictError, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("Order %(number)s is now “%(status)s”.")
                         % {"number": order.number, "status": order.get_status_display()})  # fmt: skip
    return redirect("orders:detail", pk=order.pk)


def order_for_customer(request, customer: int):
    """Staff order on a customer's behalf: lines typed or pasted as "SKU quantity" (or added from the product
    search), a coupon, a comment, a delivery address and date. "Check" shows the order priced as it would be
    placed; "Place order" places it (priced again on the server)."""
    customer = get_object_or_404(Customer, pk=customer, deleted_at__isnull=True)
    addresses = customer_addresses(customer)
    values = {name: request.POST.get(name, "") for name in ("lines", "coupon", "comment", "address", "delivery_date")}
    context = {"customer": customer, "addresses": addresses, "values": values, "currency": order_currency(customer),
               "submission": request.POST.get("submission") or secrets.token_urlsafe(16), "quote": None, "errors": {},
               "line_problems": [], "coupon_problem": "", "blocked": False}  # fmt: skip
    if request.method != "POST":
        return render(request, "orders/form.html", context)
    pairs, line_problems = services.parsed_lines(values["lines"])
    wanted, unknown = services.wanted_products(pairs)
    address = int(values["address"]) if values["address"].isdigit() else None
    if request.POST.get("action") == "place" and not line_problems:
        try:
            order = services.order_place_once(
                actor=request.user, customer=customer, wanted=wanted, unknown=unknown, coupon_code=values["coupon"],
                comment=values["comment"], address=address, delivery_date=values["delivery_date"] or None,
                source=Source.STAFF, submission_key=f"staff-{request.user.pk}-{context['submission']}",
            )  # fmt: skip
        except ValidationError as error:
            context["errors"] = error.message_dict if hasattr(error, "error_dict") else {"order": error.messages}
        else:
            messages.success(request, _("Order %(number)s for %(name)s was placed.")
                             % {"number": order.number, "name": customer.name})  # fmt: skip
            return redirect("orders:detail", pk=order.pk)
    context["quote"] = quote(customer, wanted, coupon_code=values["coupon"]) if wanted or unknown else None
    context["line_problems"] = [*line_problems, *unknown]
    quoted = context["quote"]
    context["coupon_problem"] = (context["errors"].get("coupon") or [quoted.coupon_problem if quoted else ""])[0]
    context["blocked"] = bool(context["errors"] or context["line_problems"] or context["coupon_problem"]
                              or (quoted and not quoted.can_be_placed))  # fmt: skip
    context["placing"] = request.POST.get("action") == "place"
    return render(request, "orders/form.html", context, status=422 if context["blocked"] else 200)


def product_options(request):
    """Products matching what staff type in the order form's search, each with a button that adds a line."""
    f = ProductFilter(q=(request.GET.get("product_q") or "").strip()[:200])
    products = product_page(f, limit=8)[0] if f.q else []
    return render(request, "orders/form.html#product-options", {"products": products, "searched": f.q})


COUPON_FIELDS = ("code", "kind", "value", "valid_from", "valid_until", "max_uses", "min_order")


def coupons(request):
    """The coupons (newest first) and a form to add one; a coupon with an error keeps what was typed, the
    customers it was limited to included."""
    values, errors, chosen = {}, {}, []
    if request.method == "POST":
        values = {name: request.POST.get(name, "").strip() for name in COUPON_FIELDS}
        data = {k: v for k, v in values.items() if k != "kind" and k != "value"}
        data["percent" if values.get("kind") != "amount" else "amount"] = values.get("value", "")
        sent = request.POST.getlist("customers")
        data["customers"] = chosen = _chosen_ids(sent)
        try:
            if len(chosen) < len(set(sent)):  # never a coupon for everyone because a chosen customer was lost
                raise ValidationError({"customers": _("A chosen customer could not be read; choose them again.")})
            coupon = services.coupon_create(actor=request.user, data=data)
        except ValidationError as error:
            errors = {("value" if k in ("percent", "amount") else k): v for k, v in error.message_dict.items()}
        else:
            messages.success(request, _("The coupon %(code)s was added.") % {"code": coupon.code})
            return redirect("orders:coupons")
    context = {
        "coupons": Coupon.objects.prefetch_related(Prefetch("customers", Customer.objects.order_by("sort_name")))[:200],
        "values": values,
        "errors": errors,
        "chosen_customers": Customer.objects.filter(pk__in=chosen, deleted_at__isnull=True).order_by("sort_name"),
        "base_currency": base_currency(),
    }
    return render(request, "orders/coupons.html", context, status=422 if errors else 200)


def _chosen_ids(values: list[str]) -> list[int]:
    """The customer ids a form sent (a customer picked on the page always sends one), each once."""
    return list(dict.fromkeys(int(v) for v in values if v.isascii() and v.isdigit() and len(v) < 19))


def coupon_customer_options(request):
    """Customers matching what staff type when limiting a coupon, leaving out those already chosen."""
    q = (request.GET.get("customer_q") or "").strip()[:200]
    chosen = set(_chosen_ids(request.GET.getlist("customers")))
    found = customer_page(CustomerFilter.from_params(q=q), limit=8 + len(chosen))[0] if q else []
    options = [c for c in found if c.pk not in chosen][:8]
    return render(request, "orders/coupons.html#customer-options", {"options": options, "searched": q})
