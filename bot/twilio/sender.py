"""Send one SMS or WhatsApp message through Twilio, retrying only what is safe.

Policy, per `send` call:

* 429 (honouring `Retry-After`, capped at `max_delay`), 5xx, and transport errors that
  happened before the request could reach Twilio are retried with exponential backoff
  and full jitter, at most `max_attempts` create calls in all.
* Any other 4xx is final: one request, the outcome from `errors.classify_error`.
* An UNKNOWN_OUTCOME (read timeout, connection dropped after the request went out) is
  never blindly retried: the sender lists the recent messages to the same address and,
  when one with the same body (or, for a template, any outbound one: see `_matches`) was
  created since a minute before the first attempt, returns it as sent. Only when none is
  found does it create once more; a second unknown outcome that still settles to nothing,
  or a failing list query, returns `ok=False, outcome=UNKNOWN_OUTCOME` — the status
  callback or an operator decides, the sender never risks a double send.

`attempts` counts create requests only (the list queries are not counted).
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import requests
from twilio.base.exceptions import (
    TwilioException,
    TwilioRestException,
    TwilioServiceException,
)
from twilio.rest import Client

from bot.domain.channels import Channel, split_address, whatsapp_address
from bot.settings import Settings
from bot.twilio.errors import SendOutcome, classify_exception

STATUS_CALLBACK_PATH = "/twilio/status"
SETTLE_WINDOW = timedelta(minutes=1)
SETTLE_LIMIT = 20

_SEND_ERRORS = (TwilioRestException, TwilioServiceException, requests.exceptions.RequestException)


@dataclass(frozen=True)
class SendResult:
    ok: bool
    sid: str | None
    status: str | None
    error_code: int | None
    error_message: str | None
    outcome: SendOutcome
    attempts: int


def _utc_now() -> datetime:
    return datetime.now(UTC)


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), or None."""
    if value is None or not value.strip():
        return None
    try:
        return max(0.0, float(value.strip()))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


