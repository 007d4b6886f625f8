"""Opt-outs: a number that said STOP, or asked in its own words ("stop texting me",
source "phrase"), hears nothing more from us, on any path, until it opts back in (START,
UNSTOP, YES)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import AuditEvent, OptOut, utcnow


def is_opted_out(session: Session, phone: str) -> bool:
    return session.scalar(select(OptOut.id).where(OptOut.phone == phone, OptOut.opted_in_at.is_(None))) is not None


def record_opt_out(session: Session, phone: str, *, source: str, keyword: str | None = None) -> bool:
    """Opt the number out; True when it was not opted out before."""
    row = session.scalar(select(OptOut).where(OptOut.phone == phone))
    if row is not None and row.opted_in_at is None:
        return False
    if row is None:
        row = OptOut(phone=phone, source=source, keyword=keyword)
        session.add(row)
    else:
        row.opted_out_at, row.opted_in_at, row.source, row.keyword = utcnow(), None, source, keyword
    session.add(
        AuditEvent(
            actor="customer" if source in ("keyword", "phrase") else "system",
            action="opt_out",
            detail={"source": source, "keyword": keyword},
        )
    )
    session.flush()
    return True


def record_opt_in(session: Session, phone: str, *, keyword: str | None = None) -> bool:
    """Opt the number back in; True when it was opted out."""
    row = session.scalar(select(OptOut).where(OptOut.phone == phone, OptOut.opted_in_at.is_(None)))
    if row is None:
        return False
    row.opted_in_at = utcnow()
    session.add(AuditEvent(actor="customer", action="opt_in", detail={"keyword": keyword}))
    return True
