"""Which channel a message goes on."""

from __future__ import annotations

from typing import Literal

from bot.models import Channel

Requested = Literal["auto", "sms", "whatsapp"]


def choose_channel(
    requested: Requested,
    *,
    whatsapp_opt_in: bool,
    has_template: bool,
    sms_unreachable: bool,
    whatsapp_unreachable: bool,
) -> Channel | None:
    """`auto`: WhatsApp where the customer opted in and an approved template exists, else
    SMS. None: no channel reaches this customer."""
    whatsapp_ok = whatsapp_opt_in and has_template and not whatsapp_unreachable
    if requested == "whatsapp":
        return Channel.WHATSAPP if whatsapp_ok else None
    if requested == "sms":
        return None if sms_unreachable else Channel.SMS
    if whatsapp_ok:
        return Channel.WHATSAPP
    return None if sms_unreachable else Channel.SMS
