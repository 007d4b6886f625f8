"""Checking a customer's serial number against the campaign, and recording the outcome."""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.campaigns.definition import CampaignDefinition
from bot.domain.serials import (
    SerialRange,
    SerialReading,
    affected_range,
    closest_serial,
    find_serial,
    looks_like_serial,
    normalise_serial,
    serial_readings,
)
from bot.domain.units import find_serials
from bot.models import AuditEvent, Customer, Unit, Verification, utcnow


class VerificationOutcome(enum.StrEnum):
    AFFECTED = "affected"
    NOT_AFFECTED = "not_affected"
    MALFORMED = "malformed"
    UNKNOWN = "unknown"
    NEAR_MISS = "near_miss"


@dataclass(frozen=True)
class SerialCheck:
    outcome: VerificationOutcome
    serial: str | None  # normalised serial as understood (None when nothing serial-like was sent)
    model: str | None = None
    suggestion: str | None = None  # for NEAR_MISS: the serial on file, or a look-alike reading of `serial`
    owned_by_other: bool = False  # on file under another phone (never disclosed)
    substituted: bool = False  # the suggestion reads look-alike characters (O as 0 ...): always confirm it


def check_serial(
    session: Session,
    *,
    campaign_id: int,
    customer_id: int,
    definition: CampaignDefinition,
    text: str,
    entity: str | None = None,
) -> SerialCheck:
    """Outcome of the serial in `entity` (from NLU) or anywhere in `text`.

    Order of checks: format → the customer's own serial on file → the registry → the
    affected ranges. A serial one slip away from the one on file is a near miss ("did
    you mean"), and so is one that fits the format only with look-alike characters read
    as the other kind (O as 0, 5 as S: `substituted`, see `rank_readings`). With
    `affected.registry_complete`-style strictness not configured, a serial in an
    affected range but not yet in the registry is affected (buyers who heard of the
    recall elsewhere)."""
    pattern = re.compile(definition.affected.serial_format)
    serial = None
    if entity and pattern.fullmatch(normalise_serial(entity)):
        serial = normalise_serial(entity)
    serial = serial or find_serial(text, pattern)
    own_rows = session.execute(select(Unit.serial, Unit.verified_at).where(Unit.customer_id == customer_id)).all()
    own = [row.serial for row in own_rows]
    # A near miss is of a serial on file not yet sent: one slip from a unit already verified is
    # more likely the customer's next unit (two fridges bought together have neighbouring serials).
    unsent = [row.serial for row in own_rows if row.verified_at is None]
    if serial is None:
        shown = normalise_serial(entity) if entity else looks_like_serial(text)
        readings = serial_readings(entity or "", pattern) or serial_readings(text, pattern)
        ranked = rank_readings(session, campaign_id, readings, own, definition.affected.serial_ranges())
        near_miss = closest_serial(shown, unsent) if shown else None
        if ranked and (ranked[0].serial in own or not near_miss):
            best = ranked[0]
            return SerialCheck(
                VerificationOutcome.NEAR_MISS, shown, suggestion=best.serial, substituted=best.substituted
            )
        if near_miss:
            return SerialCheck(VerificationOutcome.NEAR_MISS, shown, suggestion=near_miss)
        return SerialCheck(VerificationOutcome.MALFORMED, shown)
    unit = session.scalar(select(Unit).where(Unit.campaign_id == campaign_id, Unit.serial == serial))
    if unit is None:
        suggestion = closest_serial(serial, unsent)
        if suggestion:
            return SerialCheck(VerificationOutcome.NEAR_MISS, serial, suggestion=suggestion)
    found_range = affected_range(serial, definition.affected.serial_ranges())
    if unit is not None:
        return SerialCheck(
            VerificationOutcome.AFFECTED if unit.affected else VerificationOutcome.NOT_AFFECTED,
            serial,
            model=unit.model or (found_range.model if found_range else None),
            owned_by_other=unit.customer_id is not None and unit.customer_id != customer_id,
        )
    if definition.affected.registry_complete:
        return SerialCheck(VerificationOutcome.UNKNOWN, serial)
    if found_range is not None:
        return SerialCheck(VerificationOutcome.AFFECTED, serial, model=found_range.model)
    return SerialCheck(VerificationOutcome.NOT_AFFECTED, serial)


