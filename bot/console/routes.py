"""The console's pages: login and logout, the escalation queue with claim, resolve and
hand back, the search, and (admins) the agents."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from bot.console.auth import SESSION_AGENT, CurrentAgent, current_agent, require_admin, require_agent
from bot.console.csrf import csrf_protect, rotate_csrf
from bot.console.deps import SessionDep
from bot.console.pages import page
from bot.models import Escalation
from bot.services.agents import verify_login
from bot.services.console_view import agents_by_email, record_audit
from bot.services.customer_search import search_customers
from bot.services.escalations import (
    IN_PROGRESS,
    claim,
    escalation_by_id,
    hand_back_escalation,
    holder_email,
    holder_problem,
    queue,
    resolve,
)

# The login page and form: open to anyone (the form still carries the CSRF token).
public = APIRouter(prefix="/console", dependencies=[Depends(csrf_protect)])
# Everything else: a login first (401 / the login page), then the token on every form.
router = APIRouter(prefix="/console", dependencies=[Depends(require_agent), Depends(csrf_protect)])
NOT_IN_PROGRESS = "This conversation is not waiting for a person any more."


@public.get("/login", response_class=HTMLResponse)
def login_page(request: Request, session: SessionDep) -> Response:
    if current_agent(request, session) is not None:
        return RedirectResponse("/console", status_code=303)
    return page(request, None, "login.html", None)


@public.post("/login")
def login(
    request: Request,
    session: SessionDep,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    address = request.client.host if request.client else "?"
    if not request.app.state.login_limiter.allow(address, email):
        return page(request, None, "login.html", None, status_code=429, error="Too many attempts: wait a minute.")
    agent = verify_login(session, email, password)
    record_audit(
        session,
        agent.email if agent else "anonymous",
        "agent.login" if agent else "agent.login_failed",
        email=email.strip().lower()[:254],
        address=address,
    )
    if agent is None:
        return page(request, None, "login.html", None, status_code=401, error="Wrong email or password.", email=email)
    request.session.clear()
    request.session[SESSION_AGENT] = agent.id
    rotate_csrf(request)
    return RedirectResponse("/console", status_code=303)


@router.post("/logout")
def logout(request: Request, session: SessionDep, agent: Annotated[CurrentAgent, Depends(require_agent)]) -> Response:
    record_audit(session, agent.email, "agent.logout")
    request.session.clear()
    return RedirectResponse("/console/login", status_code=303)


@router.get("", response_class=HTMLResponse)
def queue_page(
    request: Request, session: SessionDep, agent: Annotated[CurrentAgent, Depends(require_agent)]
) -> Response:
    return page(request, session, "queue.html", agent, items=queue(session))


@router.get("/admin/agents", response_class=HTMLResponse)
def agents_page(
    request: Request, session: SessionDep, agent: Annotated[CurrentAgent, Depends(require_admin)]
) -> Response:
    return page(request, session, "agents.html", agent, agents=agents_by_email(session))


def _escalation(session: Session, escalation_id: int) -> Escalation:
    escalation = escalation_by_id(session, escalation_id)
    if escalation is None:
        raise HTTPException(status_code=404, detail="No such escalation.")
    return escalation


def _may_close(agent: CurrentAgent, escalation: Escalation) -> None:
    problem = holder_problem(escalation, agent.id, agent.is_admin)
    if problem:
        raise HTTPException(status_code=403 if escalation.status in IN_PROGRESS else 409, detail=problem)


@router.post("/escalations/{escalation_id}/claim")
def claim_escalation(
    escalation_id: int, session: SessionDep, agent: Annotated[CurrentAgent, Depends(require_agent)]
) -> Response:
    customer_id = _escalation(session, escalation_id).customer_id
    if not claim(session, escalation_id, agent.id, actor=agent.email):
        holder = holder_email(session, escalation_id)
        raise HTTPException(status_code=409, detail=f"Already taken{' by ' + holder if holder else ''}.")
    return RedirectResponse(f"/console/customers/{customer_id}", status_code=303)


# How an agent ends an escalation: the path's last part → the service that does it.
ENDINGS = {"resolve": resolve, "hand-back": hand_back_escalation}


@router.post("/escalations/{escalation_id}/{ending}")
def end_escalation(
    escalation_id: int,
    ending: Literal["resolve", "hand-back"],
    session: SessionDep,
    agent: Annotated[CurrentAgent, Depends(require_agent)],
) -> Response:
    """Resolve (the matter is closed) or hand back to the bot; either way the bot answers
    the customer's next message."""
    _may_close(agent, _escalation(session, escalation_id))
    if not ENDINGS[ending](session, escalation_id, actor=agent.email):
        raise HTTPException(status_code=409, detail=NOT_IN_PROGRESS)
    return RedirectResponse("/console", status_code=303)


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request, session: SessionDep, agent: Annotated[CurrentAgent, Depends(require_agent)], q: str = ""
) -> Response:
    hits = search_customers(session, q, request.app.state.settings.default_country) if q else []
    return page(request, session, "search.html", agent, q=q, hits=hits)
