"""The recall's funnel, as `recall status` (and later the dashboard) report it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import distinct, exists, func, or_, select
from sqlalchemy.orm import Session

from bot.models import (
    Booking,
    BookingKind,
    BookingStatus,
    Campaign,
    Customer,
    Escalation,
    OptOut,
    RemedyRequest,
    RequestKind,
    RequestStatus,
    Unit,
    Verification,
)

STATUS_KEYS = (
    "campaign", "customers", "notified", "delivered", "replied", "verified", "affected",
    "not_affected", "repair_booked", "replacement_requested", "refund_requested", "completed",
    "escalated", "opted_out", "unreachable", "correction_rate",
)


def _count(session: Session, stmt) -> int:  # noqa: ANN001
    return int(session.scalar(stmt) or 0)


def campaign_status(session: Session, campaign: Campaign) -> dict[str, Any]:
    """Counts of customers at each stage. `affected` counts affected units in the registry
    (the regulator's denominator); `correction_rate` = completed ÷ affected."""
    cid = campaign.id
    in_campaign = Customer.campaign_id == cid

    def customers_where(*conditions) -> int:  # noqa: ANN002
        return _count(session, select(func.count(Customer.id)).where(in_campaign, *conditions))

    def request_customers(kind: RequestKind) -> int:
        return _count(
            session,
            select(func.count(distinct(RemedyRequest.customer_id))).where(
                RemedyRequest.campaign_id == cid,
                RemedyRequest.kind == kind,
                RemedyRequest.status != RequestStatus.CANCELLED,
            ),
        )

    affected = _count(session, select(func.count(Unit.id)).where(Unit.campaign_id == cid, Unit.affected.is_(True)))
    completed = customers_where(Customer.completed_at.is_not(None))
    active_opt_out = exists().where(OptOut.phone == Customer.phone, OptOut.opted_in_at.is_(None))
    result: dict[str, Any] = {
        "campaign": campaign.slug,
        "customers": customers_where(),
        "notified": customers_where(Customer.notified_at.is_not(None)),
        "delivered": customers_where(Customer.delivered_at.is_not(None)),
        "replied": customers_where(Customer.replied_at.is_not(None)),
        "verified": customers_where(Customer.verified_at.is_not(None)),
        "affected": affected,
        "not_affected": customers_where(Customer.verification == Verification.NOT_AFFECTED),
        "repair_booked": _count(
            session,
            select(func.count(distinct(Booking.customer_id))).where(
                Booking.campaign_id == cid,
                Booking.kind == BookingKind.REPAIR,
                Booking.status.in_([BookingStatus.BOOKED, BookingStatus.COMPLETED]),
            ),
        ),
        "replacement_requested": request_customers(RequestKind.REPLACEMENT),
        "refund_requested": request_customers(RequestKind.REFUND),
        "completed": completed,
        "escalated": _count(
            session,
            select(func.count(distinct(Escalation.customer_id)))
            .join(Customer, Customer.id == Escalation.customer_id)
            .where(in_campaign),
        ),
        "opted_out": customers_where(active_opt_out),
        "unreachable": customers_where(
            Customer.sms_unreachable.is_(True),
            or_(Customer.whatsapp_opt_in.is_(False), Customer.whatsapp_unreachable.is_(True)),
        ),
        "correction_rate": round(completed / affected, 4) if affected else 0.0,
    }
    assert tuple(result) == STATUS_KEYS
    return result


FUNNEL_LABELS = (
    ("customers", "Buyers on file"),
    ("affected", "Affected units"),
    ("notified", "Notified"),
    ("delivered", "Delivered"),
    ("replied", "Replied"),
    ("verified", "Serial verified"),
    ("not_affected", "  of which not affected"),
    ("repair_booked", "Repair booked"),
    ("replacement_requested", "Replacement requested"),
    ("refund_requested", "Refund requested"),
    ("completed", "Remedy completed"),
    ("escalated", "Escalated to a person"),
    ("opted_out", "Opted out"),
    ("unreachable", "Unreachable"),
)


def format_funnel(status: dict[str, Any]) -> str:
    """A plain-text table of the funnel for the terminal."""
    lines = [f"Recall {status['campaign']}"]
    base = status["affected"] or 1
    for key, label in FUNNEL_LABELS:
        value = status[key]
        share = f"{100 * value / base:5.1f}%" if key not in ("customers", "affected") else ""
        lines.append(f"  {label:<26}{value:>8}  {share}")
    lines.append(f"  {'Correction rate':<26}{100 * status['correction_rate']:>7.1f}%  (completed ÷ affected)")
    return "\n".join(lines)
