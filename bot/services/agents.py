"""Support agents' accounts (the console's logins): created with `recall agent add`,
passwords kept only as argon2 hashes (argon2-cffi's defaults, RFC 9106's low-memory
profile), checked in constant work whether or not the email exists."""

from __future__ import annotations

import re
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import Agent, AgentRole, AuditEvent, utcnow

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AgentError(ValueError):
    """A bad email, password or role, or an email already taken: the message says which."""


def normalise_email(email: str) -> str:
    email = email.strip().lower()
    if len(email) > 254 or not _EMAIL.match(email):
        raise AgentError(f"{email!r} is not an email address")
    return email


def password_problem(password: str, email: str = "") -> str | None:
    """Why this password is refused, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"the password must have at least {MIN_PASSWORD_LENGTH} characters"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"the password must have at most {MAX_PASSWORD_LENGTH} characters"
    if len(set(password)) < 4:
        return "the password repeats too few characters"
    if email and email.split("@")[0].lower() in password.lower():
        return "the password must not contain the email's name"
    return None


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher().hash("an unknown agent's password, checked for the same work")


def add_agent(session: Session, email: str, password: str, role: AgentRole | str, *, actor: str = "cli") -> Agent:
    email = normalise_email(email)
    try:
        role = AgentRole(role)
    except ValueError:
        raise AgentError(f"role must be one of {', '.join(r.value for r in AgentRole)}, not {role!r}") from None
    problem = password_problem(password, email)
    if problem:
        raise AgentError(problem)
    if session.scalar(select(Agent.id).where(Agent.email == email)) is not None:
        raise AgentError(f"an agent with the email {email} exists already")
    agent = Agent(email=email, password_hash=_hasher().hash(password), role=role)
    session.add(agent)
    session.add(AuditEvent(actor=actor, action="agent.added", detail={"email": email, "role": role.value}))
    session.flush()
    return agent


def active_agent(session: Session, agent_id: int) -> Agent | None:
    """The agent with this id if their account is active (a deactivated one is out at once)."""
    return session.scalar(select(Agent).where(Agent.id == agent_id, Agent.active.is_(True)))


def verify_login(session: Session, email: str, password: str) -> Agent | None:
    """The active agent with this email and password, else None. An unknown email costs
    the same hash check as a wrong password (no timing hint of which emails exist)."""
    try:
        email = normalise_email(email)
    except AgentError:
        email = ""
    agent = session.scalar(select(Agent).where(Agent.email == email, Agent.active.is_(True))) if email else None
    try:
        _hasher().verify(agent.password_hash if agent else _dummy_hash(), password[:MAX_PASSWORD_LENGTH])
    except (VerificationError, InvalidHashError):
        return None
    if agent is None:
        return None
    if _hasher().check_needs_rehash(agent.password_hash):
        agent.password_hash = _hasher().hash(password)
    agent.last_login_at = utcnow()
    return agent


def set_password(session: Session, email: str, password: str, *, actor: str = "cli") -> Agent:
    """A new password for an existing agent (same rules as at creation)."""
    email = normalise_email(email)
    agent = session.scalar(select(Agent).where(Agent.email == email))
    if agent is None:
        raise AgentError(f"no agent with the email {email}")
    problem = password_problem(password, email)
    if problem:
        raise AgentError(problem)
    agent.password_hash = _hasher().hash(password)
    session.add(AuditEvent(actor=actor, action="agent.password_set", detail={"email": email}))
    session.flush()
    return agent
