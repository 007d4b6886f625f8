"""The simulator's own JSON API (/sim/api/…): customers sending, phones, faults, logs, reset."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from bot.twilio_sim.addresses import CHANNELS, Channel, normalise
from bot.twilio_sim.clock import iso
from bot.twilio_sim.faults import FaultError
from bot.twilio_sim.inbound import Upload, deliver, receive, start_delivery
from bot.twilio_sim.resource import sim_message_json, webhook_json
from bot.twilio_sim.sids import is_sid
from bot.twilio_sim.state import SimState
from bot.twilio_sim.views import conversation, phone_summaries

MAX_PHOTO_BYTES = 5 * 1024 * 1024  # Twilio's limit for images
TRUE = {"1", "true", "yes", "on"}

router = APIRouter(prefix="/sim/api")


def sim_state(request: Request) -> SimState:
    state: SimState = request.app.state.sim
    return state


def problem(message: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


async def _payload(request: Request) -> tuple[dict[str, Any], list[Upload]]:
    """JSON, or a form (urlencoded/multipart) whose `photo` fields are files."""
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            data = await request.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise ValueError("a JSON object is required")
        return data, []
    form = await request.form()
    data = {k: v for k, v in form.items() if isinstance(v, str)}
    uploads = []
    for item in form.getlist("photo"):
        if isinstance(item, UploadFile) and item.filename:
            content = await item.read()
            if len(content) > MAX_PHOTO_BYTES:
                raise ValueError("photo is larger than 5 MB")
            if content:
                uploads.append(Upload(content, item.content_type or "application/octet-stream", item.filename))
    return data, uploads


def _safe_redirect(target: str) -> str | None:
    """Only same-site paths, so the form cannot be turned into an open redirect."""
    parts = urlsplit(target)
    return target if target.startswith("/") and not target.startswith("//") and not parts.netloc else None


@router.post("/send", status_code=201)
async def send(request: Request) -> Response:
    """A customer's phone sends a message to the SMS number or the WhatsApp sender."""
    state = sim_state(request)
    try:
        data, uploads = await _payload(request)
    except ValueError as exc:
        return problem(str(exc))
    phone = normalise(str(data.get("from") or ""), state.config.default_region)
    if phone is None:
        return problem(f"from: {data.get('from') or ''!r} is not a valid phone number (use +E.164)")
    channel = str(data.get("channel") or "sms").lower()
    if channel not in CHANNELS:
        return problem("channel: 'sms' or 'whatsapp'")
    body = str(data.get("body") or "")
    if not body.strip() and not uploads:
        return problem("body or photo is required")
    if data.get("name"):
        state.store.register_phone(phone, str(data["name"]), state.clock.now())
    channel_name: Channel = "whatsapp" if channel == "whatsapp" else "sms"
    message = receive(state, phone, channel_name, body, uploads, str(request.base_url))
    delivery = None
    if str(data.get("wait", "")).lower() in TRUE or data.get("wait") is True:
        delivery = await deliver(state, message)
    else:
        start_delivery(state, message)
    redirect = _safe_redirect(str(data.get("redirect") or ""))
    if redirect and "application/json" not in request.headers.get("accept", ""):
        return RedirectResponse(redirect, status_code=303)
    stored = state.store.get(message.sid) or message
    return JSONResponse(
        {
            "message": sim_message_json(stored, state.config.account_sid),
            "webhook": webhook_json(delivery) if delivery else None,
        },
        status_code=201,
    )


@router.post("/phones", status_code=201)
async def register_phone(request: Request) -> JSONResponse:
    state = sim_state(request)
    try:
        data, _ = await _payload(request)
    except ValueError as exc:
        return problem(str(exc))
    phone = normalise(str(data.get("phone") or ""), state.config.default_region)
    if phone is None:
        return problem(f"phone: {data.get('phone') or ''!r} is not a valid phone number (use +E.164)")
    entry = state.store.register_phone(phone, str(data.get("name") or "").strip()[:80], state.clock.now())
    return JSONResponse({"phone": entry.phone, "name": entry.name}, status_code=201)


@router.get("/phones")
async def phones(request: Request) -> JSONResponse:
    return JSONResponse({"phones": phone_summaries(sim_state(request))})


@router.get("/conversation")
async def phone_conversation(request: Request, phone: str) -> JSONResponse:
    state = sim_state(request)
    normalised = normalise(phone, state.config.default_region)
    if normalised is None:
        return problem(f"phone: {phone!r} is not a valid phone number")
    return JSONResponse(conversation(state, normalised))


