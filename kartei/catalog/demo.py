"""A demo catalog: what a small food wholesaler sells, named in German, Polish and English, priced in the base
currency (the amounts are meant as euros) with a few fixed złoty prices, and exchange rates for PLN, CHF and
GBP."""

import random
from decimal import Decimal

from django.utils import timezone

from kartei.core import bulk

from .models import ExchangeRate, Product, Unit
from .pricing import base_currency
from .queries import catalog_changed
from .services import product_create, search_fields_refresh

RATES = {"PLN": Decimal("4.30"), "CHF": Decimal("0.94"), "GBP": Decimal("0.86")}
# (SKU, German, Polish, English, unit, base price, minimum, pack, fixed PLN price or None)
PRODUCTS = [
    ("BRT-500", "Roggenbrot 500 g", "Chleb żytni 500 g", "Rye bread 500 g", "piece", "3.20", 1, 6, None),
    ("BRT-750", "Bauernbrot 750 g", "Chleb wiejski 750 g", "Farmhouse loaf 750 g", "piece", "4.10", 1, 6, None),
    ("BRO-10", "Brötchen, 10 Stück", "Bułki, 10 sztuk", "Bread rolls, pack of 10", "pack", "2.90", 1, 1, None),
    ("BRZ-01", "Laugenbrezel", "Precel", "Pretzel", "piece", "0.85", 10, 10, None),
    (
        "KAF-1000",
        "Kaffeebohnen Crema 1 kg",
        "Kawa ziarnista Crema 1 kg",
        "Coffee beans Crema 1 kg",
        "kg",
        "18.90",
        1,
        1,
        "79.00",
    ),
    (
        "KAF-250",
        "Filterkaffee gemahlen 250 g",
        "Kawa mielona 250 g",
        "Ground filter coffee 250 g",
        "pack",
        "5.40",
        1,
        1,
        None,
    ),
    (
        "TEE-100",
        "Schwarzer Tee, 100 Beutel",
        "Herbata czarna, 100 torebek",
        "Black tea, 100 bags",
        "box",
        "6.80",
        1,
        1,
        None,
    ),
    (
        "TEE-GR",
        "Grüner Tee lose 500 g",
        "Herbata zielona liściasta 500 g",
        "Loose green tea 500 g",
        "pack",
        "14.50",
        1,
        1,
        None,
    ),
    (
        "SFT-APF",
        "Apfelsaft naturtrüb 1 l",
        "Sok jabłkowy mętny 1 l",
        "Cloudy apple juice 1 l",
        "piece",
        "1.95",
        6,
        6,
        "8.49",
    ),
    ("SFT-ORA", "Orangensaft 1 l", "Sok pomarańczowy 1 l", "Orange juice 1 l", "piece", "2.25", 6, 6, None),
    (
        "WAS-15",
        "Mineralwasser still 1,5 l",
        "Woda mineralna niegazowana 1,5 l",
        "Still mineral water 1.5 l",
        "piece",
        "0.69",
        6,
        6,
        "2.99",
    ),
    ("MIL-1", "Vollmilch 3,5 % 1 l", "Mleko pełne 3,5% 1 l", "Whole milk 3.5% 1 l", "l", "1.29", 12, 12, None),
    ("BUT-250", "Süßrahmbutter 250 g", "Masło extra 250 g", "Sweet cream butter 250 g", "piece", "2.79", 1, 1, None),
    ("KAE-GOU", "Gouda jung, am Stück", "Gouda młoda, w kawałku", "Young Gouda, whole piece", "kg", "9.90", 1, 1, None),
    ("HON-500", "Blütenhonig 500 g", "Miód wielokwiatowy 500 g", "Blossom honey 500 g", "piece", "6.49", 1, 1, None),
    (
        "MAR-ERD",
        "Erdbeerkonfitüre 450 g",
        "Dżem truskawkowy 450 g",
        "Strawberry jam 450 g",
        "piece",
        "3.49",
        1,
        1,
        None,
    ),
    (
        "MEH-405",
        "Weizenmehl Type 405, 25 kg",
        "Mąka pszenna typ 450, 25 kg",
        "Plain wheat flour, 25 kg",
        "pack",
        "21.00",
        1,
        1,
        "89.00",
    ),
    ("ZUC-1", "Zucker 1 kg", "Cukier 1 kg", "Sugar 1 kg", "kg", "1.19", 10, 10, None),
    ("KEK-BUT", "Butterkekse 200 g", "Herbatniki maślane 200 g", "Butter biscuits 200 g", "pack", "1.59", 12, 12, None),
    (
        "SCH-ZAR",
        "Zartbitterschokolade 100 g",
        "Czekolada gorzka 100 g",
        "Dark chocolate 100 g",
        "piece",
        "1.89",
        20,
        20,
        None,
    ),
    (
        "BEC-300",
        "Kaffeebecher to go, 300 ml",
        "Kubki na kawę na wynos, 300 ml",
        "Takeaway coffee cups, 300 ml",
        "box",
        "24.90",
        1,
        1,
        None,
    ),
    (
        "SER-33",
        "Servietten 33 × 33 cm, 250 Stück",
        "Serwetki 33 × 33 cm, 250 sztuk",
        "Napkins 33 × 33 cm, 250",
        "pack",
        "4.95",
        1,
        1,
        None,
    ),
    (
        "PAL-MIX",
        "Mischpalette Getränke",
        "Paleta mieszana napojów",
        "Mixed drinks pallet",
        "pallet",
        "389.00",
        1,
        1,
        None,
    ),
    ("LIE-STD", "Lieferung, pro Stunde", "Dostawa, za godzinę", "Delivery, per hour", "h", "45.00", 1, 1, None),
]


