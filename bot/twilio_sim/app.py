"""The simulator as one ASGI application: Twilio's REST subset (Messages and their Media), the
/sim/api JSON API, the customers' phones page and its static files."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from bot.twilio_sim import api, media, pages, rest
from bot.twilio_sim.config import SimConfig
from bot.twilio_sim.errors import TwilioApiError
from bot.twilio_sim.state import SimState


async def _twilio_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, TwilioApiError)
    return exc.response()


def create_app(config: SimConfig | None = None) -> FastAPI:
    """A fresh simulator with its own in-memory state (`app.state.sim`)."""
    state = SimState(config or SimConfig())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await state.aclose()

    app = FastAPI(
        title="Twilio simulator", docs_url=None, redoc_url=None, openapi_url="/sim/openapi.json", lifespan=lifespan
    )
    app.state.sim = state
    app.add_exception_handler(TwilioApiError, _twilio_error)
    app.include_router(media.router)  # before rest.router, whose last route answers any other path
    app.include_router(rest.router)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/sim/static", StaticFiles(directory=pages.STATIC_DIR), name="sim-static")
    return app
