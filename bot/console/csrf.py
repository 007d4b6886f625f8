"""CSRF protection for the console's forms: one random token per session, sent back in
every form (`csrf_token` field) and compared in constant time.

`csrf_protect` is a router-level dependency: every state-changing request (POST, PUT,
PATCH, DELETE) on a console router must carry the token; reads pass."""

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


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def check_csrf(request: Request, sent: str | None) -> None:
    expected = request.session.get(SESSION_KEY)
    if not expected or not sent or not hmac.compare_digest(expected, sent):
        raise HTTPException(
            status_code=403, detail="The form expired or did not come from the console: reload the page."
        )


async def csrf_protect(request: Request) -> None:
    """Refuse (403) a state-changing request whose form lacks the session's token. The form
    is parsed once: Starlette keeps it for the route's own `Form` parameters."""
    if request.method in SAFE_METHODS:
        return
    sent = (await request.form()).get("csrf_token")
    check_csrf(request, sent if isinstance(sent, str) else None)
