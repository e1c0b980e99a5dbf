"""Products and exchange rates. Endpoints parse, call a query or a service, and return; the rules live in
kartei.catalog.services and validation, shared with the products page."""

from datetime import datetime
from typing import Annotated

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Body, Field, Query, Router, Schema
from pydantic import BaseModel, BeforeValidator
from pydantic_core import PydanticCustomError

from kartei.catalog import queries, services
from kartei.catalog.models import Product, Unit
from kartei.catalog.pricing import base_currency, plain_number
from kartei.customers.models import Language

from .schemas import ErrorOut, In, Text, choice
from .schemas import ValidationErrorOut as Invalid

try:
    from ninja import Status as Answer
except ImportError:  # older django-ninja takes a (status, body) tuple

    def Answer(status_code, value):  # noqa: N802
        return status_code, value


router = Router(tags=["products"])


def _amount(value):
    """An amount as the services read it: a decimal string ("12.50", exact) or a JSON number, never true/false."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise PydanticCustomError("decimal_type", _('Send the amount as a decimal string, such as "12.50".'))
    return value if isinstance(value, str) else repr(value)


Amount = Annotated[Text, BeforeValidator(_amount)]


class ProductFields(In):
    sku: Text = Field(None, description="Letters, digits and . _ / -; unique, whatever the case")  # type: ignore[assignment]
    name: Text = Field(None, description="The name in the catalog's language (KARTEI_CATALOG_LANGUAGE)")  # type: ignore[assignment]
    names: dict[Text, Text] | None = Field(None, description='Names per language: {"de": …, "pl": …, "en": …}')
    descriptions: dict[Text, Text] | None = Field(None, description="Descriptions per language, like names")
    unit: Text = choice(Unit.values, "What one is: piece, kg, box …")  # type: ignore[assignment]
    base_price: Amount = Field(None, description='In the base currency, as a decimal string such as "12.50"')  # type: ignore[assignment]
    prices: dict[Text, Amount | None] | None = Field(
        None, description='Fixed prices in other currencies, {"PLN": "55.00"}; all of them (replaces the old ones)'
    )
    active: bool = Field(None, description="false: no longer offered to customers")  # type: ignore[assignment]
    min_quantity: int = Field(None, description="The least a customer orders at once (default 1)")  # type: ignore[assignment]
    pack_size: int = Field(None, description="Ordered in multiples of it (default 1)")  # type: ignore[assignment]


class ProductCreate(ProductFields):
    """A new product: `sku`, `base_price` and its name in the catalog's language (`name`, or in `names`)."""


class ProductPatch(ProductFields):
    """Only the fields sent change."""


class ProductOut(BaseModel):
    id: int
    sku: str
    name: str = Field(description="In the request's language (Accept-Language), else the catalog's")
    names: dict[str, str]
    descriptions: dict[str, str]
    unit: str
    base_price: str
    currency: str = Field(description="The base currency, which base_price is in")
    prices: dict[str, str]
    active: bool
    min_quantity: int
    pack_size: int
    image: str | None
    created_at: datetime
    updated_at: datetime


class ProductList(BaseModel):
    items: list[ProductOut]
    next_cursor: str | None


class ProductListParams(Schema):
    q: Text = Field("", max_length=200, description="Words of the SKU or of a name, in any language")
    active: bool | None = Field(None, description="true: only products offered; false: only those no longer offered")
    cursor: Text = Field("", max_length=4000, description="next_cursor of the previous page, as it was")
    limit: int = Field(50, ge=1, le=200)


def product_out(product: Product) -> dict:
    return {
        "id": product.pk,
        "sku": product.sku,
        "name": product.name(),
        "names": {code: getattr(product, f"name_{code}") for code in Language.values},
        "descriptions": {code: getattr(product, f"description_{code}") for code in Language.values},
        "unit": product.unit,
        "base_price": plain_number(product.base_price),
        "currency": base_currency(),
        "prices": {p.currency: plain_number(p.price) for p in product.prices.all()},
        "active": product.is_active,
        "min_quantity": product.min_quantity,
        "pack_size": product.pack_size,
        "image": product.image.url if product.image else None,
        "created_at": product.created_at,
        "updated_at": product.updated_at,
    }


def _service_data(payload: ProductFields) -> dict:
    """The body as the services take it: a field per language, `is_active`."""
    sent = payload.model_dump(exclude_unset=True)
    data = {k: sent[k] for k in ("sku", "unit", "base_price", "prices", "min_quantity", "pack_size") if k in sent}
    if "active" in sent:
        data["is_active"] = sent["active"]
    errors = {}
    for plural, field in (("names", "name"), ("descriptions", "description")):
        for code, text in (sent.get(plural) or {}).items():
            if code not in Language.values:
                errors[plural] = _("Use the languages de, pl and en.")
            else:
                data[f"{field}_{code}"] = text
    if "name" in sent:
        key = f"name_{settings.KARTEI_CATALOG_LANGUAGE}"
        if key in data and data[key] != sent["name"]:
            errors["name"] = _("Send the name once: in name, or in names, not different in both.")
        data[key] = sent["name"]
    if errors:
        raise ValidationError(errors)
    return data


@router.get("/products", response={200: ProductList, 422: Invalid}, summary="List and search products")
def product_list(request, params: Query[ProductListParams]):
    """Products by name, each with its fixed prices in other currencies."""
    f = queries.ProductFilter(q=params.q.strip(), active=params.active)
    rows, next_cursor = queries.product_page(f, cursor=params.cursor or None, limit=params.limit)
    return {"items": [product_out(p) for p in rows], "next_cursor": next_cursor}


@router.post("/products", response={201: ProductOut, 422: Invalid}, summary="Create a product")
def product_create(request, payload: ProductCreate):
    product = services.product_create(actor=request.user, data=_service_data(payload))
    return Answer(201, product_out(queries.product_detail(product.pk)))


@router.get("/products/{int:product_id}", response={200: ProductOut, 404: ErrorOut})
def product_get(request, product_id: int):
    return product_out(queries.product_detail(product_id))


@router.patch("/products/{int:product_id}", response={200: ProductOut, 404: ErrorOut, 422: Invalid})
def product_update(request, product_id: int, payload: ProductPatch):
    product = queries.product_detail(product_id)
    services.product_update(actor=request.user, product=product, data=_service_data(payload))
    return product_out(queries.product_detail(product_id))


@router.get("/exchange-rates", response={200: dict[str, str]}, summary="The exchange rates")
def rates_get(request):
    """What one unit of the base currency buys in each other currency: {"PLN": "4.3", …}."""
    return {currency: plain_number(rate) for currency, rate in queries.exchange_rates().items()}


@router.put("/exchange-rates", response={200: dict[str, str], 403: ErrorOut, 422: Invalid},
            summary="Set the exchange rates")  # fmt: skip
def rates_put(request, payload: dict[Text, Amount] = Body(...)):  # noqa: B008 (ninja's way to name a body)
    """All the rates, {"PLN": "4.30", …} against the base currency; a currency left out has no rate any more.
    Only owners set them (403)."""
    rates = services.exchange_rates_set(actor=request.user, rates=payload)
    return {currency: plain_number(rate) for currency, rate in rates.items()}
