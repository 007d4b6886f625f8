"""CSRF protection for the console's forms: one random token per session, sent back in
every form (`csrf_token` field) and compared in constant time."""

from __future__ import annotations

import hmac
import secrets

from fastapi import HTTPException, Request

SESSION_KEY = "csrf"


def csrf_token(request: Request) -> str:
    token = request.session.get(SESSION_KEY)
    if not token:
        token = request.session[SESSION_KEY] = secrets.token_urlsafe(32)
    return token


def rotate_csrf(request: Request) -> None:
    request.session[SESSION_KEY] = secrets.token_urlsafe(32)


def check_csrf(request: Request, sent: str | None) -> None:
    expected = request.session.get(SESSION_KEY)
    if not expected or not sent or not hmac.compare_digest(expected, sent):
        raise HTTPException(
            status_code=403, detail="The form expired or did not come from the console: reload the page."
        )
