"""The products a business sells, their prices, and the exchange rates its other currencies are priced at."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kartei.customers.models import Language

SKU_UNIQUE = "product_sku_unique_ci"  # the services turn its refusal into a message next to the SKU
MONEY_DIGITS, MONEY_PLACES = 14, 3  # up to 99,999,999,999.999: three places for the dinar (KWD, BHD …)
RATE_DIGITS, RATE_PLACES = 18, 6


class Unit(models.TextChoices):
    PIECE = "piece", pgettext_lazy("unit", "piece")
    PACK = "pack", pgettext_lazy("unit", "pack")
    BOX = "box", pgettext_lazy("unit", "box")
    PALLET = "pallet", pgettext_lazy("unit", "pallet")
    KILOGRAM = "kg", pgettext_lazy("unit", "kg")
    GRAM = "g", pgettext_lazy("unit", "g")
    TONNE = "t", pgettext_lazy("unit", "t")
    LITRE = "l", pgettext_lazy("unit", "litre")
    METRE = "m", pgettext_lazy("unit", "m")
    SQUARE_METRE = "m2", pgettext_lazy("unit", "m²")
    CUBIC_METRE = "m3", pgettext_lazy("unit", "m³")
    HOUR = "h", pgettext_lazy("unit", "hour")
    SET = "set", pgettext_lazy("unit", "set")


class Product(models.Model):
    """A product as the catalog shows it: named and described in each language the business writes (the
    catalog's own language at least), priced in the base currency, optionally at a fixed price in others."""

    sku = models.CharField(_("SKU"), max_length=64)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_de = models.CharField(_("name (German)"), max_length=200, blank=True)
    name_pl = models.CharField(_("name (Polish)"), max_length=200, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_de = models.TextField(_("description (German)"), blank=True)
    description_pl = models.TextField(_("description (Polish)"), blank=True)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.PIECE)
    image = models.ImageField(_("image"), upload_to="products/", blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    base_price = models.DecimalField(_("base price"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    min_quantity = models.PositiveIntegerField(_("minimum order quantity"), default=1)
    pack_size = models.PositiveIntegerField(_("pack size"), default=1)
    # Folded SKU and names, which product search looks in (kept by the services).
    search_text = models.TextField(blank=True, editable=False)
    sort_name = models.CharField(max_length=200, blank=True, editable=False)  # the name folded, as lists sort it
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(Upper("sku"), name=SKU_UNIQUE)]
        indexes = [models.Index(fields=["sort_name", "id"], name="product_sort_name")]

    def __str__(self):
        return f"{self.sku} {self.name()}"

    def name(self, language: str | None = None) -> str:
        """The name in `language` (else the active one), else in the catalog's language, else any it has."""
        return self._in_language("name", language)

    def description(self, language: str | None = None) -> str:
        return self._in_language("description", language)

    def _in_language(self, field: str, language: str | None) -> str:
        from django.utils.translation import get_language

        wanted = [(language or get_language() or "")[:2], settings.KARTEI_CATALOG_LANGUAGE, *Language.values]
        for code in wanted:
            text = getattr(self, f"{field}_{code}", "")
            if text:
                return text
        return ""


class ProductPrice(models.Model):
    """A product's fixed price in a currency other than the base currency (else it is converted at the rate)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="prices")
    currency = models.CharField(max_length=3)
    price = models.DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["product", "currency"], name="product_price_unique")]

    def __str__(self):
        return f"{self.price} {self.currency}"


class ExchangeRate(models.Model):
    """How much of `currency` one unit of the base currency buys, as the owner set it."""

    currency = models.CharField(max_length=3, unique=True)
    rate = models.DecimalField(max_digits=RATE_DIGITS, decimal_places=RATE_PLACES)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["currency"]

    def __str__(self):
        return f"{self.currency} {self.rate}"


class PriceChange(models.Model):
    """A change of many products' prices by a percentage, kept so it can be undone."""

    percent = models.DecimalField(max_digits=7, decimal_places=2)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    # {product id: {"base": "12.50", "PLN": "55.00", …}}: the prices before and after, as text.
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    undone_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.percent:+} %"
