"""Mounting the console on the web application: the signed session cookie, the pages,
the static files, and what happens when nobody is logged in."""

from __future__ import annotations

import secrets
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from bot.console import conversation, dashboard, live, remedies, routes
from bot.console.auth import LoginLimiter, LoginRequired
from bot.console.headers import ConsoleHeaders
from bot.settings import Settings

STATIC = Path(__file__).resolve().parent / "static"
SESSION_HOURS = 12


def install_console(app: FastAPI, settings: Settings) -> None:
    secret = settings.console_secret_key or secrets.token_urlsafe(48)
    app.add_middleware(ConsoleHeaders)
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret,
        session_cookie="recall_console",
        max_age=SESSION_HOURS * 3600,
        same_site="strict",
        https_only=settings.public_base_url.startswith("https://"),
    )
    app.state.login_limiter = LoginLimiter()
    app.include_router(routes.public)
    app.include_router(routes.router)
    app.include_router(conversation.router)
    app.include_router(live.router)
    app.include_router(remedies.router)
    app.include_router(dashboard.router)
    app.mount("/console/static", StaticFiles(directory=STATIC), name="console-static")

    @app.exception_handler(LoginRequired)
    async def _login_required(request: Request, _exc: LoginRequired) -> Response:
        accept = request.headers.get("accept", "")
        wants_json = "application/json" in accept and "text/html" not in accept
        if request.method == "GET" and not wants_json:
            return RedirectResponse("/console/login", status_code=303)
        return JSONResponse({"detail": "log in first"}, status_code=401)
