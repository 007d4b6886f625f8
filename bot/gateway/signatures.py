"""Twilio webhook signatures, checked against the public URL Twilio called.

The URL is built from PUBLIC_BASE_URL + the request path (and query), never from the
Host header: behind a reverse proxy or TLS terminator the Host the app sees is not the
one Twilio signed.
"""

from __future__ import annotations

from collections.abc import Mapping

from twilio.request_validator import RequestValidator


def public_url(public_base_url: str, path: str, query: str = "") -> str:
    url = public_base_url.rstrip("/") + path
    return f"{url}?{query}" if query else url


def is_signed_by_twilio(auth_token: str, url: str, params: Mapping[str, str], signature: str | None) -> bool:
    if not signature:
        return False
    return RequestValidator(auth_token).validate(url, dict(params), signature)
