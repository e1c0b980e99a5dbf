"""The customer's quick-order page, reached by their personal link without logging in: the catalog at their own
prices, in their language and currency; a cart kept in their browser's session; ordering. Opening the link (GET or
HEAD, as mail scanners and link previews do) changes nothing; every change is a POST.

A wrong link (unknown, replaced, revoked, expired, or its customer deactivated) gets the same friendly page in the
browser's language, which says nothing about any customer; an address trying many gets 429."""

import secrets
import threading
from collections import OrderedDict
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kartei.accounts.client import client_address
from kartei.catalog.models import Product
from kartei.catalog.queries import CATALOG_VERSION, ProductFilter, catalog_version, product_page
from kartei.core.formatting import money
from kartei.core.pagination import BadCursor
from kartei.customers.models import Language
from kartei.customers.services import customer_addresses
from kartei.orders.models import Order, Source
from kartei.orders.quotes import order_currency, quote
from kartei.orders.services import order_place_once, parsed_lines, wanted_products
from kartei.timeline.actors import CUSTOMER

from . import services
from .mail import send_confirmation

BAD_TOKENS_PER_MINUTE = 20
PAGE_SIZE = 50


def _language(request, customer) -> str:
    chosen = request.session.get("portal_language")
    return chosen if chosen in Language.values else customer.preferred_language or translation.get_language()


def linked_page(resolve, *, link: str = "quick_order"):
    """A page a customer opens with a personal link: `resolve` turns its token into the customer (else the
    wrong-link page, or 429 after too many wrong ones from one address), shown in the customer's language.
    `link` names the kind of link for the wrong-link page ("quick_order", "reply")."""

    def decorator(view):
        @login_not_required
        @never_cache
        @wraps(view)
        def wrapped(request, token, *args, **kwargs):
            key = f"portal-bad-tokens:{client_address(request)}"
            # One cache read for both: the address's wrong tokens, and the catalog version pages are kept under.
            found = cache.get_many([key, CATALOG_VERSION])
            request.catalog_version = catalog_version(found.get(CATALOG_VERSION))
            if (found.get(key) or 0) >= BAD_TOKENS_PER_MINUTE:
                return render(request, "portal/unknown.html", {"too_many": True, "link": link}, status=429)
            customer = resolve(token)
            if customer is None:
                if not cache.add(key, 1, 60):
                    try:
                        cache.incr(key)
                    except ValueError:  # it expired a moment ago: a new minute begins
                        cache.add(key, 1, 60)
                return render(request, "portal/unknown.html", {"too_many": False, "link": link}, status=404)
            with translation.override(_language(request, customer)):
                response = view(request, token, customer, *args, **kwargs)
                response["Content-Language"] = translation.get_language()
            response["X-Robots-Tag"] = "noindex, nofollow"
            # The token is in the URL: another site never gets it as a referrer. (Not "no-referrer": browsers
            # then send "Origin: null" with the page's own forms, which the CSRF check rightly refuses.)
            response["Referrer-Policy"] = "same-origin"
            return response

        return wrapped

    return decorator


quick_order_page = linked_page(services.link_customer)


def _cart_key(customer) -> str:
    return f"portal-cart:{customer.pk}"


def _cart(request, customer) -> dict[int, int]:
    return {int(pk): quantity for pk, quantity in request.session.get(_cart_key(customer), {}).items()}


def _keep_cart(request, customer, cart: dict[int, int]) -> None:
    request.session[_cart_key(customer)] = {str(pk): quantity for pk, quantity in cart.items() if quantity > 0}


def _cart_wanted(request, customer):
    """The cart's (product, quantity) pairs, products since deleted left out."""
    return wanted_products(list(_cart(request, customer).items()), by="id")[0]


def _cart_quote(request, customer):
    wanted = _cart_wanted(request, customer)
    return quote(customer, wanted) if wanted else None


