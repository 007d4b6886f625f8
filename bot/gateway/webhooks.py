"""Twilio's webhooks: POST /twilio/inbound and POST /twilio/status.

Both check X-Twilio-Signature against PUBLIC_BASE_URL + path (403 and nothing stored
when it is missing or wrong). The inbound webhook commits the message (one INSERT),
wakes the processor and answers empty TwiML at once; finding the customer and the
dialogue happen after.

The inbound webhook stores on the app's own threads (`app.state.webhook_threads`), not
on the default pool that background processing and status callbacks use: an
acknowledgement does not wait behind a queue of processing steps.

A message that could not be stored (the database is down or restarting) is answered
503, never 200: nothing was promised, and Twilio reports (or retries) it; the same
MessageSid later is stored once."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from typing import TypeVar

import psycopg
from fastapi import APIRouter, Request, Response
from sqlalchemy.exc import InterfaceError, OperationalError

from bot.gateway.inbound import store_inbound
from bot.gateway.signatures import is_signed_by_twilio, public_url
from bot.gateway.status_callbacks import apply_status

log = logging.getLogger(__name__)
router = APIRouter(prefix="/twilio")
T = TypeVar("T")

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


async def _signed_form(request: Request) -> dict[str, str] | None:
    form = {key: str(value) for key, value in (await request.form()).multi_items()}
    settings = request.app.state.settings
    url = public_url(settings.public_base_url, request.url.path, request.url.query)
    if not is_signed_by_twilio(settings.twilio_auth_token, url, form, request.headers.get("X-Twilio-Signature")):
        return None
    return form


async def _in_webhook_thread(request: Request, fn: Callable[..., T], *args: object) -> T:
    executor = getattr(request.app.state, "webhook_threads", None)  # None before start: the default pool
    return await asyncio.get_running_loop().run_in_executor(executor, functools.partial(fn, *args))


@router.post("/inbound")
async def inbound(request: Request) -> Response:
    form = await _signed_form(request)
    if form is None:
        return Response("invalid Twilio signature", status_code=403, media_type="text/plain")
    if not form.get("MessageSid"):
        return Response("MessageSid is missing", status_code=400, media_type="text/plain")
    try:
        stored = await _in_webhook_thread(request, store_inbound, request.app.state.factory, form)
    except (OperationalError, InterfaceError, psycopg.OperationalError, psycopg.InterfaceError) as exc:
        log.error("message %s not stored (%s): answered 503", form.get("MessageSid"), exc.__class__.__name__)
        return Response(
            "the message could not be stored; try again",
            status_code=503,
            media_type="text/plain",
            headers={"Retry-After": "5"},
        )
    if stored.created and request.app.state.processor is not None:  # else the worker is woken by the database
        request.app.state.processor.received()
    return Response(EMPTY_TWIML, media_type="text/xml")


@router.post("/status")
async def status(request: Request) -> Response:
    form = await _signed_form(request)
    if form is None:
        return Response("invalid Twilio signature", status_code=403, media_type="text/plain")
    await asyncio.to_thread(
        apply_status, request.app.state.factory, form
    )  # may wait for a row lock: not on the inbound threads
    return Response(status_code=204)
