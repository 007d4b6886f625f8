"""One customer's conversation in the console: the live transcript with their unit,
booking and history; the reply box (on their channel, or SMS outside WhatsApp's 24-hour
window); private notes; the photos they sent; their language, which an agent may change
(kept as if the customer chose it: bot/services/languages.py)."""

from __future__ import annotations

import zoneinfo
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from bot.console.auth import CurrentAgent, require_agent
from bot.console.csrf import csrf_protect, csrf_token
from bot.console.deps import SessionDep
from bot.console.media import fetch_photo
from bot.console.pages import TEMPLATES, page, set_flash
from bot.console.remedies import remedy_panel
from bot.models import Author, Campaign, Channel, Customer, Direction, Message, utcnow
from bot.services.console_view import language_view, photo_url, record_audit, reply_route_for
from bot.services.customer_view import customer_view
from bot.services.escalations import active_escalation, holder_problem
from bot.services.goodwill import claims_of, close_claims_escalation, decide_claim
from bot.services.label_photos import photo_reading
from bot.services.languages import note_language
from bot.services.notes import add_note
from bot.services.recall_state import customer_in_campaign
from bot.services.transcript import history, transcript

router = APIRouter(
    prefix="/console/customers/{customer_id}", dependencies=[Depends(require_agent), Depends(csrf_protect)]
)
MAX_REPLY_CHARS = 1600 * 4  # split into Twilio-sized parts by the sender
KEPT_IMAGE_TYPES = frozenset({"image/jpeg", "image/png"})  # what bot/twilio/media.py `clean_photo` keeps


def _in_campaign(session: Session, customer_id: int) -> tuple[Customer, Campaign, zoneinfo.ZoneInfo]:
    try:
        return customer_in_campaign(session, customer_id)
    except LookupError:
        raise HTTPException(status_code=404, detail="No such customer.") from None


def _customer(session: Session, customer_id: int) -> Customer:
    return _in_campaign(session, customer_id)[0]


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
        "route": reply_route_for(session, customer),
        "claims": claims_of(session, customer_id),
        "language": language_view(session, customer),
    }


@router.get("", response_class=HTMLResponse)
def conversation_page(
    request: Request, customer_id: int, session: SessionDep, agent: Annotated[CurrentAgent, Depends(require_agent)]
) -> Response:
    context = live_context(session, customer_id, agent)
    context["remedies"] = remedy_panel(session, customer_id, utcnow())  # may add the region's slots
    return page(request, session, "conversation.html", agent, **context)


def fragment(request: Request, name: str, agent: CurrentAgent, context: dict[str, Any]) -> str:
    """A part of the conversation page rendered on its own (for the live updates)."""
    return TEMPLATES.get_template(name).render(agent=agent, csrf=csrf_token(request), **context)


@router.post("/reply")
def reply(
    request: Request,
    customer_id: int,
    session: SessionDep,
    agent: Annotated[CurrentAgent, Depends(require_agent)],
    body: Annotated[str, Form()] = "",
) -> Response:
    """Send the agent's text through Twilio on the customer's channel (stored first, in
    the sender's own transactions: the route's session reads and writes the audit line)."""
    text = body.strip()[:MAX_REPLY_CHARS]
    customer = _customer(session, customer_id)
    escalation = active_escalation(session, customer_id)
    problem = (
        "This customer is not waiting for a person: the bot is answering them."
        if escalation is None
        else holder_problem(escalation, agent.id, agent.is_admin)
    )
    route = reply_route_for(session, customer)
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
        record_audit(
            session,
            agent.email,
            "agent.reply",
            customer_id,
            channel=route.channel,
            sent=delivery.sent,
            failed=delivery.failed,
            opted_out=delivery.skipped_opted_out,
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
    customer_id: int,
    session: SessionDep,
    agent: Annotated[CurrentAgent, Depends(require_agent)],
    body: Annotated[str, Form()] = "",
) -> Response:
    _customer(session, customer_id)
    add_note(session, customer_id, agent.id, body, actor=agent.email)
    return RedirectResponse(f"/console/customers/{customer_id}", status_code=303)


@router.post("/language")
def set_language(
    request: Request,
    customer_id: int,
    session: SessionDep,
    agent: Annotated[CurrentAgent, Depends(require_agent)],
    language: Annotated[str, Form()] = "",
) -> Response:
    """The agent sets the customer's language (one the campaign ships): the bot, the
    gateway and the follow-ups write to them in it from now on, as if they had asked."""
    customer = _customer(session, customer_id)
    choices = dict(language_view(session, customer)["choices"])
    if language not in choices:
        raise HTTPException(status_code=400, detail="The campaign does not write in that language.")
    note_language(session, customer, requested=language, languages=list(choices), actor=agent.email)
    set_flash(request, f"The customer is written to in {choices[language]} from now on.")
    return RedirectResponse(f"/console/customers/{customer_id}", status_code=303)


@router.post("/claims/{claim_id}/{decision}")
def decide(
    request: Request,
    customer_id: int,
    claim_id: int,
    decision: str,
    session: SessionDep,
    agent: Annotated[CurrentAgent, Depends(require_agent)],
    note: Annotated[str, Form()] = "",
) -> Response:
    """Approve or reject a goodwill claim (audit event `goodwill.approved` / `.rejected`);
    the claim's escalation is resolved once no claim of the customer waits any more."""
    if decision not in ("approve", "reject"):
        raise HTTPException(status_code=404, detail="No such decision.")
    _customer(session, customer_id)
    if claim_id not in {c.id for c in claims_of(session, customer_id)}:
        raise HTTPException(status_code=404, detail="No such claim.")
    decided = decide_claim(
        session, claim_id, approve=decision == "approve", actor=agent.email, now=utcnow(), note=note[:1000]
    )
    if decided is None:
        set_flash(request, "This claim was already decided.")
    else:
        close_claims_escalation(session, customer_id, actor=agent.email)
        set_flash(request, f"Claim {decided.reference} {decided.status.value}.")
    return RedirectResponse(f"/console/customers/{customer_id}", status_code=303)


@router.get("/messages/{message_id}/photos/{index}")
def photo(
    request: Request,
    customer_id: int,
    message_id: int,
    index: int,
    session: SessionDep,
) -> Response:
    """A photo the customer sent: the copy the bot kept when it read the label, else
    fetched from Twilio with the account's credentials."""
    url = photo_url(session, customer_id, message_id, index)
    if url is None:
        raise HTTPException(status_code=404, detail="No such photo.")
    kept = photo_reading(session, message_id, index)
    if kept is not None and kept.data is not None:
        return kept_photo(kept.data, kept.content_type)
    message = session.get(Message, message_id)
    if message is not None and message.direction is Direction.OUTBOUND:  # the bot's own picture (serial hint)
        return RedirectResponse(url, status_code=307)
    return fetch_photo(request.app.state.settings, url)


def kept_photo(data: bytes, content_type: str | None) -> Response:
    """The kept copy, with the headers of a photo fetched from Twilio (bot/console/media.py):
    never sniffed, sandboxed, cached by the agent's browser only."""
    inline = content_type in KEPT_IMAGE_TYPES
    return Response(
        data,
        media_type=content_type if inline else "application/octet-stream",
        headers={
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "sandbox",
            "Cache-Control": "private, max-age=3600",
            **({} if inline else {"Content-Disposition": "attachment"}),
        },
    )
