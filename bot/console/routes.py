"""The console's pages: login and logout, the escalation queue with claim, resolve and
hand back, the search, and (admins) the agents."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.console.auth import SESSION_AGENT, CurrentAgent, current_agent, require_admin, require_agent
from bot.console.csrf import check_csrf, rotate_csrf
from bot.console.pages import page
from bot.models import Agent, AuditEvent, Escalation
from bot.services.agents import verify_login
from bot.services.customer_search import search_customers
from bot.services.escalations import IN_PROGRESS, claim, hand_back_escalation, holder_problem, queue, resolve

router = APIRouter(prefix="/console")
NOT_IN_PROGRESS = "This conversation is not waiting for a person any more."


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> Response:
    if current_agent(request) is not None:
        return RedirectResponse("/console", status_code=303)
    return page(request, "login.html", None)


@router.post("/login")
def login(
    request: Request,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf_token_: Annotated[str, Form(alias="csrf_token")] = "",
) -> Response:
    check_csrf(request, csrf_token_)
    address = request.client.host if request.client else "?"
    if not request.app.state.login_limiter.allow(address, email):
        return page(request, "login.html", None, status_code=429, error="Too many attempts: wait a minute.")
    factory = request.app.state.factory
    with factory.begin() as session:
        agent = verify_login(session, email, password)
        session.add(
            AuditEvent(
                actor=agent.email if agent else "anonymous",
                action="agent.login" if agent else "agent.login_failed",
                detail={"email": email.strip().lower()[:254], "address": address},
            )
        )
        agent_id = agent.id if agent else None
    if agent_id is None:
        return page(request, "login.html", None, status_code=401, error="Wrong email or password.", email=email)
    request.session.clear()
    request.session[SESSION_AGENT] = agent_id
    rotate_csrf(request)
    return RedirectResponse("/console", status_code=303)


@router.post("/logout")
def logout(
    request: Request,
    agent: Annotated[CurrentAgent, Depends(require_agent)],
    csrf_token_: Annotated[str, Form(alias="csrf_token")] = "",
) -> Response:
    check_csrf(request, csrf_token_)
    with request.app.state.factory.begin() as session:
        session.add(AuditEvent(actor=agent.email, action="agent.logout", detail={}))
    request.session.clear()
    return RedirectResponse("/console/login", status_code=303)


@router.get("", response_class=HTMLResponse)
def queue_page(request: Request, agent: Annotated[CurrentAgent, Depends(require_agent)]) -> Response:
    with request.app.state.factory() as session:
        items = queue(session)
    return page(request, "queue.html", agent, items=items)


@router.get("/admin/agents", response_class=HTMLResponse)
def agents_page(request: Request, agent: Annotated[CurrentAgent, Depends(require_admin)]) -> Response:
    with request.app.state.factory() as session:
        agents = session.scalars(select(Agent).order_by(Agent.email)).all()
    return page(request, "agents.html", agent, agents=agents)


def _escalation(session: Session, escalation_id: int) -> Escalation:
    escalation = session.get(Escalation, escalation_id)
    if escalation is None:
        raise HTTPException(status_code=404, detail="No such escalation.")
    return escalation


def _may_close(agent: CurrentAgent, escalation: Escalation) -> None:
    problem = holder_problem(escalation, agent.id, agent.is_admin)
    if problem:
        raise HTTPException(status_code=403 if escalation.status in IN_PROGRESS else 409, detail=problem)


@router.post("/escalations/{escalation_id}/claim")
def claim_escalation(
    request: Request,
    escalation_id: int,
    agent: Annotated[CurrentAgent, Depends(require_agent)],
    csrf_token_: Annotated[str, Form(alias="csrf_token")] = "",
) -> Response:
    check_csrf(request, csrf_token_)
    with request.app.state.factory.begin() as session:
        customer_id = _escalation(session, escalation_id).customer_id
        if not claim(session, escalation_id, agent.id, actor=agent.email):
            holder = session.scalar(
                select(Agent.email)
                .join(Escalation, Escalation.claimed_by_id == Agent.id)
                .where(Escalation.id == escalation_id)
            )
            raise HTTPException(status_code=409, detail=f"Already taken{' by ' + holder if holder else ''}.")
    return RedirectResponse(f"/console/customers/{customer_id}", status_code=303)


# How an agent ends an escalation: the path's last part → the service that does it.
ENDINGS = {"resolve": resolve, "hand-back": hand_back_escalation}


@router.post("/escalations/{escalation_id}/{ending}")
def end_escalation(
    request: Request,
    escalation_id: int,
    ending: Literal["resolve", "hand-back"],
    agent: Annotated[CurrentAgent, Depends(require_agent)],
    csrf_token_: Annotated[str, Form(alias="csrf_token")] = "",
) -> Response:
    """Resolve (the matter is closed) or hand back to the bot; either way the bot answers
    the customer's next message."""
    check_csrf(request, csrf_token_)
    with request.app.state.factory.begin() as session:
        _may_close(agent, _escalation(session, escalation_id))
        if not ENDINGS[ending](session, escalation_id, actor=agent.email):
            raise HTTPException(status_code=409, detail=NOT_IN_PROGRESS)
    return RedirectResponse("/console", status_code=303)


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, agent: Annotated[CurrentAgent, Depends(require_agent)], q: str = "") -> Response:
    with request.app.state.factory() as session:
        hits = search_customers(session, q, request.app.state.settings.default_country) if q else []
    return page(request, "search.html", agent, q=q, hits=hits)
