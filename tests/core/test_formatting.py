"""Numbers, money, percentages and dates as each language writes them."""

from datetime import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from kartei.core import formatting


@pytest.mark.parametrize(
    "language, discount, price",
    [("en", "12.5%", "€1,234.50"), ("de", "12,5\xa0%", "1.234,50\xa0€"), ("pl", "12,5%", "1\xa0234,50\xa0€")],
)
def test_it_writes_discounts_and_money_the_way_each_language_does(language, discount, price):
    with translation.override(language):
        assert formatting.percent(Decimal("12.50")) == discount
        assert formatting.money(Decimal("1234.5"), "EUR") == price


def test_it_shows_phone_numbers_grouped_for_reading():
    assert formatting.phone("+4917123456789") == "+49 171 23456789"
    assert formatting.phone("+48512345678") == "+48 512 345 678"
    assert formatting.phone("") == ""


@pytest.mark.parametrize("language, expected", [("en", "22/11/2026"), ("de", "22.11.2026"), ("pl", "22.11.2026")])
def test_it_writes_short_dates_the_way_each_language_does(language, expected):
    with translation.override(language):
        rendered = Template('{{ when|date:"SHORT_DATE_FORMAT" }}').render(Context({"when": datetime(2026, 11, 22)}))
    assert rendered == expected


@pytest.mark.parametrize(
    "email, shown",
    [
        ("anna.kowal-ska@firma-x.example.pl", "anna|.kowal-ska@|firma-x|.example|.pl"),
        ("plain@host", "plain@|host"),
        ("", ""),
        ('"<b>x</b>"@example.com', '"&lt;b&gt;x&lt;/b&gt;"@|example|.com'),
    ],
)
def test_an_email_address_can_wrap_only_after_its_at_sign_and_before_dots(email, shown):
    html = Template("{% load kartei %}{{ email|breakable_email }}").render(Context({"email": email}))
    parts = [p.removeprefix('<span class="text-nowrap">').removesuffix("</span>") for p in html.split("<wbr>")]
    assert "|".join(parts) == shown.replace('"', "&quot;")


@pytest.mark.parametrize("prefix", ["/", "/kartei/"])
@pytest.mark.parametrize("name", ["customers:detail", "customers:edit", "messaging:new", "orders:create"])
def test_a_link_repeated_on_every_row_is_the_same_as_django_makes_it(name, prefix):
    from django.urls import set_script_prefix

    set_script_prefix(prefix)
    try:
        made = Template(f"{{% load kartei %}}{{% row_url '{name}' 42 %}}|{{% url '{name}' 42 %}}").render(Context())
    finally:
        set_script_prefix("/")
    ours, django = made.split("|")
    assert ours == django and ours.startswith(prefix) and "/42/" in ours
