"""Creating outbound messages: `POST Messages.json` validated as Twilio does, and the
replies Twilio itself sends (TwiML answers, opt-out confirmations)."""

from __future__ import annotations

import json
import mimetypes
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from bot.twilio_sim.addresses import is_e164, split
from bot.twilio_sim.callbacks import start_lifecycle
from bot.twilio_sim.errors import TwilioApiError
from bot.twilio_sim.faults import DeliveryFailure
from bot.twilio_sim.segments import count_segments
from bot.twilio_sim.sids import is_sid, new_sid
from bot.twilio_sim.state import SimState
from bot.twilio_sim.store import MediaRef, SimMessage

MAX_BODY = 1600
WHATSAPP_WINDOW = timedelta(hours=24)
_VARIABLE = re.compile(r"\{\{\s*([^}\s]+)\s*\}\}")


@dataclass(frozen=True)
class CreateRequest:
    """The form fields of `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` used here."""

    to: str = ""
    from_: str = ""
    messaging_service_sid: str = ""
    body: str = ""
    media_urls: Sequence[str] = field(default_factory=tuple)
    content_sid: str = ""
    content_variables: str = ""
    status_callback: str = ""

    @classmethod
    def from_form(cls, get: Mapping[str, str], media_urls: Sequence[str]) -> CreateRequest:
        return cls(
            to=(get.get("To") or "").strip(),
            from_=(get.get("From") or "").strip(),
            messaging_service_sid=(get.get("MessagingServiceSid") or "").strip(),
            body=get.get("Body") or "",
            media_urls=tuple(u.strip() for u in media_urls if u.strip()),
            content_sid=(get.get("ContentSid") or "").strip(),
            content_variables=get.get("ContentVariables") or "",
            status_callback=(get.get("StatusCallback") or "").strip(),
        )


def media_type(url: str) -> str:
    return mimetypes.guess_type(url.split("?", 1)[0])[0] or "application/octet-stream"


def render_template(template: str | None, content_sid: str, variables: dict[str, str], fallback: str) -> str:
    """The text of a content template with its variables; unknown templates show their SID."""
    if template is None:
        if fallback:
            return fallback
        shown = ", ".join(f"{k}={v}" for k, v in variables.items())
        return f"[template {content_sid}]" + (f" {shown}" if shown else "")
    return _VARIABLE.sub(lambda m: str(variables.get(m.group(1), m.group(0))), template)


def _content_variables(raw: str) -> dict[str, str]:
    if not raw.strip():
        return {}
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise TwilioApiError(21656) from exc
    if not isinstance(value, dict):
        raise TwilioApiError(21656)
    return {str(k): str(v) for k, v in value.items()}


def window_open(state: SimState, customer: str, sender: str) -> bool:
    last = state.store.last_inbound(customer, sender)
    return last is not None and state.clock.now() - last < WHATSAPP_WINDOW


def create_message(state: SimState, request: CreateRequest) -> SimMessage:
    """Validate like Twilio (first failing rule wins), store the message, start its lifecycle."""
    config, faults = state.config, state.faults
    if not request.to:
        raise TwilioApiError(21604)
    injected = faults.create_error(request.to)
    if injected is not None:
        raise TwilioApiError(injected, to=request.to, from_=request.from_, service=request.messaging_service_sid)
    if not request.from_ and not request.messaging_service_sid:
        raise TwilioApiError(21603)
    service = request.messaging_service_sid or None
    if service is not None and (
        not is_sid("MG", service) or (config.messaging_service_sid and service != config.messaging_service_sid)
    ):
        raise TwilioApiError(21701, service=service)
    to = split(request.to)
    if not is_e164(to.phone):
        raise TwilioApiError(21211, to=request.to)
    if request.from_:
        sender = split(request.from_)
        if sender.channel != to.channel:
            raise TwilioApiError(21910)
        if sender.text != config.sender_for(sender.channel):
            raise TwilioApiError(21606 if is_e164(sender.phone) else 21212, from_=request.from_)
    if not request.body and not request.media_urls and not request.content_sid:
        raise TwilioApiError(21602)
    if request.content_sid and not is_sid("HX", request.content_sid):
        raise TwilioApiError(21655)
    variables = _content_variables(request.content_variables)
    if len(request.body) > MAX_BODY:
        raise TwilioApiError(21617)
    sender_address = config.sender_for(to.channel)
    if to.channel == "sms" and state.store.is_opted_out(to.phone, sender_address):
        raise TwilioApiError(21610)
    failure: DeliveryFailure | None = None
    if to.channel == "whatsapp" and not request.content_sid and not window_open(state, to.phone, sender_address):
        if config.whatsapp_window == "reject":
            raise TwilioApiError(63016)
        failure = DeliveryFailure(63016, "failed")

    body = request.body
    if request.content_sid:
        body = render_template(state.templates.get(request.content_sid), request.content_sid, variables, body)
    now = state.clock.now()
    from_ = request.from_ or None
    if from_ is None:
        segments = 0  # Twilio reports 0 until the Messaging Service has picked a sender
    else:
        segments = 1 if to.channel == "whatsapp" else count_segments(body)
    message = SimMessage(
        sid=new_sid("MM" if request.media_urls else "SM"),
        direction="outbound-api",
        channel=to.channel,
        customer=to.phone,
        from_=from_,
        to=to.text,
        body=body,
        status="accepted" if service else "queued",
        date_created=now,
        date_updated=now,
        num_segments=segments,
        messaging_service_sid=service,
        status_callback=request.status_callback or config.default_status_callback or None,
        content_sid=request.content_sid or None,
        content_variables=request.content_variables or None,
        media=[MediaRef(url, media_type(url)) for url in request.media_urls],
    )
    stored = state.store.add_message(message)
    start_lifecycle(state, stored, failure or faults.delivery_failure(request.to))
    return stored


def send_reply(
    state: SimState,
    customer: str,
    channel: str,
    body: str,
    media: Sequence[MediaRef] = (),
    status_callback: str | None = None,
    blocked_code: int | None = None,
) -> SimMessage:
    """A message Twilio sends on the account's behalf (direction `outbound-reply`).

    With `blocked_code` the message is stored as failed with that error (e.g. 21610 for a TwiML
    reply to an opted-out number) and never progresses."""
    config = state.config
    now = state.clock.now()
    to = f"whatsapp:{customer}" if channel == "whatsapp" else customer
    message = SimMessage(
        sid=new_sid("MM" if media else "SM"),
        direction="outbound-reply",
        channel="whatsapp" if channel == "whatsapp" else "sms",
        customer=customer,
        from_=config.sender_for(channel),
        to=to,
        body=body,
        status="failed" if blocked_code else "queued",
        date_created=now,
        date_updated=now,
        num_segments=1 if channel == "whatsapp" else count_segments(body),
        status_callback=status_callback,
        media=list(media),
        error_code=blocked_code,
        error_message=None if blocked_code is None else TwilioApiError(blocked_code).message,
    )
    stored = state.store.add_message(message)
    if blocked_code is None:
        start_lifecycle(state, stored, state.faults.delivery_failure(to))
    return stored