def check_serials(
    session: Session,
    *,
    campaign_id: int,
    customer_id: int,
    definition: CampaignDefinition,
    text: str,
    entity: str | None = None,
) -> list[SerialCheck]:
    """`check_serial` for every serial in the message ("AR26D104514 and AR26E200001"), in the
    order written; a word run left over that looks like one more serial, mistyped, is
    checked too (a near miss asks "Did you mean …?"). A message with one serial or none is
    `check_serial`'s, unchanged."""
    serials, remainder = find_serials(text, re.compile(definition.affected.serial_format))

    def check(serial_text: str, serial_entity: str | None) -> SerialCheck:
        return check_serial(
            session,
            campaign_id=campaign_id,
            customer_id=customer_id,
            definition=definition,
            text=serial_text,
            entity=serial_entity,
        )

    rest = looks_like_serial(remainder) if serials else None
    if len(serials) <= 1 and rest is None:
        return [check(text, entity)]
    checks = [check(serial, serial) for serial in serials]
    if rest is not None:
        checks.append(check(remainder, None))
    return checks


def rank_readings(
    session: Session,
    campaign_id: int,
    readings: Sequence[SerialReading],
    own: list[str],
    ranges: list[SerialRange],
) -> list[SerialReading]:
    """Look-alike readings of a typed serial, likeliest first: on file for this customer, then
    affected (in the registry or an affected range), then the rest; ties keep the reading order."""
    if not readings:
        return []
    serials = [r.serial for r in readings]
    on_record = set(
        session.scalars(
            select(Unit.serial).where(Unit.campaign_id == campaign_id, Unit.serial.in_(serials), Unit.affected)
        )
    )

    def tier(reading: SerialReading) -> int:
        if reading.serial in own:
            return 0
        return 1 if reading.serial in on_record or affected_range(reading.serial, ranges) else 2

    return sorted(readings, key=tier)


def record_verification(session: Session, *, campaign_id: int, customer_id: int, check: SerialCheck) -> None:
    """Remember a conclusive check on the customer; register a unit the registry lacked;
    flag a serial on file under another phone for an agent (without telling anyone)."""
    if check.outcome not in (VerificationOutcome.AFFECTED, VerificationOutcome.NOT_AFFECTED) or check.serial is None:
        return
    customer = session.get(Customer, customer_id)
    assert customer is not None
    now = utcnow()
    affected = check.outcome is VerificationOutcome.AFFECTED
    customer.verified_at = customer.verified_at or now
    if affected or customer.verification is not Verification.AFFECTED:  # one affected unit makes the customer so
        customer.verification = Verification.AFFECTED if affected else Verification.NOT_AFFECTED
    unit = session.scalar(select(Unit).where(Unit.campaign_id == campaign_id, Unit.serial == check.serial))
    if unit is None:
        unit = Unit(
            campaign_id=campaign_id,
            serial=check.serial,
            model=check.model,
            affected=affected,
            customer_id=customer_id,
        )
        session.add(unit)
    elif check.owned_by_other:
        customer.flagged_for_agent = f"serial {check.serial} is on file under another customer"
    elif unit.customer_id is None:  # in the registry with no buyer on file: now this customer's
        unit.customer_id = customer_id
    if unit.customer_id == customer_id:  # the unit's own verification: never one on file under another phone
        unit.verified_at = unit.verified_at or now
        if unit.model is None and check.model:
            unit.model = check.model
    session.add(
        AuditEvent(
            actor="bot",
            action="serial.verified",
            customer_id=customer_id,
            detail={"serial": check.serial, "outcome": check.outcome.value, "owned_by_other": check.owned_by_other},
        )
    )
