"""The simulator tests' numbers and account, polling helpers, and `Receiver`: a small
recording app that stands in for the Recall Assistant's webhooks."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from starlette.requests import Request
from starlette.responses import Response
from twilio.request_validator import RequestValidator
from twilio.rest import Client

OPENAPI = Path("/work/shared/twilio/twilio_api_v2010.json")
CUSTOMER = "+919876543210"
OTHER_CUSTOMER = "+919812345678"
SMS_FROM = "+15005550006"
WHATSAPP_FROM = "whatsapp:+14155238886"
AUTH_TOKEN = "test-auth-token"
ACCOUNT_SID = "AC" + "ab" * 16


def wait_until(check: Callable[[], Any], timeout: float = 5.0, interval: float = 0.01) -> Any:
    """Poll `check` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"condition not met within {timeout} s")
        time.sleep(interval)


@dataclass
class Hit:
    path: str
    url: str  # the full URL the request was made to, as the signature covers it
    headers: dict[str, str]
    form: dict[str, str]
    at: float

    def signed_with(self, token: str) -> bool:
        return RequestValidator(token).validate(self.url, self.form, self.headers.get("x-twilio-signature", ""))


@dataclass
class Reply:
    status: int = 200
    body: str = ""
    content_type: str = "text/plain"
    delay: float = 0.0


@dataclass
class Receiver:
    """The app's side: records every webhook, answers as told per path."""

    base_url: str = ""
    hits: list[Hit] = field(default_factory=list)
    replies: dict[str, Reply] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return self.base_url + path

    def reply(self, path: str, **reply: Any) -> None:
        self.replies[path] = Reply(**reply)

    def at(self, path: str) -> list[Hit]:
        with self.lock:
            return [h for h in self.hits if h.path == path]

    def wait_for(self, path: str, count: int = 1, timeout: float = 5.0) -> list[Hit]:
        return wait_until(lambda: (hits := self.at(path)) and len(hits) >= count and hits, timeout)

    async def asgi_endpoint(self, request: Request) -> Response:
        import asyncio

        form = await request.form()
        hit = Hit(
            request.url.path,
            str(request.url),
            {k.lower(): v for k, v in request.headers.items()},
            {k: str(v) for k, v in form.items()},
            time.monotonic(),
        )
        with self.lock:
            self.hits.append(hit)
        reply = self.replies.get(request.url.path, Reply())
        if reply.delay:
            await asyncio.sleep(reply.delay)
        return Response(reply.body, status_code=reply.status, media_type=reply.content_type)

    def clear(self) -> None:
        with self.lock:
            self.hits.clear()
            self.replies.clear()


def final_status(
    client: Client,
    sid: str,
    statuses: tuple[str, ...] = ("delivered", "read", "failed", "undelivered"),
    timeout: float = 5.0,
) -> Any:
    return wait_until(lambda: (m := client.messages(sid).fetch()).status in statuses and m, timeout)
