"""Phone numbers: E.164 normalisation with the maintained `phonenumbers` library."""

from __future__ import annotations

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from bot.domain.channels import split_address


class InvalidPhone(ValueError):
    """The text is not a valid phone number; the message says why."""


def normalise_phone(raw: str, default_region: str | None = None) -> str:
    """Any written form of a number → E.164 ('+919876543210').

    Numbers without a country code are read in `default_region` (ISO 3166 alpha-2).
    Raises InvalidPhone with a reason a person can act on.
    """
    _, text = split_address(raw)
    if not text:
        raise InvalidPhone("phone is empty")
    region = default_region.upper() if default_region else None
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException as exc:
        if exc.error_type == NumberParseException.INVALID_COUNTRY_CODE:
            raise InvalidPhone(f"phone {text!r} has no country code and no default country") from exc
        raise InvalidPhone(f"phone {text!r} is not a phone number") from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone(f"phone {text!r} is not a valid number")
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def phone_region(e164: str) -> str | None:
    """ISO region of an E.164 number ('+91…' → 'IN'), or None."""
    try:
        return phonenumbers.region_code_for_number(phonenumbers.parse(e164, None))
    except NumberParseException:
        return None


def is_mobile(e164: str) -> bool:
    """Whether the number can be a mobile (fixed-line-or-mobile counts, as in the US)."""
    kind = phonenumbers.number_type(phonenumbers.parse(e164, None))
    return kind in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)


def mask_phone(e164: str) -> str:
    """For logs: '+919876543210' → '+91******3210'."""
    if len(e164) <= 7:
        return "*" * len(e164)
    return e164[:3] + "*" * (len(e164) - 7) + e164[-4:]


def timezone_of(e164: str) -> str | None:
    """The phone number's timezone when its number range has exactly one (an Indian or a
    UK mobile: yes; a US number outside a known area: no)."""
    from phonenumbers import timezone as number_timezones

    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return None
    zones = [z for z in number_timezones.time_zones_for_number(number) if z != "Etc/Unknown"]
    return zones[0] if len(zones) == 1 else None
