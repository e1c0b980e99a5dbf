"""The products page, a product's form, bulk price changes and the exchange rates. Each view parses the request,
calls one query or service, and renders."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from kartei.accounts.queries import is_owner
from kartei.core.errors import errors_to_form
from kartei.core.htmx import htmx_done, render_page
from kartei.core.pagination import BadCursor

from . import queries, services
from .forms import ProductForm
from .models import PriceChange, Product
from .pricing import NoPrice, base_currency, list_price, plain_number

PAGE_SIZE = 50


def _list_url(f: queries.ProductFilter) -> str:
    params = urlencode({k: v for k, v in (("q", f.q), ("active", f.active_param)) if v})
    return reverse("catalog:list") + (f"?{params}" if params else "")


def _with_prices(products: list[Product], rates: dict) -> list[Product]:
    """Each product's price in every currency with a rate or a fixed price (`shown_prices`: [(currency, price,
    fixed)]), for the list."""
    for product in products:
        fixed = {p.currency for p in product.prices.all()}
        shown = []
        for currency in sorted(set(rates) | fixed):
            try:
                shown.append((currency, list_price(product, currency, rates), currency in fixed))
            except NoPrice:
                continue
        product.shown_prices = shown
    return products


@vary_on_headers("HX-Request")
def product_list(request):
    f = queries.ProductFilter.from_query(request.GET)
    cursor = request.GET.get("cursor") or None
    try:
        products, next_cursor = queries.product_page(f, cursor=cursor, limit=PAGE_SIZE)
    except BadCursor:
        return redirect("catalog:list")
    context = {
        "filter": f,
        "products": _with_prices(products, queries.exchange_rates()),
        "next_cursor": next_cursor,
        "base_currency": base_currency(),
        "is_empty_catalog": not cursor and not products and not Product.objects.exists(),
    }
    if cursor:
        return render(request, "catalog/products.html#rows", context)
    return render_page(request, "catalog/products.html", context, partial="results")


def _product_or_404(pk: int) -> Product:
    try:
        return queries.product_detail(pk)
    except Product.DoesNotExist:
        raise Http404 from None


def _currencies(product: Product | None) -> dict:
    """Currency → its exchange rate (None without one), for every currency a fixed price can be set in."""
    rates = queries.exchange_rates()
    own = {p.currency for p in product.prices.all()} if product is not None else set()
    return {currency: rates.get(currency) for currency in sorted(set(rates) | own)}


def _form_page(request, form, product=None):
    context = {"form": form, "product": product, "base_currency": base_currency()}
    status = 422 if form.errors or form.price_errors else 200
    return render(request, "catalog/product_form.html", context, status=status)


def _apply_errors(form, error: ValidationError) -> None:
    """The prices' errors beside the price rows, the rest as every form puts them (errors_to_form)."""
    errors = dict(error.error_dict)
    form.price_errors += [message for e in errors.pop("prices", []) for message in e.messages]
    errors_to_form(form, ValidationError(errors))


def product_create(request):
    if request.method == "POST":
        form = ProductForm(request.POST, request.FILES, currencies=_currencies(None))
        if form.is_valid():
            try:
                product = services.product_create(actor=request.user, data=form.service_data())
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("%(sku)s %(name)s was added.") % {"sku": product.sku,
                                                                              "name": product.name()})  # fmt: skip
                if "another" in request.POST:
                    return redirect("catalog:create")
                return redirect(_list_url(queries.ProductFilter(q=product.sku)))
    else:
        form = ProductForm(currencies=_currencies(None))
    return _form_page(request, form)


def product_edit(request, pk: int):
    product = _product_or_404(pk)
    if request.method == "POST":
        form = ProductForm(request.POST, request.FILES, currencies=_currencies(product))
        if form.is_valid():
            try:
                product = services.product_update(actor=request.user, product=product, data=form.service_data())
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Changes to %(sku)s were saved.") % {"sku": product.sku})
                return redirect(_list_url(queries.ProductFilter(q=product.sku, active=None)))
    else:
        form = ProductForm(initial=ProductForm.initial_of(product), currencies=_currencies(product))
    return _form_page(request, form, product)


