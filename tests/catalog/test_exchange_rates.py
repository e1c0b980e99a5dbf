"""The owner sets what one unit of the base currency buys in other currencies; every member sees the rates,
products without a fixed price in a currency are priced at its rate."""

from decimal import Decimal

import pytest

from kartei.catalog.models import ExchangeRate

pytestmark = pytest.mark.django_db


def test_the_owner_adds_changes_and_removes_rates(owner_client):
    response = owner_client.post("/products/rates/", {"currency_newa": "pln", "rate_newa": "4,30",
                                                      "currency_newb": "CHF", "rate_newb": "0.95"})  # fmt: skip
    assert response.status_code == 302
    assert dict(ExchangeRate.objects.values_list("currency", "rate")) == {"PLN": Decimal("4.3"), "CHF": Decimal("0.95")}

    page = owner_client.get("/products/rates/").content.decode()
    assert 'value="PLN"' in page and 'value="4.3"' in page
    owner_client.post("/products/rates/", {"currency_1": "CHF", "rate_1": "", "currency_2": "PLN", "rate_2": "4.25"})

    assert dict(ExchangeRate.objects.values_list("currency", "rate")) == {"PLN": Decimal("4.25")}


@pytest.mark.parametrize(
    ("currency", "rate", "message"),
    [("PLN", "0", "more than 0"), ("PLN", "-4", "more than 0"), ("PLN", "vier", "Enter the rate as a number"),
     ("XYZ", "1", "is not a currency code"), ("EUR", "1", "is the base currency"), ("", "4.3", "Name the currency"),
     ("PLN", "4.1234567", "at most 6 decimal places")],
)  # fmt: skip
def test_a_wrong_rate_is_refused_with_its_reason_and_the_old_rates_stay(owner_client, currency, rate, message):
    ExchangeRate.objects.create(currency="GBP", rate=Decimal("0.85"))

    response = owner_client.post("/products/rates/", {"currency_1": "GBP", "rate_1": "0.86",
                                                      "currency_newa": currency, "rate_newa": rate})  # fmt: skip

    assert response.status_code == 422
    page = response.content.decode()
    assert message in page and "Nothing was saved" in page and 'value="0.86"' in page
    assert dict(ExchangeRate.objects.values_list("currency", "rate")) == {"GBP": Decimal("0.85")}


def test_staff_who_are_not_owners_see_the_rates_but_cannot_change_them(staff_client):
    ExchangeRate.objects.create(currency="PLN", rate=Decimal("4.3"))

    page = staff_client.get("/products/rates/").content.decode()
    assert "4.3" in page and "Only owners change exchange rates." in page and "<input class" not in page
    assert staff_client.post("/products/rates/", {"currency_1": "PLN", "rate_1": "9"}).status_code == 403
    assert ExchangeRate.objects.get().rate == Decimal("4.3")
