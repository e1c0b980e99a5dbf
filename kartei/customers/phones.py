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
    _test_number_length,
)

_SEPARATORS = str.maketrans("", "", " -/().")
# What phonenumbers.parse keeps a national prefix (the German 0) for: too few digits would be left without it.
_PREFIX_KEPT = (ValidationResult.TOO_SHORT, ValidationResult.IS_POSSIBLE_LOCAL_ONLY, ValidationResult.INVALID_LENGTH)


def e164(value: str, region: str | None) -> str | None:
    """The number `value` is (read in `region` if written without a country code) in E.164, if phonenumbers reads
    it as a valid number; else None."""
    plain = _plain(value, region)
    if plain is not None:
        country_code, national = plain
        return f"+{country_code}{national}" if _is_valid(country_code, national) else None
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return None
    if not _is_valid(number.country_code, phonenumbers.national_significant_number(number)):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _is_valid(country_code: int, national: str) -> bool:
    """phonenumbers.is_valid_number for the number with this country code and national significant number."""
    regions = COUNTRY_CODE_TO_REGION_CODE.get(country_code)
    if regions is None:
        return False
    region = regions[0] if len(regions) == 1 else _region_among(regions, national)
    if region is None:
        return False
    return _of_some_kind(national, _patterns(region, country_code))


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
        elif _of_some_kind(national, _patterns(region, metadata.country_code)):
            return region
    return None


def _of_some_kind(national: str, patterns: tuple | None) -> bool:
    """Whether phonenumbers would find the national number's kind (fixed line, mobile, toll free …) among a
    region's `patterns` (_patterns; None: a number of that country code cannot be of the region)."""
    if patterns is None:
        return False
    general, kinds = patterns
    return _matches(national, general) and any(_matches(national, kind) for kind in kinds)


def _plain(value: str, region: str | None) -> tuple[int, str] | None:
    """(country code, national significant number) of a plainly written `value` as phonenumbers.parse reads it,
    or None where the short way does not apply (phonenumbers then parses it, and finds it or says why not)."""
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
    if not 2 <= len(national) <= 17 or not national.strip("0"):
        return None  # an all-zero number phonenumbers writes from its raw input
    # The national significant number: phonenumbers keeps its leading zeros (Italy's) beside the number.
    return country_code, national


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
def _patterns(region: str, country_code: int) -> tuple[tuple, tuple[tuple, ...]] | None:
    """(the pattern every number of a region (or non-geographic country code, region "001") matches, those of
    each kind of number), each as (its possible lengths, its regular expression); None where a number of this
    country code cannot be of that region. A number is valid when it matches the first and any of the others;
    the mobile pattern is left out where it is the fixed-line one, as phonenumbers leaves it out."""
    metadata = PhoneMetadata.metadata_for_region_or_calling_code(country_code, region.upper())
    if metadata is None or (region != "001" and country_code != phonenumbers.country_code_for_valid_region(region)):
        return None
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
