"""The recall's funnel, as `recall status` (and later the dashboard) report it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import distinct, func, or_, select
from sqlalchemy.orm import Session

from bot.models import (
    Booking,
    BookingKind,
    BookingStatus,
    Campaign,
    Customer,
    Disposition,
    Escalation,
    OptOut,
    RemedyRequest,
    RequestKind,
    RequestStatus,
    Unit,
    Verification,
)

# The unit stages (issue 16: a customer may own several units): affected units (on file,
# plus those customers registered), and of them those verified, with a remedy arranged,
# corrected, and out of reach (sold, given away, thrown away).
UNIT_KEYS = (
    "affected",
    "units_verified",
    "units_remedy",
    "units_completed",
    "units_out_of_reach",
    "units_sold",
    "units_given_away",
    "units_disposed",
)

STATUS_KEYS = (
    "campaign",
    "customers",
    "notified",
    "delivered",
    "replied",
    "verified",
    "affected",
    "units_verified",
    "units_remedy",
    "units_completed",
    "units_out_of_reach",
    "units_sold",
    "units_given_away",
    "units_disposed",
    "not_affected",
    "repair_booked",
    "replacement_requested",
    "refund_requested",
    "completed",
    "escalated",
    "opted_out",
    "unreachable",
    "correction_rate",
)


def _status_statement(campaign_id: int):
    """One statement: an aggregate over the campaign's customers (with FILTER clauses)
    and the counts from other tables as uncorrelated scalar subqueries (each computed
    once). One scan of `customers` instead of one per stage (issue 7: the dashboard)."""
    cid = campaign_id
    c = Customer
    active_opt_out = OptOut.__table__.alias("active_opt_out")

    def where(*conditions):
        return func.count(c.id).filter(*conditions)

    def scalar(stmt):
        return func.coalesce(stmt.scalar_subquery(), 0)

    def request_customers(kind: RequestKind):
        return scalar(
            select(func.count(distinct(RemedyRequest.customer_id))).where(
                RemedyRequest.campaign_id == cid,
                RemedyRequest.kind == kind,
                RemedyRequest.status != RequestStatus.CANCELLED,
            )
        )

    return (
        select(
            func.count(c.id).label("customers"),
            where(c.notified_at.is_not(None)).label("notified"),
            where(c.delivered_at.is_not(None)).label("delivered"),
            where(c.replied_at.is_not(None)).label("replied"),
            where(c.verified_at.is_not(None)).label("verified"),
            where(c.verification == Verification.NOT_AFFECTED).label("not_affected"),
            scalar(
                select(func.count(distinct(Booking.customer_id))).where(
                    Booking.campaign_id == cid,
                    Booking.kind == BookingKind.REPAIR,
                    Booking.status.in_([BookingStatus.BOOKED, BookingStatus.COMPLETED]),
                )
            ).label("repair_booked"),
            request_customers(RequestKind.REPLACEMENT).label("replacement_requested"),
            request_customers(RequestKind.REFUND).label("refund_requested"),
            where(c.completed_at.is_not(None)).label("completed"),
            # a hashed subplan on PostgreSQL: the escalations' customers, probed per row
            where(c.id.in_(select(Escalation.customer_id))).label("escalated"),
            where(active_opt_out.c.id.is_not(None)).label("opted_out"),
            where(
                c.sms_unreachable.is_(True), or_(c.whatsapp_opt_in.is_(False), c.whatsapp_unreachable.is_(True))
            ).label("unreachable"),
        )
        .select_from(c)
        # opt_outs.phone is unique: the outer join never repeats a customer
        .outerjoin(active_opt_out, (active_opt_out.c.phone == c.phone) & active_opt_out.c.opted_in_at.is_(None))
        .where(c.campaign_id == cid)
    )


def _units_statement(campaign_id: int):
    """One scan of the campaign's affected units (`units.campaign_id` is indexed with
    `serial`), every unit stage a FILTER of it."""
    u = Unit

    def where(*conditions):
        return func.count(u.id).filter(*conditions)

    return select(
        func.count(u.id).label("affected"),
        where(u.verified_at.is_not(None)).label("units_verified"),
        where(u.remedy.is_not(None)).label("units_remedy"),
        where(u.completed_at.is_not(None)).label("units_completed"),
        where(u.disposition.is_not(None)).label("units_out_of_reach"),
        where(u.disposition == Disposition.SOLD).label("units_sold"),
        where(u.disposition == Disposition.GIVEN_AWAY).label("units_given_away"),
        where(u.disposition == Disposition.DISPOSED).label("units_disposed"),
    ).where(u.campaign_id == campaign_id, u.affected.is_(True))


def campaign_status(session: Session, campaign: Campaign) -> dict[str, Any]:
    """Counts of customers at each stage (notified ... completed, escalated, opted out),
    and of affected units at theirs (`UNIT_KEYS`: the units on file or registered by
    customers that are affected — the regulator's denominator — and of them verified,
    with a remedy arranged, corrected, out of reach by kind). `correction_rate` =
    corrected units ÷ affected units. Two statements: one scan of the customers, one of
    the units."""
    row = session.execute(_status_statement(campaign.id)).one()._mapping
    units = session.execute(_units_statement(campaign.id)).one()._mapping
    counts = {
        key: int((units if key in UNIT_KEYS else row)[key] or 0)
        for key in STATUS_KEYS
        if key not in ("campaign", "correction_rate")
    }
    affected, corrected = counts["affected"], counts["units_completed"]
    result: dict[str, Any] = {
        "campaign": campaign.slug,
        **counts,
        "correction_rate": round(corrected / affected, 4) if affected else 0.0,
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
    ("units_verified", "Units verified"),
    ("units_remedy", "Units, remedy arranged"),
    ("units_completed", "Units corrected"),
    ("units_out_of_reach", "Units out of reach"),
    ("units_sold", "  sold"),
    ("units_given_away", "  given away"),
    ("units_disposed", "  thrown away"),
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
    lines.append(
        f"  {'Correction rate':<26}{100 * status['correction_rate']:>7.1f}%  (corrected units ÷ affected units)"
    )
    return "\n".join(lines)
