"""Phone numbers read and checked exactly as phonenumbers reads and checks them, with a short way for the shapes
people type (digits, spaces, dashes, slashes, dots and brackets, with + or the international prefix in front).

phonenumbers.parse first looks for a number in free text (extensions, "tel:" URIs, letters, digits of any
script), and is_valid_number tries each kind of number in turn to learn which kind it is. For a number written
plainly neither search finds anything more, and the two took a third of the time an import spends checking a row.
Anything else is left to phonenumbers itself; tests compare both ways over typed and generated numbers."""

import re
from functools import cache

import phonenumbers
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, PhoneMetadata, PhoneNumber
from phonenumbers.phonenumberutil import (
    _FIRST_GROUP_PATTERN,
    SUPPORTED_REGIONS,
    ValidationResult,
    _extract_country_code,
    _maybe_strip_national_prefix_carrier_code,
    _set_italian_leading_zeros_for_phone_number,
    _test_number_length,
)

_SEPARATORS = str.maketrans("", "", " -/().")
# What phonenumbers.parse keeps a national prefix (the German 0) for: too few digits would be left without it.
_PREFIX_KEPT = (ValidationResult.TOO_SHORT, ValidationResult.IS_POSSIBLE_LOCAL_ONLY, ValidationResult.INVALID_LENGTH)


def parse(value: str, region: str | None) -> PhoneNumber:
    """phonenumbers.parse(value, region): raises phonenumbers.NumberParseException where it does."""
    return _parse_plain(value, region) or phonenumbers.parse(value, region)


def is_valid(number: PhoneNumber) -> bool:
    """phonenumbers.is_valid_number(number)."""
    country_code = number.country_code
    regions = COUNTRY_CODE_TO_REGION_CODE.get(country_code)
    if regions is None:
        return False
    national = phonenumbers.national_significant_number(number)
    region = regions[0] if len(regions) == 1 else _region_among(regions, national)
    if region is None:
        return False
    metadata = PhoneMetadata.metadata_for_region_or_calling_code(country_code, region.upper())
    if metadata is None or (region != "001" and country_code != phonenumbers.country_code_for_valid_region(region)):
        return False
    return _is_of_some_kind(national, metadata)


def national_format(number: PhoneNumber) -> str:
    """phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL) for a number without an extension, as
    read from E.164."""
    national = phonenumbers.national_significant_number(number)
    for leading_digits, pattern, rule in _national_formats(number.country_code):
        if (leading_digits is None or leading_digits.match(national)) and pattern.fullmatch(national):
            return pattern.sub(rule, national)
    return national


def _region_among(regions: tuple[str, ...], national: str) -> str | None:
    """The region of a number whose country code several share (+44: GB, GG, IM, JE), as
    phonenumbers.region_code_for_number finds it."""
    for region in regions:
        metadata = PhoneMetadata.metadata_for_region(region.upper(), None)
        if metadata is None:
            continue
        if metadata.leading_digits is not None:
            if _compiled(metadata.leading_digits).match(national):
                return region
        elif _is_of_some_kind(national, metadata):
            return region
    return None


def _is_of_some_kind(national: str, metadata: PhoneMetadata) -> bool:
    """Whether phonenumbers would find the national number's kind (fixed line, mobile, toll free …)."""
    general, kinds = _patterns(metadata.id, metadata.country_code)
    return _matches(national, general) and any(_matches(national, kind) for kind in kinds)


def _parse_plain(value: str, region: str | None) -> PhoneNumber | None:
    """The number a plainly written `value` is, or None where the short way does not apply (phonenumbers then
    parses it, and finds it or says why not)."""
    if not value.isascii() or (region is not None and region not in SUPPORTED_REGIONS):
        return None
    plus = value.startswith("+")
    digits = (value[1:] if plus else value).translate(_SEPARATORS)
    if len(digits) < 3 or not digits.isdigit():
        return None
    metadata = PhoneMetadata.metadata_for_region(region, None) if region else None
    if plus:
        international = digits
    elif metadata is None or not metadata.international_prefix:
        return None
    else:
        prefix = _compiled(metadata.international_prefix).match(digits)
        international = digits[prefix.end() :] if prefix else None
    if international is not None:
        country_code, national = _extract_country_code(international)
        if not country_code:
            return None
        number_region = phonenumbers.region_code_for_country_code(country_code)
        if number_region != region:
            metadata = PhoneMetadata.metadata_for_region_or_calling_code(country_code, number_region)
    elif digits.startswith(str(metadata.country_code)):
        return None  # maybe the country code without + or 00: phonenumbers weighs both readings
    else:
        country_code, national = metadata.country_code, digits
    if metadata is None or len(national) < 2:
        return None
    _carrier, without_prefix, _stripped = _maybe_strip_national_prefix_carrier_code(national, metadata)
    if _test_number_length(without_prefix, metadata) not in _PREFIX_KEPT:
        national = without_prefix
    if not 2 <= len(national) <= 17:
        return None
    number = PhoneNumber(country_code=country_code, national_number=int(national))
    _set_italian_leading_zeros_for_phone_number(national, number)
    return number


@cache
def _national_formats(country_code: int) -> tuple[tuple, ...]:
    """The national formats of a country code's main region, as phonenumbers chooses among them and applies
    them: (the number's first digits, its whole pattern, the format with the national prefix put in)."""
    region = phonenumbers.region_code_for_country_code(country_code)
    metadata = PhoneMetadata.metadata_for_region_or_calling_code(country_code, region.upper())
    if metadata is None:
        return ()
    formats = []
    for number_format in metadata.number_format:
        rule = number_format.format
        if number_format.national_prefix_formatting_rule:
            rule = re.sub(_FIRST_GROUP_PATTERN, number_format.national_prefix_formatting_rule, rule, count=1)
        leading = number_format.leading_digits_pattern
        formats.append((re.compile(leading[-1]) if leading else None, re.compile(number_format.pattern), rule))
    return tuple(formats)


@cache
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


@cache
def _patterns(region: str, country_code: int) -> tuple[tuple, tuple[tuple, ...]]:
    """(the pattern every number of a region (or non-geographic country code) matches, those of each kind of
    number), each as (its possible lengths, its regular expression). A number is valid when it matches the first
    and any of the others; the mobile pattern is left out where it is the fixed-line one, as phonenumbers leaves
    it out."""
    metadata = PhoneMetadata.metadata_for_region_or_calling_code(country_code, region)
    kinds = [
        metadata.fixed_line,
        None if metadata.same_mobile_and_fixed_line_pattern else metadata.mobile,
        metadata.premium_rate,
        metadata.toll_free,
        metadata.shared_cost,
        metadata.voip,
        metadata.personal_number,
        metadata.pager,
        metadata.uan,
        metadata.voicemail,
    ]
    return _pattern(metadata.general_desc), tuple(p for p in map(_pattern, kinds) if p is not None)


def _pattern(desc) -> tuple | None:
    if desc is None or not desc.national_number_pattern:
        return None
    return frozenset(desc.possible_length), re.compile(desc.national_number_pattern)


def _matches(national: str, pattern: tuple | None) -> bool:
    if pattern is None:
        return False
    lengths, expression = pattern
    return (not lengths or len(national) in lengths) and expression.fullmatch(national) is not None
