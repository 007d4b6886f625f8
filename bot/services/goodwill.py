"""Goodwill claims: compensation a customer asks for beyond the remedy, as the campaign
offers it (`goodwill` in the definition). The bot records a claim with the customer's
words and an escalation of reason `goodwill_claim`, so it reaches the agents' queue while
the bot keeps answering; a person approves or rejects it from the console. A photo the
customer sends while a claim waits for its receipt is attached to it (the gateway).

The functions take the caller's `Session` and never commit."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.campaigns.definition import parse_definition
from bot.domain.references import GOODWILL_CLAIM, ChoiceSource, new_reference
from bot.domain.refunds import format_money
from bot.models import AuditEvent, Campaign, ClaimStatus, Customer, GoodwillClaim, GoodwillKind
from bot.services.escalations import active_escalation, record_escalation, resolve

REASON = "goodwill_claim"
MAX_TEXT = 2000


@dataclass(frozen=True)
class ClaimView:
    id: int
    reference: str
    kind: GoodwillKind
    amount: Decimal | None
    amount_label: str | None
    text: str
    receipt_required: bool
    receipt_message_id: int | None
    status: ClaimStatus
    created_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_note: str | None

    @property
    def receipt_awaited(self) -> bool:
        return self.receipt_required and self.receipt_message_id is None and self.status is ClaimStatus.SUBMITTED


@dataclass(frozen=True)
class ClaimOutcome:
    """`created`, or not: the customer's claim of that kind still waiting for a decision."""

    created: bool
    claim: ClaimView


def _view(claim: GoodwillClaim, currency: str) -> ClaimView:
    return ClaimView(
        id=claim.id,
        reference=claim.reference,
        kind=claim.kind,
        amount=claim.amount,
        amount_label=format_money(claim.amount, currency) if claim.amount is not None else None,
        text=claim.text,
        receipt_required=claim.receipt_required,
        receipt_message_id=claim.receipt_message_id,
        status=claim.status,
        created_at=claim.created_at,
        decided_by=claim.decided_by,
        decided_at=claim.decided_at,
        decision_note=claim.decision_note,
    )


def _currency(session: Session, campaign_id: int) -> str:
    campaign = session.get(Campaign, campaign_id)
    assert campaign is not None
    return parse_definition(campaign.definition).currency


def _fresh_reference(session: Session, rng: ChoiceSource) -> str:
    while True:
        reference = new_reference(GOODWILL_CLAIM, rng)
        if session.scalar(select(GoodwillClaim.id).where(GoodwillClaim.reference == reference)) is None:
            return reference


def record_claim(
    session: Session,
    *,
    customer_id: int,
    kind: GoodwillKind,
    text: str,
    amount: Decimal | None,
    now: dt.datetime,
    receipt_required: bool = False,
    rng: ChoiceSource = secrets,  # type: ignore[assignment]
) -> ClaimOutcome:
    """Record the customer's claim and put it in the agents' queue (reason `goodwill_claim`,
    the bot not paused). A claim of the same kind still submitted is not recorded twice: the
    customer's new words are added to it."""
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise LookupError(f"customer {customer_id} not found")
    currency = _currency(session, customer.campaign_id)
    words = (text or "").strip()[:MAX_TEXT]
    existing = session.scalar(
        select(GoodwillClaim).where(
            GoodwillClaim.customer_id == customer.id,
            GoodwillClaim.kind == kind,
            GoodwillClaim.status == ClaimStatus.SUBMITTED,
        )
    )
    if existing is not None:
        if words and words not in existing.text:
            existing.text = f"{existing.text}\n{words}".strip()[:MAX_TEXT]
        if amount is not None and existing.amount is None:
            existing.amount = amount
        session.flush()
        return ClaimOutcome(created=False, claim=_view(existing, currency))
    claim = GoodwillClaim(
        reference=_fresh_reference(session, rng),
        campaign_id=customer.campaign_id,
        customer_id=customer.id,
        kind=kind,
        amount=amount,
        text=words,
        receipt_required=receipt_required,
        status=ClaimStatus.SUBMITTED,
        created_at=now,
    )
    session.add(claim)
    session.flush()
    session.add(
        AuditEvent(
            at=now,
            actor="bot",
            action="goodwill.claimed",
            customer_id=customer.id,
            detail={
                "reference": claim.reference,
                "kind": kind.value,
                "amount": str(amount) if amount is not None else None,
            },
        )
    )
    record_escalation(session, customer_id=customer.id, reason=REASON, text=f"{claim.reference}: {words}", pause=False)
    return ClaimOutcome(created=True, claim=_view(claim, currency))


