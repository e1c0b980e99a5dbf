"""The `kartei` command as operators and scripts use it."""

import io
import os
import subprocess
import sys
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from kartei.accounts.services import api_token_user
from kartei.catalog.demo import PRODUCTS
from kartei.catalog.models import ExchangeRate, Product
from kartei.catalog.pricing import list_price
from kartei.catalog.queries import exchange_rates
from kartei.customers.models import Customer
from kartei.customers.search.terms import query_terms
from kartei.customers.validation import clean_phone, clean_vat_id
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_token_create_prints_a_working_token_on_the_last_line():
    user = UserFactory(username="ops")
    out = io.StringIO()
    call_command("token", "create", "ops", stdout=out, stderr=io.StringIO())
    token = out.getvalue().strip().splitlines()[-1]
    assert api_token_user(token) == user


def test_token_create_names_an_unknown_user():
    with pytest.raises(CommandError, match="No user named 'ghost'"):
        call_command("token", "create", "ghost")


def test_demo_adds_realistic_customers_and_prints_a_login():
    out = io.StringIO()
    call_command("demo", "--customers", "300", stdout=out)
    assert Customer.objects.count() == 300
    login = out.getvalue().strip().splitlines()[-1]
    assert login.startswith("Log in as:  demo  /  ")
    countries = set(Customer.objects.values_list("country", flat=True))
    assert {"DE", "PL", "GB"} <= countries
    for customer in Customer.objects.exclude(phone="")[:100]:
        assert clean_phone(customer.phone, region="DE") == customer.phone
    for customer in Customer.objects.exclude(vat_id="")[:100]:
        assert clean_vat_id(customer.vat_id, country=customer.country) == customer.vat_id
    sample = Customer.objects.exclude(phone="").first()
    assert query_terms(sample.phone)[0] in sample.search_document


def test_demo_adds_a_catalog_in_three_languages_with_exchange_rates_once():
    call_command("demo", "--customers", "0", "--no-login", stdout=io.StringIO())
    call_command("demo", "--customers", "0", "--no-login", stdout=io.StringIO())

    products = Product.objects.prefetch_related("prices")
    assert products.count() == len(PRODUCTS)
    assert all(p.name_de and p.name_pl and p.name_en for p in products)
    assert set(ExchangeRate.objects.values_list("currency", flat=True)) == {"PLN", "CHF", "GBP"}
    coffee = products.get(sku="KAF-1000")
    assert list_price(coffee, "PLN", exchange_rates()) == Decimal("79.00")
    assert list_price(coffee, "CHF", exchange_rates()) == Decimal("17.77")


def test_demo_if_empty_adds_nothing_to_a_file_that_has_customers_and_leaves_the_demo_login_alone():
    call_command("demo", "--customers", "5", stdout=io.StringIO())
    demo = get_user_model().objects.get(username="demo")
    demo.is_active = False  # the owner switched it off
    demo.save()
    password = demo.password
    out = io.StringIO()

    call_command("demo", "--customers", "5", "--if-empty", stdout=out)

    assert Customer.objects.count() == 5
    demo.refresh_from_db()
    assert not demo.is_active and demo.password == password
    assert "Log in as" not in out.getvalue() and "no login changed" in out.getvalue()


def test_demo_if_empty_adds_nothing_to_a_file_that_has_staff():
    UserFactory(username="owner")
    call_command("demo", "--customers", "5", "--if-empty", stdout=io.StringIO())
    assert not Customer.objects.exists()
    assert not get_user_model().objects.filter(username="demo").exists()


def test_the_console_script_runs_django_commands():
    result = subprocess.run(
        [sys.executable, "-m", "kartei.cli", "help", "token"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    assert "create" in result.stdout


def test_rebuild_search_brings_stale_documents_and_sort_keys_up_to_date():
    from kartei.customers.queries import CustomerFilter, customers_matching
    from tests.factories import make_customer

    customer = make_customer(name="Zakład Stolarski Łukasz", addresses=[{"city": "Łódź", "country": "PL"}])
    make_customer(name="Up to date")
    Customer.objects.filter(pk=customer.pk).update(search_document="", sort_name="", sort_city="")
    assert not customers_matching(CustomerFilter(q="lukasz")).exists()
    out = io.StringIO()
    call_command("rebuild_search", stdout=out)
    assert "Updated 1 customer." in out.getvalue()
    assert list(customers_matching(CustomerFilter(q="lukasz"))) == [customer]
    customer.refresh_from_db()
    assert (customer.sort_name, customer.sort_city) == ("zaklad stolarski lukasz", "lodz")


def test_demo_data_right_after_migrate_on_a_new_installation(tmp_path):
    """What the benchmarks and a first try do: no `kartei serve` in between to set anything up."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env = {**env, "KARTEI_DATA_DIR": str(tmp_path / "var")}  # a new installation, on SQLite
    for command in (["migrate", "-v", "0"], ["demo", "--customers", "20", "--products", "5", "--orders", "10"]):
        result = subprocess.run([sys.executable, "-m", "kartei.cli", *command], env=env, capture_output=True,
                                text=True, timeout=300)  # fmt: skip
        assert result.returncode == 0, result.stderr
    assert "Added 10 demo orders." in result.stdout


def test_with_redis_url_the_cache_is_redis(tmp_path):
    """docs/deploy.md: REDIS_URL shares the cache (the limit on wrong quick-order links, the catalog's version)
    across processes and machines; the package it needs comes with Kartei."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env = {**env, "KARTEI_DATA_DIR": str(tmp_path / "var"), "REDIS_URL": "redis://127.0.0.1:6379/15"}
    code = ("from django.core.cache import caches; import uuid; key = uuid.uuid4().hex; cache = caches['default']; "
            "cache.set(key, 1, 5); print(type(cache).__name__, cache.get(key))")  # fmt: skip
    result = subprocess.run([sys.executable, "-m", "kartei.cli", "shell", "-c", code], env=env, capture_output=True,
                            text=True, timeout=120)  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["RedisCache", "1"]
