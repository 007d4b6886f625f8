"""One customer's conversation in the console: the live transcript with their unit,
booking and history; the reply box (on their channel, or SMS outside WhatsApp's 24-hour
window); private notes; the photos they sent."""

from __future__ import annotations

import zoneinfo
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.console.auth import CurrentAgent, require_agent
from bot.console.csrf import check_csrf, csrf_token
from bot.console.media import fetch_photo
from bot.console.pages import TEMPLATES, page, set_flash
from bot.console.remedies import remedy_panel
from bot.domain.reply_route import ReplyRoute, reply_route
from bot.models import AuditEvent, Author, Campaign, Channel, Conversation, Customer, Escalation, Message, utcnow
from bot.services.customer_view import customer_view
from bot.services.escalations import IN_PROGRESS, holder_problem
from bot.services.notes import add_note
from bot.services.recall_state import customer_in_campaign
from bot.services.transcript import history, transcript

router = APIRouter(prefix="/console/customers/{customer_id}")
MAX_REPLY_CHARS = 1600 * 4  # split into Twilio-sized parts by the sender


def _in_campaign(session: Session, customer_id: int) -> tuple[Customer, Campaign, zoneinfo.ZoneInfo]:
    try:
        return customer_in_campaign(session, customer_id)
    except LookupError:
        raise HTTPException(status_code=404, detail="No such customer.") from None


def _customer(session: Session, customer_id: int) -> Customer:
    return _in_campaign(session, customer_id)[0]


def active_escalation(session: Session, customer_id: int) -> Escalation | None:
    return session.scalar(
        select(Escalation).where(Escalation.customer_id == customer_id, Escalation.status.in_(IN_PROGRESS))
    )


def route_for(session: Session, customer: Customer) -> ReplyRoute:
    conversation = session.scalar(select(Conversation).where(Conversation.customer_id == customer.id))
    return reply_route(
        conversation.last_channel.value if conversation and conversation.last_channel else None,
        conversation.whatsapp_last_inbound_at if conversation else None,
        utcnow(),
        whatsapp_unreachable=customer.whatsapp_unreachable,
        sms_unreachable=customer.sms_unreachable,
    )


def live_context(session: Session, customer_id: int, agent: CurrentAgent) -> dict[str, Any]:
    """What the transcript and the customer panel show (also sent live, see live.py)."""
    customer, _campaign, zone = _in_campaign(session, customer_id)
    escalation = active_escalation(session, customer_id)
    return {
        "customer_id": customer_id,
        "zone": zone.key,
        "customer": customer_view(session, customer),
        "unit_model": customer.units[0].model if customer.units else None,
        "entries": transcript(session, customer_id),
        "history": history(session, customer_id),
        "escalation": escalation,
        "may_reply": escalation is not None and holder_problem(escalation, agent.id, agent.is_admin) is None,
        "route": route_for(session, customer),
    }


@router.get("", response_class=HTMLResponse)
def conversation_page(
    request: Request, customer_id: int, agent: Annotated[CurrentAgent, Depends(require_agent)]
) -> Response:
    with request.app.state.factory() as session:
        context = live_context(session, customer_id, agent)
    with request.app.state.factory() as session:  # may add the region's slots in a transaction of its own
        context["remedies"] = remedy_panel(session, customer_id, utcnow())
    return page(request, "conversation.html", agent, **context)


def fragment(request: Request, name: str, agent: CurrentAgent, context: dict[str, Any]) -> str:
    """A part of the conversation page rendered on its own (for the live updates)."""
    return TEMPLATES.get_template(name).render(agent=agent, csrf=csrf_token(request), **context)


@router.post("/reply")
def reply(
    request: Request,
    customer_id: int,
    agent: Annotated[CurrentAgent, Depends(require_agent)],
    body: Annotated[str, Form()] = "",
    csrf_token_: Annotated[str, Form(alias="csrf_token")] = "",
) -> Response:
    """Send the agent's text through Twilio on the customer's channel (stored first)."""
    check_csrf(request, csrf_token_)
    text = body.strip()[:MAX_REPLY_CHARS]
    with request.app.state.factory() as session:
        customer = _customer(session, customer_id)
        escalation = active_escalation(session, customer_id)
        problem = (
            "This customer is not waiting for a person: the bot is answering them."
            if escalation is None
            else holder_problem(escalation, agent.id, agent.is_admin)
        )
        route = route_for(session, customer)
    if problem:
        raise HTTPException(status_code=409, detail=problem)
    if text:
        delivery = request.app.state.replies.deliver(
            customer_id=customer_id,
            channel=Channel(route.channel),
            texts=[text],
            author=Author.AGENT,
            agent_id=agent.id,
        )
        with request.app.state.factory.begin() as session:
            session.add(
                AuditEvent(
                    actor=agent.email,
                    action="agent.reply",
                    customer_id=customer_id,
                    detail={
                        "channel": route.channel,
                        "sent": delivery.sent,
                        "failed": delivery.failed,
                        "opted_out": delivery.skipped_opted_out,
                    },
                )
            )
        if delivery.skipped_opted_out:
            set_flash(request, "Not sent: this customer opted out (STOP). They must send START first.")
        elif delivery.failed:
            set_flash(request, "Twilio did not accept the reply: see its status in the conversation.")
        elif route.warning:
            set_flash(request, f"Sent by SMS. {route.warning}")
    return RedirectResponse(f"/console/customers/{customer_id}", status_code=303)


@router.post("/notes")
def note(
    request: Request,
    customer_id: int,
    agent: Annotated[CurrentAgent, Depends(require_agent)],
    body: Annotated[str, Form()] = "",
    csrf_token_: Annotated[str, Form(alias="csrf_token")] = "",
) -> Response:
    check_csrf(request, csrf_token_)
    with request.app.state.factory.begin() as session:
        _customer(session, customer_id)
        add_note(session, customer_id, agent.id, body, actor=agent.email)
    return RedirectResponse(f"/console/customers/{customer_id}", status_code=303)


@router.get("/messages/{message_id}/photos/{index}")
def photo(
    request: Request,
    customer_id: int,
    message_id: int,
    index: int,
    agent: Annotated[CurrentAgent, Depends(require_agent)],
) -> Response:
    """A photo the customer sent, fetched from Twilio with the account's credentials."""
    with request.app.state.factory() as session:
        message = session.get(Message, message_id)
        if message is None or message.customer_id != customer_id or not 0 <= index < len(message.media or []):
            raise HTTPException(status_code=404, detail="No such photo.")
        url = str(message.media[index].get("url") or "")
    return fetch_photo(request.app.state.settings, url)