class TwilioSender:
    def __init__(
        self,
        client: Client,
        settings: Settings,
        *,
        max_attempts: int = 5,
        base_delay: float = 0.5,
        max_delay: float = 8.0,
        sleep: Callable[[float], None] = time.sleep,
        rng: Callable[[], float] = random.random,
        now: Callable[[], datetime] = _utc_now,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.client = client
        self.settings = settings
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self._sleep = sleep
        self._rng = rng
        self._now = now

    # --- request parameters ---------------------------------------------------------

    def default_status_callback(self) -> str | None:
        base = (self.settings.public_base_url or "").rstrip("/")
        return base + STATUS_CALLBACK_PATH if base else None

    def create_params(
        self,
        to: str,
        *,
        channel: Channel,
        body: str | None = None,
        content_sid: str | None = None,
        content_variables: Mapping[str, Any] | None = None,
        media_urls: Sequence[str] = (),
        status_callback: str | None = None,
    ) -> dict[str, Any]:
        """The keyword arguments for `client.messages.create` (validated)."""
        if body is not None and content_sid is not None:
            raise ValueError("give either body or content_sid, not both")
        if content_variables and content_sid is None:
            raise ValueError("content_variables need a content_sid")
        if body is None and content_sid is None and not media_urls:
            raise ValueError("nothing to send: give body, content_sid or media_urls")
        params: dict[str, Any]
        try:
            channel = Channel(channel)
        except ValueError:
            raise ValueError(f"unknown channel {channel!r} (use 'sms' or 'whatsapp')") from None
        if channel is Channel.WHATSAPP:
            if not self.settings.twilio_whatsapp_from:
                raise ValueError("TWILIO_WHATSAPP_FROM is not set")
            params = {"to": whatsapp_address(to), "from_": whatsapp_address(self.settings.twilio_whatsapp_from)}
        else:
            if split_address(to)[0] is Channel.WHATSAPP:
                raise ValueError(f"SMS to a WhatsApp address: {to!r}")
            params = {"to": to.strip()}
            if self.settings.twilio_messaging_service_sid:
                params["messaging_service_sid"] = self.settings.twilio_messaging_service_sid
            elif self.settings.twilio_sms_from:
                params["from_"] = self.settings.twilio_sms_from
            else:
                raise ValueError("set TWILIO_MESSAGING_SERVICE_SID or TWILIO_SMS_FROM")
        if body is not None:
            params["body"] = body
        if content_sid is not None:
            params["content_sid"] = content_sid
            if content_variables:
                params["content_variables"] = json.dumps(dict(content_variables), ensure_ascii=False)
        if media_urls:
            params["media_url"] = list(media_urls)
        callback = status_callback if status_callback is not None else self.default_status_callback()
        if callback:
            params["status_callback"] = callback
        return params

    # --- sending --------------------------------------------------------------------

    def send(
        self,
        to: str,
        *,
        channel: Channel,
        body: str | None = None,
        content_sid: str | None = None,
        content_variables: Mapping[str, Any] | None = None,
        media_urls: Sequence[str] = (),
        status_callback: str | None = None,
    ) -> SendResult:
        params = self.create_params(
            to,
            channel=channel,
            body=body,
            content_sid=content_sid,
            content_variables=content_variables,
            media_urls=media_urls,
            status_callback=status_callback,
        )
        started = self._now()
        attempts = 0
        settled_once = False
        while True:
            attempts += 1
            try:
                message = self.client.messages.create(**params)
            except _SEND_ERRORS as exc:
                outcome = classify_exception(exc)
                failure = _failure(exc, outcome, attempts)
                retry_after: float | None = None
                if outcome is SendOutcome.UNKNOWN_OUTCOME:
                    try:
                        found = self._settle(params, started)
                    except (TwilioException, requests.exceptions.RequestException) as settle_exc:
                        note = f"{failure.error_message}; settling failed: {_describe(settle_exc)}"
                        return replace(failure, error_message=note)
                    if found is not None:
                        return _success(found, attempts)
                    if settled_once:
                        return failure
                    settled_once = True  # not created: one more create is safe
                elif outcome is SendOutcome.RETRYABLE:
                    retry_after = self._retry_after(exc)
                else:
                    return failure
                if attempts >= self.max_attempts:
                    return failure
                self._sleep(self._delay(attempts, retry_after))
            else:
                return _success(message, attempts)

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.max_delay)
        ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return self._rng() * ceiling  # full jitter

    def _retry_after(self, exc: BaseException) -> float | None:
        if getattr(exc, "status", None) != 429:
            return None
        last = getattr(getattr(self.client, "http_client", None), "last_response", None)
        if last is None or last.status_code != 429 or not last.headers:
            return None
        return parse_retry_after(last.headers.get("Retry-After"), self._now())

    # --- settling an unknown outcome -----------------------------------------------

    def find_sent(
        self,
        to: str,
        *,
        channel: Channel,
        since: datetime,
        body: str | None = None,
        content_sid: str | None = None,
        content_variables: Mapping[str, Any] | None = None,
    ) -> SendResult | None:
        """The message an earlier, interrupted send created (Twilio's message list), if
        Twilio has it; None if it does not. Raises when Twilio cannot be asked."""
        params = self.create_params(
            to, channel=channel, body=body, content_sid=content_sid, content_variables=content_variables
        )
        # Twilio's DateCreated has whole seconds: a message created in the attempt's own
        # second reads as earlier than it. `_settle` looks back SETTLE_WINDOW before `since`.
        found = self._settle(params, since)
        return _success(found, 0) if found is not None else None

    def _settle(self, params: Mapping[str, Any], started: datetime) -> Any | None:
        """The message this send already created, if Twilio has it; else None."""
        since = (started - SETTLE_WINDOW).astimezone(UTC)
        query: dict[str, Any] = {"to": params["to"], "limit": SETTLE_LIMIT}
        if "from_" in params:
            query["from_"] = params["from_"]
        for candidate in self.client.messages.list(**query, date_sent_after=since):
            if self._matches(candidate, params, since):
                return candidate
        # A message still queued has no DateSent yet, so the filter above cannot see it:
        # look at the most recent messages to that address as well.
        for candidate in self.client.messages.list(**query):
            if self._matches(candidate, params, since):
                return candidate
        return None

    @staticmethod
    def _matches(message: Any, params: Mapping[str, Any], since: datetime) -> bool:
        direction = getattr(message, "direction", None)
        if direction and not str(direction).startswith("outbound"):
            return False
        created = getattr(message, "date_created", None)
        if isinstance(created, datetime) and created < since:
            return False
        service = params.get("messaging_service_sid")
        listed_service = getattr(message, "messaging_service_sid", None)
        if service and listed_service and listed_service != service:
            return False
        if "content_sid" in params:
            # The Message resource does not expose ContentSid; compare it when a listed
            # record does carry it, otherwise any outbound message in the window counts.
            listed_content = getattr(message, "content_sid", None)
            return listed_content is None or listed_content == params["content_sid"]
        expected = (params.get("body") or "").strip()
        listed = (getattr(message, "body", None) or "").strip()
        # Twilio may append text (opt-out footer) but never changes what we sent.
        return listed == expected or (bool(expected) and listed.startswith(expected + " "))


def _success(message: Any, attempts: int) -> SendResult:
    return SendResult(
        ok=True,
        sid=message.sid,
        status=str(message.status) if message.status is not None else None,
        error_code=message.error_code,
        error_message=message.error_message,
        outcome=SendOutcome.SENT,
        attempts=attempts,
    )


def _describe(exc: BaseException) -> str:
    if isinstance(exc, TwilioRestException):
        return str(exc.msg)
    if isinstance(exc, TwilioServiceException):
        return exc.detail or exc.title
    return f"{type(exc).__name__}: {exc}"


def _failure(exc: BaseException, outcome: SendOutcome, attempts: int) -> SendResult:
    code = getattr(exc, "code", None) if isinstance(exc, (TwilioRestException, TwilioServiceException)) else None
    status = getattr(exc, "status", None)
    if code is not None and code == status:
        code = None  # the client puts the HTTP status in `code` when the body had none
    return SendResult(
        ok=False,
        sid=None,
        status=None,
        error_code=int(code) if code is not None else None,
        error_message=_describe(exc),
        outcome=outcome,
        attempts=attempts,
    )
