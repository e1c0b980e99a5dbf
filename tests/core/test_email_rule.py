"""An e-mail address is checked by Django's own rule, whose regular expressions Kartei compiles once: the two
must agree on every address."""

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import validate_email as django_validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from kartei.core.validation import validate_email

ADDRESSES = [
    "anna@example.com",
    "Anna.Nowak+shop@Example.COM",
    "biuro@łódź.pl",
    "info@xn--d-ufa.example",
    "root@localhost",
    "admin@[127.0.0.1]",
    "admin@[IPv6:::1]",
    "admin@[300.0.0.1]",
    '"anna nowak"@example.com',
    "anna@@example.com",
    "anna@example",
    "anna@-example.com",
    "anna@example-.com",
    ".anna@example.com",
    "anna.@example.com",
    "anna@example.c",
    "",
    "@",
    "anna",
    "a" * 64 + "@" + "b" * 63 + ".com",
    "anna@" + "b" * 64 + ".com",
]


def agrees(address: str) -> None:
    def verdict(validate):
        try:
            validate(address)
        except ValidationError as error:
            return error.code
        return "valid"

    assert verdict(validate_email) == verdict(django_validate_email), address


@pytest.mark.parametrize("address", ADDRESSES)
def test_addresses_people_type_are_judged_as_django_judges_them(address):
    agrees(address)


@settings(max_examples=300, deadline=None)
@given(local=st.text(max_size=20), domain=st.text(max_size=20))
def test_any_address_is_judged_as_django_judges_it(local, domain):
    agrees(f"{local}@{domain}")
