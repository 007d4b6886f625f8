"""Posting signed webhooks the way Twilio does: form-encoded, X-Twilio-Signature, no retries.

Every attempt goes into the store's webhook log with the app's HTTP status and latency."""

from __future__ import annotations

import asyncio
import secrets
import ssl
import time
from dataclasses import dataclass

import httpx
from twilio.request_validator import RequestValidator

from bot.twilio_sim.clock import SimClock
from bot.twilio_sim.store import Store, WebhookDelivery

EXCERPT_CHARS = 500
# Webhooks in flight at once. httpx's connection pool looks through every queued request
# each time a connection frees up: thousands of queued callbacks (an app that is down or
# slow) made it spend the simulator's whole CPU there and stall its REST API.
MAX_IN_FLIGHT = 32


@dataclass(frozen=True)
class WebhookResult:
    delivery: WebhookDelivery
    body: str
    content_type: str


def tls_context() -> ssl.SSLContext:
    """Certificates checked against the machine's store (and `SSL_CERT_FILE` /
    `SSL_CERT_DIR`, which OpenSSL reads), not httpx's bundled one: the app behind its
    reverse proxy may use a private or self-signed certificate on a test host."""
    return ssl.create_default_context()


def sign(auth_token: str, url: str, params: dict[str, str]) -> str:
    return RequestValidator(auth_token).compute_signature(url, params)


class WebhookPoster:
    def __init__(self, auth_token: str, timeout: float, store: Store, clock: SimClock) -> None:
        self._auth_token = auth_token
        self._timeout = timeout
        self._store = store
        self._clock = clock
        self._client: httpx.AsyncClient | None = None
        self._in_flight: asyncio.Semaphore | None = None

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(
                timeout=self._timeout, trust_env=False, follow_redirects=False, verify=tls_context()
            )
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def post(self, kind: str, url: str, message_sid: str, params: dict[str, str]) -> WebhookResult:
        signature = sign(self._auth_token, url, params)
        delivery = self._store.add_webhook(kind, url, message_sid, params, signature, self._clock.now())
        headers = {
            "X-Twilio-Signature": signature,
            "User-Agent": "TwilioProxy/1.1",
            "I-Twilio-Idempotency-Token": secrets.token_hex(16),
            "Accept": "*/*",
        }
        if self._in_flight is None:
            self._in_flight = asyncio.Semaphore(MAX_IN_FLIGHT)
        async with self._in_flight:
            return await self._post(delivery, url, params, headers)

    async def _post(
        self, delivery: WebhookDelivery, url: str, params: dict[str, str], headers: dict[str, str]
    ) -> WebhookResult:
        started = time.perf_counter()
        body, content_type = "", ""
        try:
            response = await self._http().post(url, data=params, headers=headers)
        except httpx.HTTPError as exc:
            result = {"error": f"{type(exc).__name__}: {exc}".strip().rstrip(":")}
        else:
            body, content_type = response.text, response.headers.get("content-type", "")
            result = {"status_code": response.status_code, "response_excerpt": body[:EXCERPT_CHARS]}
            if not 200 <= response.status_code < 300:
                result["error"] = f"HTTP {response.status_code}"
        result["latency_ms"] = round((time.perf_counter() - started) * 1000, 2)
        finished = self._store.finish_webhook(delivery.id, **result) or delivery
        return WebhookResult(finished, body, content_type)
