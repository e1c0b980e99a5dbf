from decimal import Decimal

from kartei.catalog import services


def make_product(**data):
    """A product created the way staff create one; `data` as the service takes it."""
    data.setdefault("sku", "SKU-1")
    data.setdefault("name_de", "Roggenbrot")
    data.setdefault("base_price", "4.50")
    return services.product_create(actor=None, data=data)


def rates(**by_currency):
    return {currency: Decimal(rate) for currency, rate in by_currency.items()}
