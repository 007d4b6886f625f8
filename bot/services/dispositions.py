"""A unit the customer no longer has: sold, given away or thrown away (issue 16, item 8).

Recorded only after the customer confirmed it (actions/situations.py asks first): the
unit's `disposition` and `disposition_at`, and an audit event `unit.disposition`. The
recall then counts the unit as out of the customer's hands (`bot.services.units`: nothing
left to arrange for it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.dispositions import Disposition
from bot.domain.serials import normalise_serial
from bot.models import AuditEvent, Unit

AUDIT_ACTION = "unit.disposition"


@dataclass(frozen=True)
class UnitOnFile:
    id: int
    serial: str


def units_with_customer(session: Session, customer_id: int) -> list[UnitOnFile]:
    """The customer's units that are still theirs (no disposition recorded), oldest first."""
    rows = session.execute(
        select(Unit.id, Unit.serial)
        .where(Unit.customer_id == customer_id, Unit.disposition.is_(None))
        .order_by(Unit.id)
    )
    return [UnitOnFile(unit_id, serial) for unit_id, serial in rows]


def unit_named(units: list[UnitOnFile], text: str) -> UnitOnFile | None:
    """The unit whose serial the message contains (any spacing or case), if exactly one."""
    said = normalise_serial(text)
    named = [u for u in units if normalise_serial(u.serial) in said]
    return named[0] if len(named) == 1 else None


def record_disposition(
    session: Session, *, customer_id: int, unit_id: int, disposition: Disposition, text: str, now: dt.datetime
) -> bool:
    """Record what became of the customer's unit (False when it is not theirs, or already
    recorded: the first record stands)."""
    unit = session.get(Unit, unit_id)
    if unit is None or unit.customer_id != customer_id or unit.disposition is not None:
        return False
    unit.disposition, unit.disposition_at = disposition, now
    session.add(
        AuditEvent(
            at=now,
            actor="customer",
            action=AUDIT_ACTION,
            customer_id=customer_id,
            detail={"unit_id": unit.id, "serial": unit.serial, "disposition": disposition.value, "text": text[:500]},
        )
    )
    session.flush()
    return True
