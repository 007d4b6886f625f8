"""The customers' phones page (/), its static files, and the media customers sent as the page
shows them (/sim/media/{ME…}, no credentials: the app gets the authenticated Media URL)."""

from __future__ import annotations

from pathlib import Path

import jinja2
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates

from bot.twilio_sim.addresses import normalise
from bot.twilio_sim.state import SimState
from bot.twilio_sim.views import conversation, phone_summaries

PACKAGE_DIR = Path(__file__).parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
STATIC_DIR = PACKAGE_DIR / "static"
# Media types a browser may render inline; anything else is served as a download.
INLINE_MEDIA = ("image/", "video/", "audio/", "application/pdf")
PAGE_CSP = (
    "default-src 'self'; img-src * data: blob:; media-src *; script-src 'self'; style-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)

templates = Jinja2Templates(
    env=jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
)
router = APIRouter()


def sim_state(request: Request) -> SimState:
    state: SimState = request.app.state.sim
    return state


@router.get("/", response_class=HTMLResponse)
async def index(request: Request, phone: str | None = None) -> Response:
    state = sim_state(request)
    selected = normalise(phone, state.config.default_region) if phone else None
    context = {
        "config": state.config,
        "phones": phone_summaries(state),
        "selected": selected,
        "conversation": conversation(state, selected) if selected else None,
        "invalid_phone": phone if phone and selected is None else None,
    }
    response = templates.TemplateResponse(request, "index.html", context)
    response.headers["Content-Security-Policy"] = PAGE_CSP
    return response


@router.get("/sim/media/{media_sid}")
async def media(request: Request, media_sid: str) -> Response:
    stored = sim_state(request).store.get_media(media_sid)
    if stored is None:
        return JSONResponse({"error": f"no media {media_sid}"}, status_code=404)
    inline = stored.content_type.startswith(INLINE_MEDIA)
    headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=3600"}
    if not inline:
        headers["Content-Disposition"] = "attachment"
    return Response(
        stored.data, media_type=stored.content_type if inline else "application/octet-stream", headers=headers
    )


@router.get("/sim/health")
async def health(request: Request) -> JSONResponse:
    state = sim_state(request)
    return JSONResponse({"ok": True, "account_sid": state.config.account_sid, "pending_tasks": state.tasks.pending})
