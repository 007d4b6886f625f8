"""Rendering the console's pages: the templates, the filters they use, one-time notices."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

from fastapi import Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from bot.console.auth import CurrentAgent
from bot.console.csrf import csrf_token
from bot.domain.languages import language_name
from bot.models import utcnow
from bot.services.escalations import open_escalation_count

TEMPLATES = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")  # autoescape on for .html
FLASH = "flash"


def waited(since: dt.datetime, now: dt.datetime) -> str:
    """'3 min', '2 h 05 min', '1 d 4 h': how long a customer has waited."""
    minutes = max(0, int((now - since).total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 24 * 60:
        return f"{minutes // 60} h {minutes % 60:02d} min"
    return f"{minutes // (24 * 60)} d {minutes % (24 * 60) // 60} h"


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


TEMPLATES.env.filters["waited"] = lambda since: waited(_aware(since), utcnow())


def clock(moment: dt.datetime, zone: str | None = None) -> str:
    """'01 Dec 10:26 IST': a moment in the customer's time zone (UTC when none is known)."""
    local = _aware(moment).astimezone(zoneinfo.ZoneInfo(zone)) if zone else _aware(moment)
    return local.strftime("%d %b %H:%M %Z")


TEMPLATES.env.filters["clock"] = clock
# A customer's language by name; unset: the campaign's default is written in.
TEMPLATES.env.filters["language"] = lambda code: language_name(code) if code else "campaign default"


def page(
    request: Request,
    session: Session | None,
    name: str,
    agent: CurrentAgent | None,
    status_code: int = 200,
    **context: object,
) -> Response:
    """A whole page, read in the request's `session` (None: nobody is logged in, no badge);
    it shows (and so clears) the one-time notice of the last action."""
    badge = open_escalation_count(session) if agent is not None and session is not None else 0
    return TEMPLATES.TemplateResponse(
        request,
        name,
        {"agent": agent, "csrf": csrf_token(request), "open_count": badge, "flash": pop_flash(request), **context},
        status_code=status_code,
    )


def set_flash(request: Request, text: str) -> None:
    request.session[FLASH] = text


def pop_flash(request: Request) -> str | None:
    return request.session.pop(FLASH, None)