def attach_receipt(session: Session, *, customer_id: int, message_id: int, now: dt.datetime) -> ClaimView | None:
    """Attach the photo in `message_id` to the customer's newest claim waiting for its
    receipt (the claim it was attached to already, when the message is handled again);
    None when no claim waits for one."""
    again = session.scalar(select(GoodwillClaim).where(GoodwillClaim.receipt_message_id == message_id).limit(1))
    if again is not None:
        return _view(again, _currency(session, again.campaign_id))
    claim = session.scalar(
        select(GoodwillClaim)
        .where(
            GoodwillClaim.customer_id == customer_id,
            GoodwillClaim.status == ClaimStatus.SUBMITTED,
            GoodwillClaim.receipt_required.is_(True),
            GoodwillClaim.receipt_message_id.is_(None),
        )
        .order_by(GoodwillClaim.id.desc())
        .limit(1)
    )
    if claim is None:
        return None
    claim.receipt_message_id = message_id
    session.add(
        AuditEvent(
            at=now,
            actor="customer",
            action="goodwill.receipt",
            customer_id=customer_id,
            detail={"reference": claim.reference, "message_id": message_id},
        )
    )
    session.flush()
    return _view(claim, _currency(session, claim.campaign_id))


def claims_of(session: Session, customer_id: int) -> list[ClaimView]:
    """The customer's claims, newest first."""
    rows = list(
        session.scalars(
            select(GoodwillClaim).where(GoodwillClaim.customer_id == customer_id).order_by(GoodwillClaim.id.desc())
        )
    )
    if not rows:
        return []
    currency = _currency(session, rows[0].campaign_id)
    return [_view(claim, currency) for claim in rows]


def decide_claim(
    session: Session,
    claim_id: int,
    *,
    approve: bool,
    actor: str,
    now: dt.datetime,
    note: str | None = None,
) -> ClaimView | None:
    """A person's decision on a submitted claim (approved or rejected), with an audit
    event; None when the claim does not exist or was already decided."""
    claim = session.get(GoodwillClaim, claim_id)
    if claim is None or claim.status is not ClaimStatus.SUBMITTED:
        return None
    claim.status = ClaimStatus.APPROVED if approve else ClaimStatus.REJECTED
    claim.decided_by = actor
    claim.decided_at = now
    claim.decision_note = (note or "").strip() or None
    session.add(
        AuditEvent(
            at=now,
            actor=actor,
            action=f"goodwill.{claim.status.value}",
            customer_id=claim.customer_id,
            detail={"reference": claim.reference, "claim_id": claim.id, "note": claim.decision_note},
        )
    )
    session.flush()
    return _view(claim, _currency(session, claim.campaign_id))


def close_claims_escalation(session: Session, customer_id: int, *, actor: str) -> bool:
    """Resolve the customer's `goodwill_claim` escalation once none of their claims waits
    for a decision (an escalation that became another reason stays for its person)."""
    escalation = active_escalation(session, customer_id)
    if escalation is None or escalation.reason != REASON:
        return False
    waiting = session.scalar(
        select(GoodwillClaim.id).where(
            GoodwillClaim.customer_id == customer_id, GoodwillClaim.status == ClaimStatus.SUBMITTED
        )
    )
    return waiting is None and resolve(session, escalation.id, actor=actor)
