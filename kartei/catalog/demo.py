"""A demo catalog: what a small food wholesaler sells, named in German, Polish and English, priced in the base
currency (the amounts are meant as euros) with a few fixed złoty prices, and exchange rates for PLN, CHF and
GBP."""

from decimal import Decimal

from .models import ExchangeRate, Product
from .pricing import base_currency
from .services import product_create

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