def _context(request, token, customer, **extra) -> dict:
    """What the page and its parts show (the last orders come with the customer, and go in as `previous`). The
    addresses are read only when the cart asks where to deliver it: a first look costs one query, the link's."""
    cart = _cart_quote(request, customer)
    return {
        "token": token, "customer": customer, "customer_name": customer.name,
        "csrf_token": extra.pop("csrf_token", None) or _form_token(request),
        "business": settings.KARTEI_BUSINESS_NAME, "logo": settings.KARTEI_BUSINESS_LOGO,
        "currency": order_currency(customer), "languages": Language.choices, "cart": cart,
        "submission": secrets.token_urlsafe(16),
        "addresses": customer_addresses(customer) if cart and cart.lines else [],
        **extra,
    }  # fmt: skip


# What the quick-order page shows is rendered once and kept in this process: the products with their prices, and
# the page around them with an empty cart, the same for every customer with the same currency, discount and
# language but for their name and last orders; and each customer's whole page, until they change their cart or
# anything else on it changes. Kept under the catalog's version, so never past a change to a product, price or rate;
# the link, the form token, the submission key, the name and the last orders are put in as marks, replaced on every
# view.
_KEPT: OrderedDict[tuple, str] = OrderedDict()
_KEPT_LOCK = threading.Lock()
KEPT_PAGES = 500
_TOKEN_MARK, _CSRF_MARK, _SUBMISSION_MARK = secrets.token_hex(16), secrets.token_hex(16), secrets.token_hex(16)
_NAME_MARK, _PREVIOUS_MARK, _ROWS_MARK = secrets.token_hex(16), secrets.token_hex(16), secrets.token_hex(16)
_ORDER_MARKS = {part: secrets.token_hex(16) for part in ("number", "date", "total", "again")}


def _kept(key: tuple, render) -> str:
    with _KEPT_LOCK:
        html = _KEPT.get(key)
        if html is not None:
            _KEPT.move_to_end(key)
            return html
    html = render()
    with _KEPT_LOCK:
        _KEPT[key] = html
        while len(_KEPT) > KEPT_PAGES:
            _KEPT.popitem(last=False)
    return html


def _offers_marked(customer, q: str, cursor: str | None, version: str) -> str:
    """The offers partial (the catalog page `q` and `cursor` ask for, at the customer's prices, in the catalog
    as of `version`), with marks."""
    currency = order_currency(customer)

    def render():
        products, next_cursor = product_page(ProductFilter(q=q, active=True), cursor=cursor, limit=PAGE_SIZE)
        offers = quote(customer, [(p, max(p.min_quantity, p.pack_size)) for p in products]).lines
        context = {"offers": offers, "next_cursor": next_cursor, "q": q, "currency": currency, "token": _TOKEN_MARK,
                   "csrf_token": _CSRF_MARK}  # fmt: skip
        return render_to_string("portal/catalog.html#offers", context)

    language = translation.get_language()
    key = ("offers", version, currency, customer.discount_percent, language, q, cursor)
    return _kept(key, render)


def _page_marked(request, customer, q: str, cursor: str | None) -> str:
    """The whole page, with marks: it changes with the customer (their version counts every change of their
    details and addresses, their last order the list of orders), their cart and the catalog."""
    cart, version = tuple(sorted(_cart(request, customer).items())), request.catalog_version
    key = ("page", customer.pk, customer.version, customer.last_order_at, cart, translation.get_language(),
           version, q, cursor)  # fmt: skip

    def render():
        if not cart:
            return _empty_cart_page(request, customer, q, cursor, version)
        offers = mark_safe(_offers_marked(customer, q, cursor, version))  # noqa: S308
        previous = mark_safe(_last_orders_marked(customer))  # noqa: S308
        context = _context(request, _TOKEN_MARK, customer, offers_html=offers, q=q, csrf_token=_CSRF_MARK,
                           submission=_SUBMISSION_MARK, previous=previous)  # fmt: skip
        return render_to_string("portal/catalog.html", context, request=request)

    return _kept(key, render)


