"""Staff raise or lower many products' prices at once by a percentage (the ones ticked, or all found), every
currency rounded to its minor unit, and can undo it right after; a product changed since is left as it is."""

from decimal import Decimal

import pytest

from kartei.catalog.models import PriceChange, Product
from kartei.catalog.services import product_update

from .helpers import make_product

pytestmark = pytest.mark.django_db


def prices(product: Product) -> dict:
    product = Product.objects.prefetch_related("prices").get(pk=product.pk)
    return {"base": product.base_price, **{p.currency: p.price for p in product.prices.all()}}


def test_the_dialog_says_how_many_products_change(staff_client):
    make_product(sku="A-1", name_de="Apfelsaft")
    make_product(sku="B-1", name_de="Birnensaft")
    make_product(sku="C-1", name_de="Cola")

    dialog = staff_client.get("/products/prices/", {"q": "saft"}, headers={"HX-Request": "true"}).content.decode()

    assert "The prices of the 2 products found for “saft” change" in dialog and "<html" not in dialog


def test_ticked_products_change_by_the_percentage_rounded_half_up_and_others_stay(staff_client):
    juice = make_product(sku="A-1", base_price="1.99", prices={"PLN": "8.49", "JPY": "330"})
    cola = make_product(sku="C-1", base_price="2.00")

    response = staff_client.post("/products/prices/", {"percent": "5", "product": [str(juice.pk)], "q": ""})

    assert response.status_code == 302
    assert prices(juice) == {"base": Decimal("2.09"), "PLN": Decimal("8.91"), "JPY": Decimal("347")}
    assert prices(cola) == {"base": Decimal("2.00")}
    page = staff_client.get(response["Location"]).content.decode()
    assert "The prices of 1 product were changed by +5 %." in page and "Undo" in page


def test_every_product_found_changes_when_none_is_ticked_and_undo_brings_the_old_prices_back(staff_client):
    juice = make_product(sku="A-1", name_de="Apfelsaft", base_price="1.99")
    pear = make_product(sku="B-1", name_de="Birnensaft", base_price="3.00")
    cola = make_product(sku="C-1", name_de="Cola", base_price="2.00")

    staff_client.post("/products/prices/", {"percent": "-10", "q": "saft"})
    assert (prices(juice)["base"], prices(pear)["base"], prices(cola)["base"]) == (
        Decimal("1.79"), Decimal("2.70"), Decimal("2.00"))  # fmt: skip

    product_update(actor=None, product=pear, data={"base_price": "2.95"})  # changed by hand since
    change = PriceChange.objects.get()
    response = staff_client.post(f"/products/prices/{change.pk}/undo/")

    page = staff_client.get(response["Location"]).content.decode()
    assert "The prices of 1 product are back." in page and "Changed since, so left as they are: B-1." in page
    assert (prices(juice)["base"], prices(pear)["base"]) == (Decimal("1.99"), Decimal("2.95"))
    again = staff_client.post(f"/products/prices/{change.pk}/undo/", follow=True).content.decode()
    assert "This price change was undone already." in again


@pytest.mark.parametrize(
    ("percent", "message"),
    [("", "Enter the change in percent"), ("zehn", "Enter the change in percent"), ("0", "other than 0"),
     ("-100", "between -99 % and +1000 %"), ("5000", "between"), ("1.234", "two decimal places"),
     ("Infinity", "Enter the change in percent")],
)  # fmt: skip
def test_a_wrong_percentage_is_said_in_the_dialog_and_nothing_changes(staff_client, percent, message):
    juice = make_product(sku="A-1", base_price="1.99")

    response = staff_client.post("/products/prices/", {"percent": percent}, headers={"HX-Request": "true"})

    assert response.status_code == 422
    dialog = response.content.decode()
    assert message in dialog and 'aria-invalid="true"' in dialog and f'value="{percent}"' in dialog
    assert prices(juice)["base"] == Decimal("1.99")
    assert not PriceChange.objects.exists()


def test_a_price_lowered_by_99_percent_never_goes_below_zero(staff_client):
    cheap = make_product(sku="A-1", base_price="0.01")

    staff_client.post("/products/prices/", {"percent": "-99"})

    assert prices(cheap)["base"] == Decimal("0.00")


def test_a_change_sent_from_the_dialog_takes_the_browser_to_the_list(staff_client):
    make_product(sku="A-1")

    response = staff_client.post("/products/prices/", {"percent": "3", "q": "a-1"}, headers={"HX-Request": "true"})

    assert response.status_code == 200 and response["HX-Redirect"] == "/products/?q=a-1"
