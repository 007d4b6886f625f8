"""Live updates for open console tabs (server-sent events, shown by htmx's SSE extension).

Each tab holds one event stream. Once a second the stream looks at the database — the
web app may run as several processes, and the gateway worker is another, so the
database is where changes meet — and sends what changed:

* `badge`: how many escalations nobody has claimed (beside "Queue", on every page);
* `alert`: a new escalation arrived (the page beeps and shows it);
* `queue`: the queue table, on the queue page (also every minute, for the waiting times);
* `transcript` and `panel`: the conversation and the customer's facts, on a customer's page;
* `dashboard`: a recall's figures (JSON), on its dashboard, at most every DASHBOARD_SECONDS.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session, sessionmaker
from sse_starlette import EventSourceResponse, ServerSentEvent

from bot.console.auth import CurrentAgent, require_agent
from bot.console.conversation import fragment, live_context
from bot.console.csrf import csrf_protect
from bot.console.dashboard import dashboard_json
from bot.services.console_view import activity_version
from bot.services.escalations import newest_open_escalation, open_escalation_count, queue, queue_version
from bot.services.transcript import conversation_version

router = APIRouter(prefix="/console", dependencies=[Depends(require_agent), Depends(csrf_protect)])
POLL_SECONDS = 1.0
PING_SECONDS = 15
DASHBOARD_SECONDS = 5.0  # the figures take a few queries over the whole recall


@dataclass
class Watch:
    """What one tab has been sent so far."""

    customer_id: int | None
    on_queue: bool
    campaign: str | None = None
    newest_escalation: int | None = None
    dashboard_due: float = 0.0
    sent: dict[str, Any] = field(default_factory=dict)


def _changes(
    factory: sessionmaker[Session], request: Request, agent: CurrentAgent, watch: Watch
) -> list[ServerSentEvent]:
    """What changed since the last poll, read in a short session of the poll's own (the
    stream lives as long as the tab: a request-long session would hold one connection
    and one snapshot for hours)."""
    events: list[ServerSentEvent] = []
    with factory() as session:
        count = open_escalation_count(session)
        if watch.sent.get("badge") != count:
            watch.sent["badge"] = count
            events.append(ServerSentEvent(str(count), event="badge"))
        newest = newest_open_escalation(session)
        if watch.newest_escalation is None and "alert" not in watch.sent:
            watch.sent["alert"] = True  # the stream's start: nothing is new yet
            watch.newest_escalation = newest.id if newest else 0
        elif newest is not None and newest.id > (watch.newest_escalation or 0):
            watch.newest_escalation = newest.id
            events.append(
                ServerSentEvent(fragment(request, "_alert.html", agent, {"escalation": newest}), event="alert")
            )
        if watch.on_queue:
            version = queue_version(session)
            if watch.sent.get("queue") != version:
                watch.sent["queue"] = version
                events.append(
                    ServerSentEvent(
                        fragment(request, "_queue_table.html", agent, {"items": queue(session)}), event="queue"
                    )
                )
        if watch.customer_id is not None:
            version = conversation_version(session, watch.customer_id)
            if watch.sent.get("conversation") != version:
                watch.sent["conversation"] = version
                context = live_context(session, watch.customer_id, agent)
                events.append(
                    ServerSentEvent(fragment(request, "_transcript.html", agent, context), event="transcript")
                )
                events.append(ServerSentEvent(fragment(request, "_panel.html", agent, context), event="panel"))
        if watch.campaign is not None and time.monotonic() >= watch.dashboard_due:
            watch.dashboard_due = time.monotonic() + DASHBOARD_SECONDS
            version = activity_version(session)
            if watch.sent.get("dashboard") != version:
                watch.sent["dashboard"] = version
                events.append(ServerSentEvent(dashboard_json(session, watch.campaign), event="dashboard"))
    return events


async def _stream(request: Request, agent: CurrentAgent, watch: Watch) -> AsyncIterator[ServerSentEvent]:
    factory = request.app.state.factory
    while True:
        for event in await asyncio.to_thread(_changes, factory, request, agent, watch):
            yield event
        await asyncio.sleep(POLL_SECONDS)


@router.get("/events")  # no SessionDep: each poll reads in its own session (see _changes)
async def events(
    request: Request,
    agent: Annotated[CurrentAgent, Depends(require_agent)],
    customer: int | None = None,
    view: str = "",
    campaign: str | None = None,
) -> EventSourceResponse:
    watch = Watch(customer_id=customer, on_queue=view == "queue", campaign=campaign)
    return EventSourceResponse(_stream(request, agent, watch), ping=PING_SECONDS)