def _empty_cart_page(request, customer, q: str, cursor: str | None, version: str) -> str:
    """The whole page with an empty cart, with marks: the customer's name and last orders put into the page as it
    is for every customer with the same currency, discount and language (a first look costs no page of its own)."""
    key = ("empty cart", order_currency(customer), customer.discount_percent, translation.get_language(), version, q,
           cursor)  # fmt: skip

    def render():
        offers = mark_safe(_offers_marked(customer, q, cursor, version))  # noqa: S308
        context = _context(request, _TOKEN_MARK, customer, offers_html=offers, q=q, csrf_token=_CSRF_MARK,
                           submission=_SUBMISSION_MARK, customer_name=_NAME_MARK, previous=_PREVIOUS_MARK)  # fmt: skip
        return render_to_string("portal/catalog.html", context, request=request)

    page = _kept(key, render).replace(_NAME_MARK, escape(customer.name))
    return page.replace(_PREVIOUS_MARK, _last_orders_marked(customer))


def _last_orders_marked(customer) -> str:
    """The customer's last orders, with marks: the section and its row are rendered once per language and each
    order put into the row (rendering the rows took most of a first look's time)."""
    if not customer.last_orders:
        return ""
    language = translation.get_language()
    context = {"order": _ORDER_MARKS, "csrf_token": _CSRF_MARK}
    row = _kept(("last order", language), lambda: render_to_string("portal/catalog.html#last-order", context))
    rows = []
    for order in customer.last_orders:
        shown = {
            "number": escape(order.number),
            "date": escape(date_format(timezone.localtime(order.created_at), "SHORT_DATE_FORMAT")),
            "total": escape(money(order.total, order.currency)),
            "again": reverse("portal:order_again", args=[_TOKEN_MARK, order.pk]),
        }
        html = row
        for name, value in shown.items():
            html = html.replace(_ORDER_MARKS[name], value)
        rows.append(html)
    section = _kept(("last orders", language),
                    lambda: render_to_string("portal/catalog.html#last-orders", {"rows": _ROWS_MARK}))  # fmt: skip
    return section.replace(_ROWS_MARK, "".join(rows))


def _unmarked(request, html: str, token: str) -> str:
    html = html.replace(_TOKEN_MARK, token).replace(_CSRF_MARK, _form_token(request))
    return html.replace(_SUBMISSION_MARK, secrets.token_urlsafe(16))


def _form_token(request) -> str:
    """The CSRF token of this response's forms, masked once for all of them (masking is a random string)."""
    if not hasattr(request, "_form_token"):
        request._form_token = get_token(request)
    return request._form_token


@quick_order_page
@require_http_methods(["GET", "HEAD"])
def catalog(request, token, customer):
    q = (request.GET.get("q") or "").strip()[:200]
    cursor = request.GET.get("cursor") or None
    try:
        if request.htmx and not request.htmx.boosted:
            offers = _offers_marked(customer, q, cursor, request.catalog_version)
            return HttpResponse(_unmarked(request, offers, token))
        return HttpResponse(_unmarked(request, _page_marked(request, customer, q, cursor), token))
    except BadCursor:  # a "More products" link from before the catalog changed, or a damaged one
        return _back(request, token)


def _back(request, token, anchor: str = ""):
    return redirect(reverse("portal:catalog", args=[token]) + anchor)


def _cart_answer(request, token, customer, **extra):
    """The cart, for htmx (its partial); otherwise back to the page."""
    if request.htmx:
        return render(request, "portal/catalog.html#cart", _context(request, token, customer, **extra),
                      status=422 if extra.get("problems") else 200)  # fmt: skip
    return _back(request, token, "#cart")


