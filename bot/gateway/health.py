"""GET /health: 200 when the database, every Rasa replica and the action server answer, else 503."""

from __future__ import annotations

import asyncio

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from bot.gateway.system_failures import http_ok

router = APIRouter()


def _database_ok(factory) -> bool:
    try:
        with factory() as session:
            session.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - reported as down
        return False


@router.get("/health")
async def health(request: Request) -> JSONResponse:
    state = request.app.state
    settings = state.settings
    async with httpx.AsyncClient() as client:
        database, actions, *replicas = await asyncio.gather(
            asyncio.to_thread(_database_ok, state.factory),
            http_ok(f"{settings.action_server_url}/health", client=client),
            *(http_ok(f"{url}/status?token={settings.rasa_token}", client=client) for url in settings.rasa_urls),
        )
    rasa = all(replicas)  # every replica (RASA_REPLICAS)
    checks = {
        "database": "ok" if database else "down",
        "rasa": "ok" if rasa else "down",
        "action_server": "ok" if actions else "down",
    }
    ok = database and rasa and actions
    return JSONResponse({"status": "ok" if ok else "unavailable", "checks": checks}, status_code=200 if ok else 503)
