"""The part of TwiML a messaging webhook can answer with: <Response><Message>…</Message></Response>."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field


@dataclass(frozen=True)
class TwimlMessage:
    body: str
    media: list[str] = field(default_factory=list)
    to: str | None = None
    from_: str | None = None
    status_callback: str | None = None


def looks_like_twiml(body: str, content_type: str) -> bool:
    return "xml" in content_type.lower() or body.lstrip().startswith(("<?xml", "<Response"))


def parse_messages(body: str) -> list[TwimlMessage]:
    """The <Message> verbs of a TwiML document; [] for an empty or non-TwiML answer."""
    try:
        root = ET.fromstring(body.strip())
    except ET.ParseError:
        return []
    if root.tag != "Response":
        return []
    messages = []
    for verb in root.findall("Message"):
        body_el = verb.find("Body")
        text = (body_el.text if body_el is not None else verb.text) or ""
        media = [(m.text or "").strip() for m in verb.findall("Media") if (m.text or "").strip()]
        messages.append(
            TwimlMessage(
                body=text.strip(),
                media=media,
                to=verb.get("to"),
                from_=verb.get("from"),
                status_callback=verb.get("action") or verb.get("statusCallback"),
            )
        )
    return messages
