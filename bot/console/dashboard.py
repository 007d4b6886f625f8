"""The recall's progress for the recall team and agents: `/console/campaigns` (the
recalls) and `/console/campaigns/<slug>` (funnel by channel, correction rate, charts,
feedback; live through the console's event stream), and the customers as CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from sqlalchemy.orm import Session, sessionmaker

from bot.campaigns.loader import get_campaign
from bot.console.auth import CurrentAgent, require_agent
from bot.console.csrf import csrf_protect
from bot.console.deps import SessionDep
from bot.console.pages import page
from bot.models import Campaign, utcnow
from bot.services.console_view import campaigns_newest_first, record_audit
from bot.services.dashboard import customers_csv_rows, dashboard_data

router = APIRouter(prefix="/console/campaigns", dependencies=[Depends(require_agent), Depends(csrf_protect)])


def _campaign(session: Session, slug: str) -> Campaign:
    try:
        return get_campaign(session, slug)
    except LookupError as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from None


def dashboard_json(session: Session, slug: str) -> str:
    """The dashboard's figures as the page's script reads them (also sent live)."""
    return _json(dashboard_data(session, _campaign(session, slug)))


def _json(data: dict[str, Any]) -> str:
    return json.dumps(data, default=str, separators=(",", ":"))


@router.get("", response_class=HTMLResponse)
def campaigns_page(
    request: Request, session: SessionDep, agent: Annotated[CurrentAgent, Depends(require_agent)]
) -> Response:
    return page(request, session, "campaigns.html", agent, campaigns=campaigns_newest_first(session))


@router.get("/{slug}", response_class=HTMLResponse)
def dashboard_page(
    request: Request, slug: str, session: SessionDep, agent: Annotated[CurrentAgent, Depends(require_agent)]
) -> Response:
    campaign = _campaign(session, slug)
    data = dashboard_data(session, campaign)
    return page(request, session, "dashboard.html", agent, campaign=campaign, data=data, data_json=_json(data))


def _csv_lines(factory: sessionmaker[Session], slug: str) -> Iterator[str]:
    """The CSV in chunks, read in a session of its own: the body is streamed after the
    route has returned and its request session (SessionDep) has ended."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    with factory() as session:
        for row in customers_csv_rows(session, _campaign(session, slug)):
            writer.writerow(row)
            if buffer.tell() > 64 * 1024:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
    yield buffer.getvalue()


@router.get("/{slug}/customers.csv")
def customers_csv(
    request: Request, slug: str, session: SessionDep, agent: Annotated[CurrentAgent, Depends(require_agent)]
) -> Response:
    """Every customer of the recall with their state (streamed). The request's session
    checks the recall and records the export (committed before the body starts); the rows
    are read by `_csv_lines` in a session of its own while the response streams."""
    campaign = _campaign(session, slug)
    record_audit(session, agent.email, "campaign.exported", campaign=slug)
    filename = f"{campaign.slug}-customers-{utcnow():%Y%m%d-%H%M}.csv"
    return StreamingResponse(
        _csv_lines(request.app.state.factory, slug),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