def demo_catalog_add() -> int:
    """The demo products and exchange rates, into an empty catalog; how many products were added."""
    if Product.objects.exists():
        return 0
    base = base_currency()
    for currency, rate in RATES.items():
        if currency != base:
            ExchangeRate.objects.update_or_create(currency=currency, defaults={"rate": rate})
    for sku, de, pl, en, unit, price, minimum, pack, pln in PRODUCTS:
        product_create(actor=None, data={
            "sku": sku, "name_de": de, "name_pl": pl, "name_en": en, "unit": unit, "base_price": price,
            "min_quantity": minimum, "pack_size": pack, "prices": {"PLN": pln} if pln and base != "PLN" else {},
        })  # fmt: skip
    return len(PRODUCTS)


# A larger catalog for benchmarks (`kartei demo --products N`): kinds of goods in three languages, in sizes.
KINDS = [
    ("Roggenbrot", "Chleb żytni", "Rye bread"), ("Dinkelbrot", "Chleb orkiszowy", "Spelt bread"),
    ("Vollkornkeks", "Ciastko pełnoziarniste", "Wholemeal biscuit"), ("Apfelsaft", "Sok jabłkowy", "Apple juice"),
    ("Kaffeebohnen", "Kawa ziarnista", "Coffee beans"), ("Schwarztee", "Herbata czarna", "Black tea"),
    ("Olivenöl", "Oliwa z oliwek", "Olive oil"), ("Weizenmehl", "Mąka pszenna", "Wheat flour"),
    ("Honig", "Miód", "Honey"), ("Bio-Haferflocken", "Płatki owsiane bio", "Organic oat flakes"),
    ("Sauerkraut", "Kapusta kiszona", "Sauerkraut"), ("Gurken, eingelegt", "Ogórki kiszone", "Pickled cucumbers"),
    ("Butterkekse", "Herbatniki maślane", "Butter biscuits"), ("Mineralwasser", "Woda mineralna", "Mineral water"),
    ("Pflaumenmus", "Powidła śliwkowe", "Plum butter"), ("Senf, mittelscharf", "Musztarda", "Medium mustard"),
]  # fmt: skip
SIZES = ["250 g", "500 g", "750 g", "1 kg", "2,5 kg", "5 kg", "0,5 l", "1 l", "6 × 1 l", "12 Stück"]
BRANDS = ["Hofgut", "Mazurek", "Nordlicht", "Złoty Kłos", "Alpenland", "Bałtyk", "Sonnental", "Wisła"]


FIELDS = ["sku", "name_de", "name_pl", "name_en", "unit", "base_price", "min_quantity", "pack_size", "is_active",
          "search_text", "sort_name"]  # fmt: skip


def demo_products_add(count: int, *, seed: int = 42) -> int:
    """`count` more products, generated (SKUs DEMO-00001 …), written in one bulk insert."""
    rng, now = random.Random(seed), timezone.now()
    start = Product.objects.filter(sku__startswith="DEMO-").count()
    rows = []
    for n in range(start + 1, start + count + 1):
        (de, pl, en), size, brand = rng.choice(KINDS), rng.choice(SIZES), rng.choice(BRANDS)
        pack = rng.choice((1, 1, 1, 6, 10, 12))
        product = Product(sku=f"DEMO-{n:05d}", name_de=f"{brand} {de} {size}", name_pl=f"{brand} {pl} {size}",
                          name_en=f"{brand} {en} {size}", unit=rng.choice((Unit.PIECE, Unit.PACK, Unit.BOX)),
                          base_price=Decimal(rng.randint(49, 9999)) / 100, min_quantity=pack, pack_size=pack,
                          is_active=rng.random() > 0.03)  # fmt: skip
        search_fields_refresh(product)
        rows.append({**{field: getattr(product, field) for field in FIELDS}, "created_at": now, "updated_at": now})
    added = bulk.insert(Product, rows)
    catalog_changed()
    return added
