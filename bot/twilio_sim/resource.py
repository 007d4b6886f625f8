"""The Message and Media resources as Twilio's REST API returns them (schemas
`api.v2010.account.message` and `api.v2010.account.message.media`)."""

from __future__ import annotations

from typing import Any

from bot.twilio_sim.clock import iso, rfc2822
from bot.twilio_sim.store import SimMessage, StoredMedia, WebhookDelivery

API_VERSION = "2010-04-01"


def account_uri(account_sid: str) -> str:
    return f"/{API_VERSION}/Accounts/{account_sid}"


def media_uri(account_sid: str, message_sid: str, media_sid: str) -> str:
    """Where the media's content is (no `.json`); with `.json`, the Media resource."""
    return f"{account_uri(account_sid)}/Messages/{message_sid}/Media/{media_sid}"


def media_path(media_sid: str) -> str:
    """The phones page's own link to a customer's photo: the customer's phone shows what it
    sent without the account's credentials. Never sent to the app (its MediaUrl is the
    authenticated Media resource)."""
    return f"/sim/media/{media_sid}"


def media_json(media: StoredMedia, account_sid: str) -> dict[str, Any]:
    return {
        "account_sid": account_sid,
        "content_type": media.content_type,
        "date_created": rfc2822(media.date_created),
        "date_updated": rfc2822(media.date_created),
        "parent_sid": media.parent_sid,
        "sid": media.sid,
        "uri": f"{media_uri(account_sid, media.parent_sid, media.sid)}.json",
    }


def message_json(message: SimMessage, account_sid: str) -> dict[str, Any]:
    """Every property of the published schema, with Twilio's types (counts are strings)."""
    base = f"{account_uri(account_sid)}/Messages/{message.sid}"
    return {
        "account_sid": account_sid,
        "api_version": API_VERSION,
        "body": message.body,
        "date_created": rfc2822(message.date_created),
        "date_sent": rfc2822(message.date_sent),
        "date_updated": rfc2822(message.date_updated),
        "direction": message.direction,
        "error_code": message.error_code,
        "error_message": message.error_message,
        "from": message.from_,
        "messaging_service_sid": message.messaging_service_sid,
        "num_media": str(message.num_media),
        "num_segments": str(message.num_segments),
        "price": None,
        "price_unit": "USD",
        "sid": message.sid,
        "status": message.status,
        "subresource_uris": {"media": f"{base}/Media.json", "feedback": f"{base}/Feedback.json"},
        "to": message.to,
        "uri": f"{base}.json",
    }


def webhook_json(delivery: WebhookDelivery) -> dict[str, Any]:
    return {
        "id": delivery.id,
        "kind": delivery.kind,
        "url": delivery.url,
        "message_sid": delivery.message_sid,
        "params": delivery.params,
        "signature": delivery.signature,
        "started_at": iso(delivery.started_at),
        "done": delivery.done,
        "ok": delivery.ok,
        "status_code": delivery.status_code,
        "latency_ms": delivery.latency_ms,
        "error": delivery.error,
        "response_excerpt": delivery.response_excerpt,
    }


def sim_message_json(message: SimMessage, account_sid: str) -> dict[str, Any]:
    """The Twilio JSON plus what only the simulator knows (under `sim`)."""
    data = message_json(message, account_sid)
    data["sim"] = {
        "channel": message.channel,
        "customer": message.customer,
        "seq": message.seq,
        # url: what the app gets (the Media URL, or the URL the app gave); page_url: the page's link.
        "media": [
            {
                "url": m.url,
                "content_type": m.content_type,
                "sid": m.sid,
                "page_url": media_path(m.sid) if m.sid else None,
            }
            for m in message.media
        ],
        "status_callback": message.status_callback,
        "content_sid": message.content_sid,
        "content_variables": message.content_variables,
        "history": [{"status": h.status, "at": iso(h.at), "error_code": h.error_code} for h in message.history],
        "webhook_ids": list(message.webhook_ids),
    }
    return data