@require_POST
def product_set_active(request, pk: int):
    """Deactivate (active=0) or reactivate (active=1) a product; the message offers the way back."""
    product = _product_or_404(pk)
    active = request.POST.get("active") == "1"
    services.product_set_active(actor=request.user, product=product, active=active)
    if active:
        messages.success(request, _("%(sku)s is offered again.") % {"sku": product.sku})
    else:
        messages.success(request, _("%(sku)s is no longer offered. Orders that name it keep it.")
                         % {"sku": product.sku})  # fmt: skip
    return redirect(request.POST.get("next") if _is_local(request.POST.get("next")) else reverse("catalog:list"))


def _is_local(url: str | None) -> bool:
    return bool(url) and url_has_allowed_host_and_scheme(url, allowed_hosts=None)


def price_change(request):
    """GET: the dialog that asks by how much; POST: change the prices of the chosen products (`product` ids) or,
    with none chosen, of every product the filter selects."""
    f = queries.ProductFilter.from_query(request.POST if request.method == "POST" else request.GET)
    chosen = [int(pk) for pk in (request.POST.getlist("product") or request.GET.getlist("product")) if pk.isdigit()]
    products = queries.products_matching(f)
    if chosen:
        products = products.filter(pk__in=chosen)
    count = products.count()
    context = {"filter": f, "chosen": chosen, "count": count, "percent": request.POST.get("percent", "")}
    if request.method == "POST":
        try:
            change = services.prices_change(actor=request.user, products=products, percent=request.POST.get("percent"))
        except ValidationError as error:
            context["error"] = " ".join(error.messages)
            return render_page(request, "catalog/price_change.html", context, partial="dialog", status=422)
        messages.success(
            request,
            ngettext(
                "The prices of %(count)d product were changed by %(percent)s %%.",
                "The prices of %(count)d products were changed by %(percent)s %%.",
                len(change.before),
            )
            % {"count": len(change.before), "percent": f"{change.percent:+}"},
            extra_tags=f"undo-prices:{change.pk}",
        )
        return htmx_done(redirect=_list_url(f)) if request.htmx else redirect(_list_url(f))
    return render_page(request, "catalog/price_change.html", context, partial="dialog")


@require_POST
def price_change_undo(request, pk: int):
    try:
        change = PriceChange.objects.get(pk=pk)
        result = services.price_change_undo(actor=request.user, change=change)
    except PriceChange.DoesNotExist:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("catalog:list")
    text = ngettext("The prices of %(count)d product are back.", "The prices of %(count)d products are back.",
                    result.restored) % {"count": result.restored}  # fmt: skip
    if result.kept:
        text += " " + _("Changed since, so left as they are: %(skus)s.") % {"skus": ", ".join(result.kept[:20])}
    messages.success(request, text)
    return redirect("catalog:list")


def exchange_rates(request):
    """The rates against the base currency: every member sees them, owners change them."""
    can_edit = is_owner(request.user)
    rates = queries.exchange_rates()
    error = None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        wanted = _rates_posted(request.POST)
        try:
            services.exchange_rates_set(actor=request.user, rates=wanted)
        except ValidationError as problem:
            error, rates = " ".join(problem.messages), wanted
        else:
            messages.success(request, _("The exchange rates were saved."))
            return redirect("catalog:rates")
    shown = {currency: plain_number(rate) for currency, rate in rates.items()}
    context = {"rates": shown, "can_edit": can_edit, "base_currency": base_currency(), "error": error}
    return render(request, "catalog/rates.html", context, status=422 if error else 200)


def _rates_posted(post) -> dict:
    """currency_N / rate_N pairs as the rates page sends them; rows without a rate are dropped (a rate removed)."""
    rates = {}
    for key in post:
        if key.startswith("currency_"):
            currency = post.get(key, "").strip().upper()
            rate = post.get("rate_" + key.removeprefix("currency_"), "").strip()
            if rate:  # a row with its rate emptied is a rate removed
                rates[currency] = rate
    return rates
