"""Who is logged in to the console, and what they may see.

The session cookie (Starlette's SessionMiddleware, signed with CONSOLE_SECRET_KEY) holds
the agent's id; every request looks the agent up again, so a deactivated agent is out at
once. Pages redirect to the login page when nobody is logged in; form posts and other
requests answer 401. Admin pages answer 403 to the agent role."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Depends, HTTPException, Request
from limits import RateLimitItemPerMinute, storage, strategies
from sqlalchemy.orm import Session

from bot.console.deps import SessionDep
from bot.models import AgentRole
from bot.services.agents import active_agent

SESSION_AGENT = "agent_id"
LOGIN_ATTEMPTS = RateLimitItemPerMinute(5)  # per client address and per email


@dataclass(frozen=True)
class CurrentAgent:
    id: int
    email: str
    role: AgentRole

    @property
    def is_admin(self) -> bool:
        return self.role is AgentRole.ADMIN


class LoginRequired(Exception):
    """Nobody is logged in: pages redirect to the login page, the rest answer 401."""


def current_agent(request: Request, session: Session) -> CurrentAgent | None:
    agent_id = request.session.get(SESSION_AGENT)
    if not isinstance(agent_id, int):
        return None
    agent = active_agent(session, agent_id)
    return CurrentAgent(agent.id, agent.email, agent.role) if agent else None


def require_agent(request: Request, session: SessionDep) -> CurrentAgent:
    """The logged-in agent, looked up in the request's own session (SessionDep)."""
    agent = current_agent(request, session)
    if agent is None:
        raise LoginRequired()
    return agent


def require_admin(agent: CurrentAgent = Depends(require_agent)) -> CurrentAgent:  # noqa: B008 - FastAPI's idiom
    if not agent.is_admin:
        raise HTTPException(status_code=403, detail="Only admins may open this page.")
    return agent


class LoginLimiter:
    """At most LOGIN_ATTEMPTS failed-or-not attempts a minute per address and per email
    (the `limits` library's moving window, in memory: one web process)."""

    def __init__(self) -> None:
        self._limiter = strategies.MovingWindowRateLimiter(storage.MemoryStorage())

    def allow(self, address: str, email: str) -> bool:
        by_address = self._limiter.hit(LOGIN_ATTEMPTS, "address", address)
        by_email = self._limiter.hit(LOGIN_ATTEMPTS, "email", email.strip().lower())
        return by_address and by_email
