"""Orders (with their lines, priced when placed and kept so), their status workflow, and coupons."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kartei.catalog.models import MONEY_DIGITS, MONEY_PLACES, Product
from kartei.customers.models import Customer

COUPON_CODE_UNIQUE = "coupon_code_unique_ci"


class Status(models.TextChoices):
    NEW = "new", pgettext_lazy("order status", "New")
    CONFIRMED = "confirmed", pgettext_lazy("order status", "Confirmed")
    IN_PRODUCTION = "in_production", pgettext_lazy("order status", "In production")
    SHIPPED = "shipped", pgettext_lazy("order status", "Shipped")
    DELIVERED = "delivered", pgettext_lazy("order status", "Delivered")
    CANCELLED = "cancelled", pgettext_lazy("order status", "Cancelled")


# Where an order may go from each status: forward one step, or cancelled before it is shipped.
NEXT = {
    Status.NEW: (Status.CONFIRMED, Status.CANCELLED),
    Status.CONFIRMED: (Status.IN_PRODUCTION, Status.CANCELLED),
    Status.IN_PRODUCTION: (Status.SHIPPED, Status.CANCELLED),
    Status.SHIPPED: (Status.DELIVERED,),
    Status.DELIVERED: (),
    Status.CANCELLED: (),
}


class Source(models.TextChoices):
    QUICK_ORDER = "quick_order", _("Quick-order link")
    STAFF = "staff", _("Staff, for the customer")
    API = "api", _("API")


def money_field(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, **kwargs)


class Coupon(models.Model):
    """A discount a code gives: a percentage, or an amount in the base currency (converted at the exchange rate
    for orders in other currencies), within its dates, uses and minimum order, for everyone or some customers."""

    code = models.CharField(_("code"), max_length=40)
    percent = models.DecimalField(_("percent off"), max_digits=5, decimal_places=2, null=True, blank=True)
    amount = money_field(_("amount off"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    max_uses = models.PositiveIntegerField(_("maximum uses"), null=True, blank=True)
    uses = models.PositiveIntegerField(default=0)
    min_order = money_field(_("minimum order"), null=True, blank=True)
    customers = models.ManyToManyField(Customer, blank=True, related_name="coupons")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(Upper("code"), name=COUPON_CODE_UNIQUE)]
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.code


class Order(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="orders")
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.NEW)
    source = models.CharField(_("source"), max_length=15, choices=Source.choices)
    currency = models.CharField(_("currency"), max_length=3)
    discount_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)  # the customer's
    coupon = models.ForeignKey(Coupon, null=True, blank=True, on_delete=models.SET_NULL, related_name="orders")
    coupon_code = models.CharField(max_length=40, blank=True)
    coupon_discount = money_field(_("coupon discount"), default=0)
    subtotal = money_field(_("subtotal"))
    total = money_field(_("total"))
    # The total in the base currency at the day's exchange rate (None if the owner had set none): what the
    # customer's orders total sums.
    total_base = money_field(_("total in the base currency"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    delivery_address = models.JSONField(default=dict, blank=True)  # as it was when ordered
    delivery_date = models.DateField(_("requested delivery date"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # What a client sent with the order to make sending it twice place it once (a double click, a reload).
    submission_key = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        indexes = [
            models.Index(fields=["created_at", "id"], name="order_newest"),
            models.Index(fields=["status", "created_at", "id"], name="order_status_newest"),
            models.Index(fields=["customer", "created_at", "id"], name="order_customer_newest"),
        ]

    def __str__(self):
        return self.number

    @property
    def next_statuses(self) -> tuple:
        return NEXT[Status(self.status)]


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="order_lines")
    sku = models.CharField(max_length=64)  # as the product was when ordered
    name = models.CharField(max_length=200)
    quantity = models.PositiveIntegerField()
    list_price = money_field(_("list price"))
    unit_price = money_field(_("unit price"))
    total = money_field(_("line total"))

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.quantity} × {self.sku}"


class StatusChange(models.Model):
    """One step of an order's history: who moved it from which status to which, and when."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=15, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=15, choices=Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    by_customer = models.BooleanField(default=False)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"