@router.get("/messages")
async def messages(request: Request, phone: str | None = None, channel: str | None = None) -> JSONResponse:
    """Every message, newest last, as Twilio's JSON plus a `sim` block."""
    state = sim_state(request)
    selected = state.store.messages(
        lambda m: (phone is None or m.customer == phone) and (channel is None or m.channel == channel)
    )
    return JSONResponse({"messages": [sim_message_json(m, state.config.account_sid) for m in selected]})


@router.get("/messages/{sid}")
async def message(request: Request, sid: str) -> JSONResponse:
    state = sim_state(request)
    found = state.store.get(sid)
    if found is None:
        return problem(f"no message {sid}", 404)
    return JSONResponse(sim_message_json(found, state.config.account_sid))


@router.get("/webhooks")
async def webhooks(
    request: Request, kind: str | None = None, message_sid: str | None = None, limit: int | None = None
) -> JSONResponse:
    """The webhook deliveries log, oldest first (`limit`: only the last N): URL, form,
    signature, the app's HTTP status and latency."""
    deliveries = sim_state(request).store.webhooks(
        where=lambda w: (kind is None or w.kind == kind) and (message_sid is None or w.message_sid == message_sid)
    )
    if limit is not None and limit >= 0:
        deliveries = deliveries[-limit:] if limit else []
    return JSONResponse({"webhooks": [webhook_json(w) for w in deliveries]})


@router.get("/faults")
async def get_faults(request: Request) -> JSONResponse:
    return JSONResponse(sim_state(request).faults.as_json())


@router.post("/faults")
async def set_faults(request: Request) -> JSONResponse:
    state = sim_state(request)
    try:
        state.faults.apply(await request.json())
    except (ValueError, FaultError) as exc:
        return problem(str(exc))
    return JSONResponse(state.faults.as_json())


@router.delete("/faults")
async def clear_faults(request: Request) -> JSONResponse:
    state = sim_state(request)
    state.faults.clear()
    return JSONResponse(state.faults.as_json())


@router.post("/reset")
async def reset(request: Request) -> JSONResponse:
    await sim_state(request).reset()
    return JSONResponse({"reset": True})


@router.get("/clock")
async def get_clock(request: Request) -> JSONResponse:
    clock = sim_state(request).clock
    return JSONResponse({"now": iso(clock.now()), "offset_seconds": clock.offset_seconds})


@router.post("/clock")
async def advance_clock(request: Request) -> JSONResponse:
    """Move the simulator's time forward (e.g. past a 24-hour WhatsApp window)."""
    clock = sim_state(request).clock
    try:
        seconds = float((await request.json()).get("advance_seconds"))
    except (ValueError, TypeError, AttributeError):
        return problem("advance_seconds: a number is required")
    if seconds < 0:
        return problem("advance_seconds: the clock only moves forward")
    clock.advance(seconds)
    return JSONResponse({"now": iso(clock.now()), "offset_seconds": clock.offset_seconds})


@router.get("/templates")
async def templates(request: Request) -> JSONResponse:
    return JSONResponse({"templates": sim_state(request).templates})


@router.post("/templates", status_code=201)
async def add_template(request: Request) -> JSONResponse:
    """Register a content template's text ({{1}}-style variables) under its HX… SID."""
    state = sim_state(request)
    try:
        data = await request.json()
        sid, text = str(data["sid"]), str(data["body"])
    except (ValueError, KeyError, TypeError):
        return problem("a JSON object with sid and body is required")
    if not is_sid("HX", sid):
        return problem("sid: HX followed by 32 hex digits")
    state.templates[sid] = text
    return JSONResponse({"sid": sid, "body": text}, status_code=201)


@router.get("/config")
async def config(request: Request) -> JSONResponse:
    """The simulated account, without its auth token."""
    cfg = sim_state(request).config
    return JSONResponse(
        {
            "account_sid": cfg.account_sid,
            "sms_number": cfg.sms_number,
            "whatsapp_number": cfg.whatsapp_address,
            "messaging_service_sid": cfg.messaging_service_sid or None,
            "inbound_url": cfg.inbound_url or None,
            "public_url": cfg.public_url or None,
            "step_delay": cfg.step_delay,
            "read_delay": cfg.read_delay,
            "whatsapp_window": cfg.whatsapp_window,
            "auto_replies": cfg.auto_replies,
        }
    )
