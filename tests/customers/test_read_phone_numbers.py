"""Kartei reads phone numbers the way phonenumbers does, with a short way for plainly written ones: the two must
never disagree on whether a number is valid or on the number stored."""

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kartei.customers import phones
from kartei.customers.validation import clean_phone

REGIONS = ["DE", "PL", "GB", "AT", "CH", "IT", "FR", "US", "GG", "RU", "AR", "MX", "BR", "IN", "CN", None, "de", "XX"]
TYPED = [
    "+49 171 2345678",
    "0049 171 2345678",
    "0171 2345678",
    "(0171) 234567-8",
    "+49 (0)30 12345678",
    "040/46432344",
    "+48 513 481 367",
    "0048 513481367",
    "513-481-367",
    "48 123 45 67",  # Radom, or the country code of Poland without + or 00
    "+44 (0)161 3883247",
    "0161-4751343",
    "+44 1481 256789",  # Guernsey shares +44 with the United Kingdom …
    "+44 7624 123456",  # … and so does the Isle of Man
    "+1 242 357 1234",
    "+7 701 123 4567",
    "+262 269 61 1234",
    "+39 06 6982 1234",  # Italy keeps the leading zero
    "+39 00 1234",
    "+1 650 253 0000",
    "011 49 171 2345678",
    "00 0 171",
    "+0049 171 2345678",
    "+800 1234 5678",
    "+",
    "00",
    "12",
    "1-2",
    "0171.234.5678",
    "+49 171 2345678 ext. 12",
    "Tel: +49 171 2345678",
    "+49 171 2345678 #12",
    "٠١٧١ ٢٣٤٥٦٧٨",
    "tel:+49-171-2345678;phone-context=+49",
    "0 8 00 12 34 56",
    "8 (812) 123-45-67",
]


def as_phonenumbers_stores_it(value, region):
    """The valid number `value` is, in E.164, as phonenumbers reads it; else None."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def assert_read_alike(value, region):
    assert phones.e164(value, region) == as_phonenumbers_stores_it(value, region), (value, region)


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("value", TYPED)
def test_numbers_as_people_type_them_read_as_phonenumbers_reads_them(value, region):
    assert_read_alike(value, region)


plain = st.builds(
    "".join,
    st.lists(st.sampled_from(list("0123456789") * 3 + [" ", "-", "/", "(", ")", "."]), max_size=24),
)


@settings(max_examples=1500, deadline=None)
@given(start=st.sampled_from(["", "+", "00", "0", "011", "(0", "+49", "0049", "+44", "+39 0", "+1", "8"]),
       rest=plain, region=st.sampled_from(REGIONS))  # fmt: skip
def test_plainly_written_numbers_read_as_phonenumbers_reads_them(start, rest, region):
    assert_read_alike(start + rest, region)


@settings(max_examples=300, deadline=None)
@given(value=st.text(max_size=30), region=st.sampled_from(REGIONS))
def test_any_text_reads_as_phonenumbers_reads_it(value, region):
    assert_read_alike(value, region)


@pytest.mark.parametrize(
    ("value", "region", "stored"),
    [
        ("0171 2345678", "DE", "+491712345678"),
        ("0048 513 481 367", "DE", "+48513481367"),
        ("+44 (0)161 3883247", "PL", "+441613883247"),
        ("+39 06 6982 1234", "DE", "+390669821234"),
    ],
)
def test_a_customers_number_is_stored_with_its_country_code(value, region, stored):
    assert clean_phone(value, region=region) == stored


@settings(max_examples=1500, deadline=None)
@given(country_code=st.sampled_from(sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE)),
       digits=st.text(alphabet="0123456789", min_size=2, max_size=14))  # fmt: skip
def test_a_number_is_written_nationally_as_phonenumbers_writes_it(country_code, digits):
    number = phonenumbers.parse(f"+{country_code}{digits}")
    assert phones.national_format(number) == phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def test_national_numbers_keep_their_prefix_and_leading_zeros():
    assert phones.national_format(phonenumbers.parse("+491712345678")) == "0171 2345678"
    assert phones.national_format(phonenumbers.parse("+390669821234")) == "06 6982 1234"
    assert phones.national_format(phonenumbers.parse("+78121234567")) == "8 (812) 123-45-67"
