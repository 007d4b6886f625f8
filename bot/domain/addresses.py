"""Addresses and postcodes a customer typed: finding the postcode per country, and whether
a text is plausibly an address at all (words and a number, nothing else said instead)."""

from __future__ import annotations

import re

from bot.domain.free_text import off_script
from bot.domain.scripts import ascii_digits

_POSTCODE = {
    "IN": re.compile(r"(?<!\d)([1-9]\d{2})\s?(\d{3})(?!\d)"),
    "US": re.compile(r"(?<!\d)(\d{5})(?:-\d{4})?(?!\d)"),
    "GB": re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})\b", re.IGNORECASE),
}
_GENERIC = re.compile(r"(?<![\w-])(\d{4,6})(?![\w-])")


def find_postcode(text: str, country: str) -> str | None:
    """The postcode in `text` for `country` (ISO alpha-2), normalised, or None.

    >>> find_postcode("Flat 12, Baner Road, Pune 411 045", "IN")
    '411045'
    """
    pattern = _POSTCODE.get(country.upper())
    text = ascii_digits(text or "")  # "पुणे ४११०४५" (issue 17)
    if pattern is None:
        match = _GENERIC.findall(text or "")
        return match[-1] if match else None
    matches = list(pattern.finditer(text or ""))
    if not matches:
        return None
    last = matches[-1]
    if country.upper() == "GB":
        return f"{last.group(1)} {last.group(2)}".upper()
    return "".join(g for g in last.groups() if g)


def is_postcode(text: str, country: str) -> bool:
    """Whether `text` is nothing but a postcode (with spaces allowed)."""
    found = find_postcode(text, country)
    return found is not None and re.sub(r"\s", "", ascii_digits(text or "")).upper() == found.replace(" ", "")


_FULL_POSTCODE = {
    "IN": re.compile(r"[1-9]\d{2} ?\d{3}"),
    "US": re.compile(r"\d{5}(-\d{4})?"),
    "GB": re.compile(r"[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}"),
}
_LENIENT_POSTCODE = re.compile(r"(?=.*\d)[A-Z0-9][A-Z0-9 -]{1,8}[A-Z0-9]")  # 3-10 characters, a digit
_NUMBER = re.compile(r"\d|\b(wing|block|tower|flat|house|plot|building|bldg|phase)\s+[a-z]\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]{2,}")


def plausible_postcode(text: str, country: str) -> bool:
    """Whether `text` (all of it) is a postcode of `country`; any other country: 3-10 letters
    and digits with at least one digit.

    >>> plausible_postcode("411045", "IN"), plausible_postcode("011045", "IN")
    (True, False)
    """
    value = " ".join(ascii_digits(text or "").upper().split())
    pattern = _FULL_POSTCODE.get((country or "").upper(), _LENIENT_POSTCODE)
    return pattern.fullmatch(value) is not None


def is_plausible_address(text: str, country: str) -> bool:
    """Words and a number (a house, flat or plot number, "Wing B", or a postcode), and not a question,
    a time request, a change of remedy, a yes/no or anything else said instead.

    >>> is_plausible_address("12 mg road", "IN"), is_plausible_address("can he come on sunday?", "IN")
    (True, False)
    """
    if off_script(text) is not None:
        return False
    has_number = _NUMBER.search(text or "") is not None or find_postcode(text, country) is not None
    return has_number and len(_WORD.findall(text or "")) >= 2
