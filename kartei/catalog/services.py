"""Every change to the catalog: one function per use case, each in a transaction. The pages and the API call
these, so both follow the same rules."""

from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial, wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext as _

from kartei.accounts.queries import is_owner
from kartei.customers.models import Language
from kartei.customers.pictures import clean_picture
from kartei.customers.search.folding import fold, words
from kartei.customers.validation import clean_choice

from . import validation as v
from .models import SKU_UNIQUE, ExchangeRate, PriceChange, Product, ProductPrice, Unit
from .pricing import HUNDRED, base_currency, plain_number, rounded
from .queries import catalog_changed

NAME_FIELDS = [f"name_{code}" for code in Language.values]
DESCRIPTION_FIELDS = [f"description_{code}" for code in Language.values]
SCALAR_FIELDS = ["sku", *NAME_FIELDS, *DESCRIPTION_FIELDS, "unit", "base_price", "min_quantity", "pack_size",
                 "is_active"]  # fmt: skip


def catalog_change(service):
    """Pages rendered from the catalog are made again once the service's change is committed."""

    @wraps(service)
    def changing(*args, **kwargs):
        transaction.on_commit(catalog_changed)
        return service(*args, **kwargs)

    return changing


def catalog_name_field() -> str:
    """The name every product must have: in the catalog's own language (the others fall back to it)."""
    return f"name_{settings.KARTEI_CATALOG_LANGUAGE}"


def _duplicate_sku(sku: str) -> ValidationError:
    return ValidationError(
        {"sku": ValidationError(_("Another product has the SKU %(sku)s."), code="duplicate_sku", params={"sku": sku})}
    )


def product_clean(data: dict, *, product: Product | None = None) -> dict:
    """Clean the fields present in `data` (all of them on create); one ValidationError names every field that is
    wrong, so a form shows each message next to its field."""
    errors: dict[str, list] = {}
    cleaned: dict = {}

    def run(name, fn, *args, **kwargs):
        try:
            cleaned[name] = fn(*args, **kwargs)
        except ValidationError as error:
            errors.setdefault(name, []).extend(error.error_list)

    required_name = catalog_name_field()
    cleaners = {
        "sku": v.clean_sku,
        **{name: partial(v.clean_product_name, required=name == required_name) for name in NAME_FIELDS},
        **dict.fromkeys(DESCRIPTION_FIELDS, v.clean_description),
        "unit": lambda x: clean_choice(x, Unit),
        "base_price": v.clean_price,
        "min_quantity": lambda x: v.clean_quantity(x, label=_("The minimum order quantity")),
        "pack_size": lambda x: v.clean_quantity(x, label=_("The pack size")),
        "is_active": bool,
    }
    for name in SCALAR_FIELDS:
        if name in data:
            run(name, cleaners[name], data[name])
    if product is None:
        for name in ("sku", required_name, "base_price"):
            if name not in data:
                run(name, cleaners[name], "")
    if "prices" in data:
        run("prices", v.clean_prices, data["prices"])
    if data.get("image"):
        run("image", clean_picture, data["image"])
    if errors:
        raise ValidationError(errors)
    sku = cleaned.get("sku")
    if sku and _sku_taken(sku, product):
        raise _duplicate_sku(sku)
    return cleaned


def _sku_taken(sku: str, product: Product | None) -> bool:
    others = Product.objects.annotate(key=Upper("sku")).filter(key=sku.upper())
    if product is not None:
        others = others.exclude(pk=product.pk)
    return others.exists()


def search_fields_refresh(product: Product) -> None:
    """The folded SKU and names product search looks in, and the name lists sort by (also for bulk loads)."""
    sku_words = words(product.sku)
    names = [getattr(product, name) for name in NAME_FIELDS]
    name_words = [word for name in names for word in words(name)]
    product.search_text = " ".join(dict.fromkeys([*sku_words, "".join(sku_words), *name_words]))
    product.sort_name = fold(product.name(settings.KARTEI_CATALOG_LANGUAGE))[:200]


def _save(product: Product, cleaned: dict, *, remove_image: bool = False) -> Product:
    for name in SCALAR_FIELDS:
        if name in cleaned:
            setattr(product, name, cleaned[name])
    if cleaned.get("image"):
        if product.image:
            product.image.delete(save=False)
        product.image.save(cleaned["image"].name, cleaned["image"], save=False)
    elif remove_image and product.image:
        product.image.delete(save=False)
    search_fields_refresh(product)
    try:
        with transaction.atomic():
            product.save()
    except IntegrityError as error:
        if SKU_UNIQUE in str(error):  # someone stored a product with the same SKU at the same moment
            raise _duplicate_sku(product.sku) from None
        raise
    if "prices" in cleaned:
        product.prices.exclude(currency__in=list(cleaned["prices"])).delete()
        for currency, price in cleaned["prices"].items():
            ProductPrice.objects.update_or_create(product=product, currency=currency, defaults={"price": price})
        product._prefetched_objects_cache = {}
    return product


