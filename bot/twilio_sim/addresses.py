"""Twilio addresses: an E.164 number for SMS, `whatsapp:+E164` for WhatsApp."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

Channel = Literal["sms", "whatsapp"]
CHANNELS: tuple[Channel, ...] = ("sms", "whatsapp")
WHATSAPP_PREFIX = "whatsapp:"
_E164 = re.compile(r"^\+[1-9]\d{1,14}$")


@dataclass(frozen=True)
class Address:
    channel: Channel
    phone: str  # +E164 (or whatever followed the prefix, when not valid)

    @property
    def text(self) -> str:
        return f"{WHATSAPP_PREFIX}{self.phone}" if self.channel == "whatsapp" else self.phone


def split(address: str) -> Address:
    address = (address or "").strip()
    if address.lower().startswith(WHATSAPP_PREFIX):
        return Address("whatsapp", address[len(WHATSAPP_PREFIX) :].strip())
    return Address("sms", address)


def is_e164(phone: str) -> bool:
    """Strict E.164 that `phonenumbers` also considers a valid, assigned number."""
    if not _E164.match(phone or ""):
        return False
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(phone, None))
    except NumberParseException:
        return False


def normalise(raw: str, default_region: str | None = None) -> str | None:
    """A typed phone number → E.164, or None when it is not a valid number."""
    text = split(raw).phone
    try:
        number = phonenumbers.parse(text, default_region.upper() if default_region else None)
    except NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def region_of(phone: str) -> str:
    """ISO country of a number ('US', 'IN'), '' when unknown: Twilio's FromCountry/ToCountry."""
    try:
        return phonenumbers.region_code_for_number(phonenumbers.parse(phone, None)) or ""
    except NumberParseException:
        return ""
