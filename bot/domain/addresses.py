"""Postcodes: finding one in an address a customer typed, per country."""

from __future__ import annotations

import re

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
    return found is not None and re.sub(r"\s", "", text or "").upper() == found.replace(" ", "")
