"""Reads shared by the products page, the API and the quick-order page."""

import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache

from kartei.core.pagination import keyset_page
from kartei.customers.search.folding import words

from .models import ExchangeRate, Product

QUERY_MAX = 200  # characters of a search that are looked at


@dataclass(frozen=True)
class ProductFilter:
    q: str = ""
    active: bool | None = True  # None: active or not

    @classmethod
    def from_query(cls, params) -> "ProductFilter":
        shown = (params.get("active") or "").strip().lower()
        active = {"all": None, "0": False, "false": False, "no": False}.get(shown, True)
        return cls(q=(params.get("q") or "").strip()[:QUERY_MAX], active=active)

    @property
    def active_param(self) -> str:
        """The `active` parameter of a link to this filter ("" for the default: active products)."""
        return "" if self.active else "all" if self.active is None else "0"


def products_matching(f: ProductFilter):
    """The products whose SKU or name (in any language) has every word of `f.q` in it, accents and case aside."""
    products = Product.objects.all()
    if f.active is not None:
        products = products.filter(is_active=f.active)
    for word in words(f.q)[:10]:
        products = products.filter(search_text__contains=word)
    return products


def product_page(f: ProductFilter, *, cursor: str | None = None, limit: int = 50):
    """One page of the products a filter selects, by name, with their fixed prices; and the next page's cursor."""
    products = products_matching(f).prefetch_related("prices")
    return keyset_page(products, sort="name", key="sort_name", descending=False, cursor=cursor, limit=limit)


def product_detail(pk: int) -> Product:
    return Product.objects.prefetch_related("prices").get(pk=pk)


CATALOG_VERSION = "catalog-version"


def catalog_version(known: str | None = None) -> str:
    """A name for the catalog as it is now (products, prices, exchange rates), changed by every change to it:
    pages rendered from the catalog are kept under it (portal.views) and never outlive a change. `known`: the
    version as read from the cache already, together with other keys (cache.get_many)."""
    version = known or cache.get(CATALOG_VERSION)
    if version is None:
        cache.add(CATALOG_VERSION, uuid.uuid4().hex, None)
        version = cache.get(CATALOG_VERSION)
    return version


def catalog_changed() -> None:
    cache.set(CATALOG_VERSION, uuid.uuid4().hex, None)


def exchange_rates() -> dict[str, Decimal]:
    """Currency → how much of it one unit of the base currency buys."""
    return dict(ExchangeRate.objects.values_list("currency", "rate"))