@transaction.atomic
@catalog_change
def product_create(*, actor, data: dict) -> Product:
    """A new product: SKU, name in the catalog's language and base price at least."""
    cleaned = product_clean(data)
    return _save(Product(), cleaned)


@transaction.atomic
@catalog_change
def product_update(*, actor, product: Product, data: dict) -> Product:
    """Change the fields present in `data`. `data["remove_image"]`: take the image away."""
    cleaned = product_clean(data, product=product)
    return _save(Product.objects.select_for_update().get(pk=product.pk), cleaned,
                 remove_image=bool(data.get("remove_image")))  # fmt: skip


@transaction.atomic
@catalog_change
def product_set_active(*, actor, product: Product, active: bool) -> Product:
    """An inactive product is kept (orders name it) but no longer offered."""
    Product.objects.filter(pk=product.pk).update(is_active=active, updated_at=timezone.now())
    product.is_active = active
    return product


def _prices_of(product: Product) -> dict[str, str]:
    """The product's prices as a price change keeps them: {"base": "12.5", "PLN": "55"} (equal amounts alike,
    however many zeros the database gives back)."""
    return {
        "base": plain_number(product.base_price),
        **{p.currency: plain_number(p.price) for p in product.prices.all()},
    }


def _changed(price: Decimal, currency: str, percent: Decimal) -> Decimal:
    return max(rounded(price * (HUNDRED + percent) / HUNDRED, currency), Decimal(0))


@transaction.atomic
@catalog_change
def prices_change(*, actor, products, percent) -> PriceChange:
    """Raise (or with a negative `percent`, lower) the base price and fixed prices of `products` (a queryset) by
    `percent`, each rounded to its currency's minor unit. Kept as a PriceChange, which price_change_undo undoes."""
    percent = v.clean_change_percent(percent)
    chosen = list(products.select_for_update().prefetch_related("prices").order_by("id"))
    if not chosen:
        raise ValidationError(_("No products are chosen."), code="empty")
    change = PriceChange(percent=percent, created_by=actor if getattr(actor, "pk", None) else None)
    fixed = []
    for product in chosen:
        change.before[str(product.pk)] = _prices_of(product)
        product.base_price = _changed(product.base_price, base_currency(), percent)
        for price in product.prices.all():
            price.price = _changed(price.price, price.currency, percent)
            fixed.append(price)
        change.after[str(product.pk)] = _prices_of(product)
    now = timezone.now()
    for product in chosen:
        product.updated_at = now
    Product.objects.bulk_update(chosen, ["base_price", "updated_at"], batch_size=500)
    ProductPrice.objects.bulk_update(fixed, ["price"], batch_size=500)
    change.save()
    return change


@dataclass
class PriceUndo:
    restored: int = 0
    kept: list[str] = field(default_factory=list)  # products whose prices were changed since: left as they are


@transaction.atomic
@catalog_change
def price_change_undo(*, actor, change: PriceChange) -> PriceUndo:
    """The prices before the change, for every product whose prices are still those the change set."""
    change = PriceChange.objects.select_for_update().get(pk=change.pk)
    if change.undone_at is not None:
        raise ValidationError(_("This price change was undone already."), code="undone")
    result = PriceUndo()
    products = Product.objects.select_for_update().prefetch_related("prices").filter(pk__in=list(change.before))
    for product in products:
        if _prices_of(product) != change.after.get(str(product.pk)):
            result.kept.append(product.sku)
            continue
        before = change.before[str(product.pk)]
        product.base_price = Decimal(before["base"])
        product.save(update_fields=["base_price", "updated_at"])
        for price in product.prices.all():
            if price.currency in before:
                price.price = Decimal(before[price.currency])
                price.save(update_fields=["price"])
        result.restored += 1
    change.undone_at = timezone.now()
    change.save(update_fields=["undone_at"])
    return result


@transaction.atomic
@catalog_change
def exchange_rates_set(*, actor, rates: dict) -> dict[str, Decimal]:
    """The exchange rates become `rates` (currency → rate against the base currency): currencies left out have
    none from now on. Only owners set them."""
    if not is_owner(actor):
        raise PermissionDenied
    cleaned = v.clean_rates(rates)
    ExchangeRate.objects.exclude(currency__in=list(cleaned)).delete()
    for currency, rate in cleaned.items():
        ExchangeRate.objects.update_or_create(currency=currency, defaults={"rate": rate, "updated_by": actor})
    return cleaned
