"""The two channels a customer is reached on, and Twilio's addresses for them: a
WhatsApp address is the phone number with the `whatsapp:` prefix, an SMS address is the
number itself."""

from __future__ import annotations

import enum

WHATSAPP_PREFIX = "whatsapp:"


class Channel(str, enum.Enum):  # noqa: UP042 - like every enum of bot.models; StrEnum changes str()
    SMS = "sms"
    WHATSAPP = "whatsapp"


def whatsapp_address(phone: str) -> str:
    """'+9198…' → 'whatsapp:+9198…' (an address that has the prefix already is kept)."""
    phone = phone.strip()
    return phone if phone.lower().startswith(WHATSAPP_PREFIX) else WHATSAPP_PREFIX + phone


def address_of(channel: Channel, phone: str) -> str:
    """The customer's Twilio address on `channel`."""
    return whatsapp_address(phone) if channel is Channel.WHATSAPP else phone


def split_address(address: str) -> tuple[Channel, str]:
    """Twilio's `From`/`To` → (channel, phone): 'whatsapp:+9198…' → (WHATSAPP, '+9198…')."""
    address = (address or "").strip()
    if address.lower().startswith(WHATSAPP_PREFIX):
        return Channel.WHATSAPP, address[len(WHATSAPP_PREFIX) :].strip()
    return Channel.SMS, address
