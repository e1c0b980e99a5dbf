from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import get_currency_precision
from django.conf import settings
from django.db import migrations, models
from django.db.models import Max, Q, Sum


def fill(apps, schema_editor):
    """Each order's total in the base currency at today's rates, and each customer's last order and total."""
    Order = apps.get_model("orders", "Order")
    ExchangeRate = apps.get_model("catalog", "ExchangeRate")
    Customer = apps.get_model("customers", "Customer")
    base = settings.KARTEI_DEFAULT_CURRENCY
    rates = dict(ExchangeRate.objects.values_list("currency", "rate"))
    rates[base] = Decimal(1)
    unit = Decimal(1).scaleb(-get_currency_precision(base))
    changed = []
    for order in Order.objects.only("id", "currency", "total").iterator(chunk_size=2000):
        rate = rates.get(order.currency)
        if rate:
            order.total_base = (order.total / rate).quantize(unit, rounding=ROUND_HALF_UP)
            changed.append(order)
    Order.objects.bulk_update(changed, ["total_base"], batch_size=2000)
    figures = Order.objects.values("customer_id").annotate(
        last=Max("created_at"), total=Sum("total_base", filter=~Q(status="cancelled"))
    )
    for row in figures.iterator(chunk_size=2000):
        Customer.objects.filter(pk=row["customer_id"]).update(last_order_at=row["last"], orders_total=row["total"] or 0)


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0001_initial"),
        ("customers", "0008_order_figures"),
        ("catalog", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="order",
            name="total_base",
            field=models.DecimalField(
                blank=True, decimal_places=3, max_digits=14, null=True, verbose_name="total in the base currency"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
