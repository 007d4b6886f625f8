"""What the phones page shows, as plain data: used by the Jinja template and the JSON API
the page polls, so both render the same thing."""

from __future__ import annotations

from typing import Any

from bot.twilio_sim.addresses import CHANNELS
from bot.twilio_sim.clock import iso
from bot.twilio_sim.outbound import WHATSAPP_WINDOW
from bot.twilio_sim.resource import media_path
from bot.twilio_sim.segments import count_segments, encoding
from bot.twilio_sim.state import SimState
from bot.twilio_sim.store import SimMessage, WebhookDelivery

PENDING = {"accepted", "scheduled", "queued", "sending"}


def tick(status: str, error_code: int | None) -> dict[str, str]:
    """Delivery ticks: ✓ sent, ✓✓ delivered, blue ✓✓ read, ✗ failed/undelivered (+ code)."""
    if status == "sent":
        return {"symbol": "✓", "css": "sent", "label": "sent"}
    if status == "delivered":
        return {"symbol": "✓✓", "css": "delivered", "label": "delivered"}
    if status == "read":
        return {"symbol": "✓✓", "css": "read", "label": "read"}
    if status in ("failed", "undelivered", "canceled"):
        suffix = f" {error_code}" if error_code else ""
        return {"symbol": "✗" + suffix, "css": "failed", "label": f"{status}{suffix}"}
    if status in PENDING:
        return {"symbol": "🕓", "css": "pending", "label": status}
    return {"symbol": "", "css": "none", "label": status}


def webhook_view(delivery: WebhookDelivery | None) -> dict[str, Any] | None:
    if delivery is None:
        return None
    if not delivery.done:
        label = "posting to the app…"
    elif delivery.status_code is None:
        label = f"app unreachable: {delivery.error}"
    else:
        label = f"app answered {delivery.status_code} in {delivery.latency_ms:.0f} ms"
    return {
        "ok": delivery.ok,
        "done": delivery.done,
        "status_code": delivery.status_code,
        "latency_ms": delivery.latency_ms,
        "label": label,
    }


def bubble(message: SimMessage, deliveries: dict[int, WebhookDelivery]) -> dict[str, Any]:
    incoming = next(
        (deliveries[i] for i in message.webhook_ids if i in deliveries and deliveries[i].kind == "incoming"), None
    )
    return {
        "sid": message.sid,
        "side": "customer" if message.direction == "inbound" else "business",
        "direction": message.direction,
        "body": message.body,
        "status": message.status,
        "error_code": message.error_code,
        "error_message": message.error_message,
        "at": iso(message.date_created),
        "time": message.date_created.strftime("%H:%M:%S"),
        "media": [
            {
                "url": media_path(m.sid) if m.sid else m.url,
                "content_type": m.content_type,
                "is_image": m.content_type.startswith("image/"),
            }
            for m in message.media
        ],
        "tick": tick(message.status, message.error_code) if message.outbound else None,
        "webhook": webhook_view(incoming) if message.direction == "inbound" else None,
        "template": message.content_sid,
        "segments": sms_segments(message),
    }


def sms_segments(message: SimMessage) -> dict[str, Any] | None:
    """What an SMS costs, as Twilio bills it: NumSegments and the encoding (GSM-7, or
    UCS-2 for Devanagari, emoji ...); None for WhatsApp, which has no segments. A message
    still waiting for its Messaging Service's sender reports 0 segments at Twilio; the
    page shows what it will take."""
    if message.channel != "sms" or not message.body:
        return None
    count = message.num_segments or count_segments(message.body)
    label = f"{count} segment{'' if count == 1 else 's'} · {encoding(message.body)}"
    return {"count": count, "encoding": encoding(message.body), "label": label}


def phone_summaries(state: SimState) -> list[dict[str, Any]]:
    """Every phone, most recent activity first."""
    activity = state.store.activity()
    phones = []
    for entry in state.store.phones():
        seen = activity.get(entry.phone)
        last = seen.latest if seen else None
        moment = last.date_created if last else entry.registered_at
        phones.append(
            {
                "phone": entry.phone,
                "name": entry.name,
                "messages": seen.count if seen else 0,
                "last_body": last.body if last else "",
                "last_at": iso(moment),
                "last_time": last.date_created.strftime("%H:%M") if last else "",
                "sort": moment.timestamp() if moment else 0.0,
            }
        )
    phones.sort(key=lambda p: p["sort"], reverse=True)
    return phones


def conversation(state: SimState, phone: str) -> dict[str, Any]:
    config, store = state.config, state.store
    messages = store.messages(lambda m: m.customer == phone)
    ids = [i for m in messages for i in m.webhook_ids]
    deliveries = {d.id: d for d in store.webhooks(ids)}
    now = state.clock.now()
    threads = {}
    for channel in CHANNELS:
        sender = config.sender_for(channel)
        thread: dict[str, Any] = {
            "channel": channel,
            "sender": sender,
            "messages": [bubble(m, deliveries) for m in messages if m.channel == channel],
        }
        if channel == "sms":
            thread["opted_out"] = store.is_opted_out(phone, sender)
        else:
            last = store.last_inbound(phone, sender)
            closes = last + WHATSAPP_WINDOW if last else None
            thread["window_open"] = bool(closes and closes > now)
            thread["window_closes_at"] = iso(closes)
        threads[channel] = thread
    return {"phone": phone, "name": store.phone_name(phone), "threads": threads, "now": iso(now)}