@quick_order_page
@require_POST
def cart_set(request, token, customer):
    """Put `quantity` of a product in the cart (0 takes it out)."""
    cart = _cart(request, customer)
    product = request.POST.get("product", "")
    quantity = request.POST.get("quantity", "")
    if product.isdigit() and Product.objects.filter(pk=int(product), is_active=True).exists():
        number = int(quantity) if quantity.isdigit() and len(quantity) < 8 else 0
        if request.POST.get("add"):
            number += cart.get(int(product), 0)
        cart[int(product)] = number
        _keep_cart(request, customer, cart)
    return _cart_answer(request, token, customer)


@quick_order_page
@require_POST
def cart_paste(request, token, customer):
    """Lines of "SKU quantity" pasted into the cart; each line that cannot be read or names no product is said."""
    pairs, problems = parsed_lines(request.POST.get("lines", ""))
    wanted, unknown = wanted_products(pairs)
    cart = _cart(request, customer)
    for product, quantity in wanted:
        if product.is_active:
            cart[product.pk] = cart.get(product.pk, 0) + quantity
        else:
            unknown.append(_("%(sku)s is no longer offered.") % {"sku": product.sku})
    _keep_cart(request, customer, cart)
    return _cart_answer(request, token, customer, problems=[*problems, *unknown], pasted=request.POST.get("lines", ""))


@quick_order_page
@require_POST
def order_again(request, token, customer, pk: int):
    """The lines of one of the customer's orders into the cart, at today's prices; what is no longer offered is
    said."""
    order = Order.objects.filter(customer=customer, pk=pk).prefetch_related("lines__product").first()
    problems = []
    if order is not None:
        cart = _cart(request, customer)
        for line in order.lines.all():
            if line.product.is_active:
                cart[line.product_id] = cart.get(line.product_id, 0) + line.quantity
            else:
                problems.append(_("%(sku)s %(name)s is no longer offered.") % {"sku": line.sku, "name": line.name})
        _keep_cart(request, customer, cart)
    return _cart_answer(request, token, customer, problems=problems)


@quick_order_page
@require_POST
def submit(request, token, customer):
    """Place the order of the cart, priced again here. Sent twice (a double click, a reload), it is placed once."""
    wanted = _cart_wanted(request, customer)
    address = request.POST.get("address", "")
    key = f"quick-{customer.pk}-{request.POST.get('submission', '')[:40]}"
    placed_before = Order.objects.filter(submission_key=key).exists()
    try:
        order = order_place_once(
            actor=CUSTOMER, customer=customer, wanted=wanted, comment=request.POST.get("comment", ""),
            address=int(address) if address.isdigit() else None,
            delivery_date=request.POST.get("delivery_date") or None, source=Source.QUICK_ORDER,
            submission_key=key,
        )  # fmt: skip
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {"order": error.messages}
        offers = _offers_marked(customer, "", None, request.catalog_version)
        offers = mark_safe(_unmarked(request, offers, token))  # noqa: S308
        previous = mark_safe(_unmarked(request, _last_orders_marked(customer), token))  # noqa: S308
        context = _context(request, token, customer, errors=errors, values=request.POST, offers_html=offers, q="",
                           previous=previous)  # fmt: skip
        return render(request, "portal/catalog.html", context, status=422)
    _keep_cart(request, customer, {})
    if not placed_before:  # sent again (a reload): placed and confirmed once
        services.link_used(customer)
        send_confirmation(order)
    return redirect("portal:confirmation", token=token, pk=order.pk)


@quick_order_page
@require_http_methods(["GET", "HEAD"])
def confirmation(request, token, customer, pk: int):
    order = Order.objects.filter(customer=customer, pk=pk).prefetch_related("lines").first()
    if order is None:
        return _back(request, token)
    return render(request, "portal/confirmation.html", _context(request, token, customer, order=order))


@quick_order_page
@require_POST
def language(request, token, customer):
    language_keep(request)
    return _back(request, token)


def language_keep(request) -> None:
    """The language the customer chose on one of their pages, for all of them from now on."""
    chosen = request.POST.get("language", "")
    if chosen in Language.values:
        request.session["portal_language"] = chosen
