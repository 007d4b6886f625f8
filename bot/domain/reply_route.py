"""Which channel an agent's reply goes on, and what the console warns about.

WhatsApp lets a business send free-form text only within 24 hours of the customer's last
WhatsApp message; after that only an approved template may go. An agent's reply is free
text, so outside the window it goes by SMS instead, and the console says so before the
agent sends. Channels are the strings "sms" and "whatsapp"."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

WHATSAPP_WINDOW = dt.timedelta(hours=24)


@dataclass(frozen=True)
class ReplyRoute:
    channel: str
    warning: str | None = None


def whatsapp_window_open(last_whatsapp_inbound: dt.datetime | None, now: dt.datetime) -> bool:
    return last_whatsapp_inbound is not None and now - last_whatsapp_inbound < WHATSAPP_WINDOW


def _ago(delta: dt.timedelta) -> str:
    hours = int(delta.total_seconds() // 3600)
    return f"{hours // 24} d {hours % 24} h" if hours >= 48 else f"{hours} h"


def reply_route(
    last_channel: str | None,
    last_whatsapp_inbound: dt.datetime | None,
    now: dt.datetime,
    *,
    whatsapp_unreachable: bool = False,
    sms_unreachable: bool = False,
) -> ReplyRoute:
    """The customer's own channel when a free-form message may go there; else SMS, with why."""
    if last_channel != "whatsapp":
        if sms_unreachable:
            return ReplyRoute("sms", "SMS to this number failed before: this reply may not arrive.")
        return ReplyRoute("sms")
    if whatsapp_unreachable:
        return ReplyRoute("sms", "WhatsApp could not reach this customer before: this reply goes by SMS.")
    if whatsapp_window_open(last_whatsapp_inbound, now):
        return ReplyRoute("whatsapp")
    if last_whatsapp_inbound is None:
        return ReplyRoute("sms", "The customer has not written on WhatsApp: this reply goes by SMS.")
    return ReplyRoute(
        "sms",
        f"Outside WhatsApp's 24-hour window (the customer last wrote there "
        f"{_ago(now - last_whatsapp_inbound)} ago): WhatsApp only accepts an approved "
        f"template now, so this reply goes by SMS.",
    )
