"""The recall dashboard's data (issue 7): the funnel by channel, the correction rate, a
daily timeline, the channel split, escalations by reason, feedback, the notices and
reminders sent with their SMS segments per language (issue 17), and the CSV export
(one row per unit, with its customer). Plain functions on a Session; the console draws them.

The numbers agree with `recall status --json` by construction: `dashboard_data` embeds
`campaign_status` and takes the funnel's totals from it.

Channels:
- *notified*, *delivered* and the `channels` split: the channel the customer's first
  notification went out on (`customers.notified_channel`, which the outreach sender sets
  with `notified_at` to the channel actually used — SMS after a failed WhatsApp attempt;
  migration 0005 filled it from the `notice` attempt for customers notified before).
- *replied* and the unit stages: the channel the customer last wrote on
  (`conversations.last_channel`, set by the gateway on every inbound message), falling
  back to the notification's channel for a customer with no conversation channel. A
  customer with neither (none in practice) counts in the total only, so
  `sms + whatsapp <= total`.

Customers and units (issue 16: a customer may own several units): the reach stages
(notified, delivered, replied) count customers; the stages after (verified, remedy
arranged, corrected, out of reach) count affected units, as `affected` and the
correction rate do (corrected units ÷ affected units). Each funnel row says which it
counts (`counts`: "customers" or "units").

Every figure is one SQL statement, named in `QUERIES`, so the benchmark
(benchmarks/bench_dashboard.py) times each one on its own.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import and_, case, func, literal, literal_column, or_, select
from sqlalchemy.orm import Session

from bot.domain.languages import SOURCE_LANGUAGE, language_name
from bot.domain.sms import UCS2
from bot.models import (
    Author,
    Booking,
    BookingStatus,
    BookingUnit,
    Campaign,
    Channel,
    Conversation,
    Customer,
    Escalation,
    EscalationStatus,
    Feedback,
    Message,
    OptOut,
    RemedyRequest,
    RequestStatus,
    Unit,
    utcnow,
)
from bot.services.status import campaign_status

DASHBOARD_KEYS = (
    "status",
    "funnel",
    "correction_rate",
    "out_of_reach",
    "timeline",
    "channels",
    "escalations_by_reason",
    "feedback",
    "messages",
)
# (key, label, what it counts, its total in `campaign_status`)
FUNNEL_STAGES = (
    ("affected", "Affected units", "units", "affected"),
    ("notified", "Customers notified", "customers", "notified"),
    ("delivered", "Customers reached", "customers", "delivered"),
    ("replied", "Customers replied", "customers", "replied"),
    ("verified", "Units verified", "units", "units_verified"),
    ("remedy_chosen", "Units with a remedy arranged", "units", "units_remedy"),
    ("completed", "Units corrected", "units", "units_completed"),
    ("out_of_reach", "Units out of reach", "units", "units_out_of_reach"),
)
UNIT_STAGES = ("verified", "remedy_chosen", "completed", "out_of_reach")
OPEN_REQUESTS = (RequestStatus.REQUESTED, RequestStatus.SCHEDULED, RequestStatus.PICKED_UP)
OUT_OF_REACH = (("sold", "units_sold"), ("given_away", "units_given_away"), ("disposed", "units_disposed"))
CHANNELS = (Channel.SMS.value, Channel.WHATSAPP.value)
FEEDBACK_COMMENTS = 20
CSV_BATCH = 1000
CSV_HEADER = [
    "customer_id",
    "name",
    "phone",
    # the unit's own columns (one row per unit)
    "serial",
    "model",
    "affected",
    "unit_verified_at",
    "unit_remedy",
    "unit_completed_at",
    "disposition",
    "disposition_at",
    "unit_booking",
    "unit_request",
    # the customer's
    "notified_at",
    "delivered_at",
    "replied_at",
    "verified_at",
    "completed_at",
    "verification",
    "remedy",
    "booking_reference",
    "booking_status",
    "open_request",
    "escalation_status",
    "escalation_reason",
    "opted_out",
    "last_channel",
]


# --- the queries -----------------------------------------------------------------------


def funnel_notice_channels(session: Session, campaign: Campaign) -> dict[str, dict[str, int]]:
    """Notified and delivered customers by the channel of their first notification
    (`customers.notified_channel`, written by the sender with `notified_at`): one scan
    of the campaign's customers, no join."""
    c = Customer
    stmt = (
        select(
            c.notified_channel,
            func.count(c.id).filter(c.notified_at.is_not(None)),
            func.count(c.id).filter(c.delivered_at.is_not(None)),
        )
        .where(c.campaign_id == campaign.id)
        .group_by(c.notified_channel)
    )
    result: dict[str, dict[str, int]] = {key: dict.fromkeys(CHANNELS, 0) for key in ("notified", "delivered")}
    for channel, notified, delivered in session.execute(stmt):
        if channel is not None:
            result["notified"][channel.value] = int(notified)
            result["delivered"][channel.value] = int(delivered)
    return result


def _split(session: Session, stmt: Any, keys: list[str]) -> dict[str, dict[str, int]]:
    """Rows of (channel, count per key) into {key: {channel: count}}."""
    result: dict[str, dict[str, int]] = {key: dict.fromkeys(CHANNELS, 0) for key in keys}
    for row in session.execute(stmt):
        name = getattr(row[0], "value", row[0])
        if name in CHANNELS:
            for key, n in zip(keys, row[1:], strict=True):
                result[key][name] = int(n)
    return result


def funnel_reply_channels(session: Session, campaign: Campaign) -> dict[str, dict[str, int]]:
    """Customers who replied, by the channel they last wrote on (`conversations.last_channel`;
    the notice's channel when they have no conversation channel)."""
    c = Customer
    channel = func.coalesce(Conversation.last_channel, c.notified_channel).label("channel")
    stmt = (
        select(channel, func.count(c.id))
        .outerjoin(Conversation, Conversation.customer_id == c.id)
        .where(c.campaign_id == campaign.id, c.replied_at.is_not(None))
        .group_by(channel)
    )
    return _split(session, stmt, ["replied"])


def funnel_unit_channels(session: Session, campaign: Campaign) -> dict[str, dict[str, int]]:
    """Affected units verified, with a remedy arranged, corrected and out of reach, by the
    channel their customer last wrote on (the notice's channel when they have no
    conversation channel, e.g. a remedy an agent arranged for someone who never wrote):
    one scan of the campaign's affected units, grouped."""
    u, c = Unit, Customer
    channel = func.coalesce(Conversation.last_channel, c.notified_channel).label("channel")
    conditions = {
        "verified": u.verified_at.is_not(None),
        "remedy_chosen": u.remedy.is_not(None),
        "completed": u.completed_at.is_not(None),
        "out_of_reach": u.disposition.is_not(None),
    }
    stmt = (
        select(channel, *[func.count(u.id).filter(cond) for cond in conditions.values()])
        .select_from(u)
        .join(c, c.id == u.customer_id)
        .outerjoin(Conversation, Conversation.customer_id == c.id)
        .where(u.campaign_id == campaign.id, u.affected.is_(True), or_(*conditions.values()))
        .group_by(channel)
    )
    return _split(session, stmt, list(conditions))


def _day_bounds(campaign: Campaign, days: int, now: dt.datetime | None) -> tuple[list[str], list[dt.datetime]]:
    """The last `days` local dates (today last) and the `days + 1` local midnights that
    bound them, in UTC (a day is 23 or 25 hours long across a DST change)."""
    tz = zoneinfo.ZoneInfo(campaign.timezone)
    today = (now or utcnow()).astimezone(tz).date()
    dates = [today - dt.timedelta(days=days - 1 - i) for i in range(days + 1)]
    bounds = [dt.datetime.combine(d, dt.time(0), tzinfo=tz).astimezone(dt.UTC) for d in dates]
    return [d.isoformat() for d in dates[:-1]], bounds


def _per_day(session: Session, column: Any, bounds: list[dt.datetime], *conditions: Any) -> list[int]:
    """Rows per local day: a CASE on the day boundaries, so the same SQL works on SQLite
    (no time zones) and PostgreSQL, daylight saving included."""
    day = case(*[(column < bound, literal(i)) for i, bound in enumerate(bounds[1:])], else_=literal(-1))
    stmt = (
        select(day.label("day"), func.count().label("n"))
        .where(*conditions, column >= bounds[0], column < bounds[-1])
        .group_by(day)
    )
    counts = [0] * (len(bounds) - 1)
    for index, n in session.execute(stmt):
        if 0 <= index < len(counts):
            counts[index] = int(n)
    return counts


def timeline_notices(session: Session, campaign: Campaign, bounds: list[dt.datetime]) -> list[int]:
    """Customers first notified that day (`customers.notified_at`, as the funnel)."""
    return _per_day(session, Customer.notified_at, bounds, Customer.campaign_id == campaign.id)


def timeline_replies(session: Session, campaign: Campaign, bounds: list[dt.datetime]) -> list[int]:
    """Customers who first replied that day."""
    return _per_day(session, Customer.replied_at, bounds, Customer.campaign_id == campaign.id)


def timeline_bookings(session: Session, campaign: Campaign, bounds: list[dt.datetime]) -> list[int]:
    """Bookings (repair visits and pickups) made that day, whatever became of them."""
    return _per_day(session, Booking.created_at, bounds, Booking.campaign_id == campaign.id)


def timeline_completions(session: Session, campaign: Campaign, bounds: list[dt.datetime]) -> list[int]:
    """Affected units corrected that day (as the correction rate counts them)."""
    return _per_day(session, Unit.completed_at, bounds, Unit.campaign_id == campaign.id, Unit.affected.is_(True))


def escalations_by_reason(session: Session, campaign: Campaign) -> dict[str, int]:
    """Every escalation of the campaign's customers (any status), by reason, most first."""
    stmt = (
        select(Escalation.reason, func.count(Escalation.id))
        .join(Customer, Customer.id == Escalation.customer_id)
        .where(Customer.campaign_id == campaign.id)
        .group_by(Escalation.reason)
        .order_by(func.count(Escalation.id).desc(), Escalation.reason)
    )
    return {reason: int(n) for reason, n in session.execute(stmt)}


def feedback_scores(session: Session, campaign: Campaign) -> dict[str, int]:
    """Answered feedback by score, "1" to "5" (every key present)."""
    stmt = (
        select(Feedback.score, func.count(Feedback.id))
        .where(Feedback.campaign_id == campaign.id, Feedback.score.is_not(None))
        .group_by(Feedback.score)
    )
    scores = {str(s): 0 for s in range(1, 6)}
    for score, n in session.execute(stmt):
        scores[str(score)] = int(n)
    return scores


def feedback_comments(session: Session, campaign: Campaign, limit: int = FEEDBACK_COMMENTS) -> list[dict[str, Any]]:
    """The latest comments (by when they were written), newest first."""
    stmt = (
        select(
            Feedback.score,
            Feedback.comment,
            Feedback.commented_at,
            Feedback.answered_at,
            Feedback.asked_at,
            Feedback.customer_id,
        )
        .where(Feedback.campaign_id == campaign.id, Feedback.comment.is_not(None), Feedback.comment != "")
        .order_by(Feedback.commented_at.desc().nulls_last(), Feedback.id.desc())
        .limit(limit)
    )
    return [
        {
            "score": row.score,
            "comment": row.comment,
            "at": (row.commented_at or row.answered_at or row.asked_at).isoformat(),
            "customer_id": row.customer_id,
        }
        for row in session.execute(stmt)
    ]


def _feedback(scores: dict[str, int], comments: list[dict[str, Any]]) -> dict[str, Any]:
    count = sum(scores.values())
    total = sum(int(score) * n for score, n in scores.items())
    return {
        "count": count,
        "average": round(total / count, 2) if count else None,
        "scores": scores,
        "comments": comments,
    }


def _campaign_languages(campaign: Campaign) -> list[str]:
    """The languages the campaign ships, its default first (the stored definition's)."""
    return list((campaign.definition or {}).get("languages") or [SOURCE_LANGUAGE])


def messages_by_language(session: Session, campaign: Campaign) -> list[tuple[str | None, str, str | None, int, int]]:
    """The outreach messages (the notice and reminders) Twilio accepted for the campaign's
    customers, by the customer's language, channel and encoding: (language, channel,
    encoding, messages, segments). One scan of the outreach messages, joined to their
    customers and grouped. The bot's and agents' replies are left out: their cost is the
    conversation's, not the notice's, and counting every message would scan the whole
    messages table (benchmarks/bench_dashboard.py).

    The outreach messages are read from their partial index,
    `ix_messages_outreach_customer_id` (migration 0009: on PostgreSQL an index-only scan,
    channel, encoding and segments carried in the index). Its condition is written here
    as SQL literals, not bound values, so the planner can match it to the index's
    `WHERE` on every plan (a generic plan of a prepared statement too)."""
    m, c = Message, Customer
    outreach = literal_column(f"'{Author.OUTREACH.value}'")
    stmt = (
        select(c.language, m.channel, m.encoding, func.count(), func.coalesce(func.sum(m.segments), 0))
        .select_from(m)
        .join(c, c.id == m.customer_id)
        .where(c.campaign_id == campaign.id, m.author == outreach, m.twilio_sid.is_not(None))
        .group_by(c.language, m.channel, m.encoding)
    )
    return [
        (language, getattr(channel, "value", channel), encoding, int(n), int(segments))
        for language, channel, encoding, n, segments in session.execute(stmt)
    ]


def _messages(rows: list[tuple[str | None, str, str | None, int, int]], languages: list[str]) -> dict[str, Any]:
    """Per language the campaign ships (a customer's language it does not ship counts as
    its default, which is what they are written in): outreach messages, SMS, SMS segments (what
    Twilio bills), SMS in UCS-2 (Devanagari: 70 characters a segment, 67 when split, so
    a Hindi SMS takes more segments than the same text in English or Hinglish), WhatsApp
    messages; and the totals."""
    empty = {"messages": 0, "sms": 0, "segments": 0, "ucs2": 0, "whatsapp": 0}
    by_language = {language: {"name": language_name(language), **empty} for language in languages}
    total = dict(empty)
    for language, channel, encoding, n, segments in rows:
        key = language if language in by_language else languages[0]
        for figures in (by_language[key], total):
            figures["messages"] += n
            if channel == Channel.SMS.value:
                figures["sms"] += n
                figures["segments"] += segments
                figures["ucs2"] += n if encoding == UCS2 else 0
            elif channel == Channel.WHATSAPP.value:
                figures["whatsapp"] += n
    for figures in (*by_language.values(), total):
        figures["segments_per_sms"] = round(figures["segments"] / figures["sms"], 2) if figures["sms"] else None
    return {"languages": by_language, "total": total}


# Each dashboard statement by name: (session, campaign, bounds) -> its result. The
# benchmark times these one by one; `dashboard_data` runs them all.
QUERIES: dict[str, Callable[[Session, Campaign, list[dt.datetime]], Any]] = {
    "status": lambda s, c, b: campaign_status(s, c),
    "funnel_notice_channels": lambda s, c, b: funnel_notice_channels(s, c),
    "funnel_reply_channels": lambda s, c, b: funnel_reply_channels(s, c),
    "funnel_unit_channels": lambda s, c, b: funnel_unit_channels(s, c),
    "timeline_notices": timeline_notices,
    "timeline_replies": timeline_replies,
    "timeline_bookings": timeline_bookings,
    "timeline_completions": timeline_completions,
    "escalations_by_reason": lambda s, c, b: escalations_by_reason(s, c),
    "feedback_scores": lambda s, c, b: feedback_scores(s, c),
    "feedback_comments": lambda s, c, b: feedback_comments(s, c),
    "messages_by_language": lambda s, c, b: messages_by_language(s, c),
}


def dashboard_data(
    session: Session, campaign: Campaign, *, days: int = 30, now: dt.datetime | None = None
) -> dict[str, Any]:
    """Everything the dashboard shows (keys: DASHBOARD_KEYS)."""
    dates, bounds = _day_bounds(campaign, days, now)
    r = {name: query(session, campaign, bounds) for name, query in QUERIES.items()}
    status = r["status"]
    split = {**r["funnel_notice_channels"], **r["funnel_reply_channels"], **r["funnel_unit_channels"]}
    funnel = []
    for key, label, counts, total in FUNNEL_STAGES:
        by_channel = split.get(key)
        funnel.append(
            {
                "key": key,
                "label": label,
                "counts": counts,
                "total": status[total],
                "sms": by_channel[Channel.SMS.value] if by_channel else None,
                "whatsapp": by_channel[Channel.WHATSAPP.value] if by_channel else None,
            }
        )
    return {
        "status": status,
        "funnel": funnel,
        "correction_rate": status["correction_rate"],
        "out_of_reach": {kind: status[key] for kind, key in OUT_OF_REACH},
        "timeline": {
            "days": dates,
            "notices": r["timeline_notices"],
            "replies": r["timeline_replies"],
            "bookings": r["timeline_bookings"],
            "completions": r["timeline_completions"],
        },
        "channels": {name: split["notified"][name] for name in CHANNELS},
        "escalations_by_reason": r["escalations_by_reason"],
        "feedback": _feedback(r["feedback_scores"], r["feedback_comments"]),
        "messages": _messages(r["messages_by_language"], _campaign_languages(campaign)),
    }


# --- the CSV export ------------------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def safe_cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run: text starting with = + - @ (or a tab or
    carriage return) gets a leading apostrophe. A plain number (a phone in E.164,
    "+919812300001") cannot be a formula and is left as it is."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def _customer_batch(session: Session, campaign: Campaign, after_id: int, limit: int) -> list[Any]:
    stmt = (
        select(
            Customer.id,
            Customer.name,
            Customer.phone,
            Customer.notified_at,
            Customer.delivered_at,
            Customer.replied_at,
            Customer.verified_at,
            Customer.completed_at,
            Customer.verification,
            Customer.remedy,
            Conversation.last_channel,
            OptOut.id.label("opt_out_id"),
        )
        .outerjoin(Conversation, Conversation.customer_id == Customer.id)
        .outerjoin(OptOut, and_(OptOut.phone == Customer.phone, OptOut.opted_in_at.is_(None)))
        .where(Customer.campaign_id == campaign.id, Customer.id > after_id)
        .order_by(Customer.id)
        .limit(limit)
    )
    return list(session.execute(stmt))


def _unit_cells(unit: Any, booking: str, request: str, when: Callable[[dt.datetime | None], str]) -> list[object]:
    if unit is None:
        return [""] * 10
    return [
        unit.serial,
        unit.model,
        "yes" if unit.affected else "no",
        when(unit.verified_at),
        unit.remedy.value if unit.remedy else "",
        when(unit.completed_at),
        unit.disposition.value if unit.disposition else "",
        when(unit.disposition_at),
        booking,
        request,
    ]


UNIT_COLUMNS = (
    Unit.id,
    Unit.customer_id,
    Unit.serial,
    Unit.model,
    Unit.affected,
    Unit.verified_at,
    Unit.remedy,
    Unit.completed_at,
    Unit.disposition,
    Unit.disposition_at,
)


def _unit_references(
    session: Session, campaign: Campaign, first: int, last: int
) -> tuple[dict[int, str], dict[int, str]]:
    """Each unit's visit or pickup (`booking_units`: the booked one first, else the latest
    not cancelled, else the latest) and its replacement/refund (`remedy_requests.unit_id`:
    an open one first, else the latest not cancelled, else the latest), as
    "REFERENCE kind status", for the bookings and requests of customers `first` to `last`."""
    bookings: dict[int, str] = {}
    for unit_id, reference, kind, status in session.execute(
        select(BookingUnit.unit_id, Booking.reference, Booking.kind, Booking.status)
        .join(Booking, Booking.id == BookingUnit.booking_id)
        .where(Booking.campaign_id == campaign.id, Booking.customer_id.between(first, last))
        .order_by(
            (Booking.status == BookingStatus.BOOKED).desc(),
            (Booking.status == BookingStatus.CANCELLED).asc(),
            Booking.id.desc(),
        )
    ):
        bookings.setdefault(unit_id, f"{reference} {kind.value} {status.value}")
    requests: dict[int, str] = {}
    for unit_id, reference, kind, status in session.execute(
        select(RemedyRequest.unit_id, RemedyRequest.reference, RemedyRequest.kind, RemedyRequest.status)
        .where(
            RemedyRequest.campaign_id == campaign.id,
            RemedyRequest.unit_id.is_not(None),
            RemedyRequest.customer_id.between(first, last),
        )
        .order_by(
            RemedyRequest.status.in_(OPEN_REQUESTS).desc(),
            (RemedyRequest.status == RequestStatus.CANCELLED).asc(),
            RemedyRequest.id.desc(),
        )
    ):
        requests.setdefault(unit_id, f"{reference} {kind.value} {status.value}")
    return bookings, requests


def customers_csv_rows(session: Session, campaign: Campaign, *, batch: int = CSV_BATCH) -> Iterator[list[str]]:
    """The header, then one row per unit of the campaign, in its state now, with its
    customer's columns: the units of each customer (customers by id, their units by id),
    a customer without any unit on one row with the unit's columns empty, then the units
    of the registry no customer holds (the customer's columns empty). What a recall team
    reports to a regulator: every unit, whether it is affected, verified, its remedy,
    corrected, or out of reach (sold, given away, thrown away), with the visit or request
    that is for it.

    Read in keyset batches of `batch` customers (each batch: the customers, then their
    units, bookings, open requests and escalations by id range), so memory stays flat at
    any size and no transaction or cursor is held between batches beyond the session's
    own. Timestamps are ISO 8601 in the campaign's time zone. Every cell passes through
    `safe_cell` (spreadsheet formula injection)."""
    tz = zoneinfo.ZoneInfo(campaign.timezone)

    def when(value: dt.datetime | None) -> str:
        return value.astimezone(tz).isoformat() if value else ""

    yield list(CSV_HEADER)
    after = 0
    while True:
        customers = _customer_batch(session, campaign, after, batch)
        if not customers:
            break
        first, last = customers[0].id, customers[-1].id
        after = last
        # The batch's related rows by a range of customer ids (an index range scan each;
        # 1,000 bound parameters in an IN list cost more to send than the rows); rows of
        # other campaigns' customers within the range are dropped below.
        units: dict[int, list[Any]] = {}
        for unit in session.execute(
            select(*UNIT_COLUMNS)
            .where(Unit.customer_id.between(first, last), Unit.campaign_id == campaign.id)
            .order_by(Unit.id)
        ):
            units.setdefault(unit.customer_id, []).append(unit)
        unit_bookings, unit_requests = _unit_references(session, campaign, first, last)
        bookings: dict[int, tuple[str, str]] = {}
        # the active booking first, else the latest
        for customer_id, reference, status in session.execute(
            select(Booking.customer_id, Booking.reference, Booking.status)
            .where(Booking.customer_id.between(first, last), Booking.campaign_id == campaign.id)
            .order_by(Booking.customer_id, (Booking.status == BookingStatus.BOOKED).desc(), Booking.id.desc())
        ):
            bookings.setdefault(customer_id, (reference, status.value))
        requests: dict[int, str] = {}
        for customer_id, reference, kind, status in session.execute(
            select(RemedyRequest.customer_id, RemedyRequest.reference, RemedyRequest.kind, RemedyRequest.status)
            .where(
                RemedyRequest.campaign_id == campaign.id,
                RemedyRequest.customer_id.between(first, last),
                RemedyRequest.status.in_(OPEN_REQUESTS),
            )
            .order_by(RemedyRequest.id.desc())
        ):
            requests.setdefault(customer_id, f"{reference} {kind.value} {status.value}")
        escalations: dict[int, tuple[str, str]] = {}
        # the escalation in progress first, else the latest
        for customer_id, status, reason in session.execute(
            select(Escalation.customer_id, Escalation.status, Escalation.reason)
            .where(Escalation.customer_id.between(first, last))
            .order_by(
                Escalation.customer_id,
                Escalation.status.in_([EscalationStatus.OPEN, EscalationStatus.CLAIMED]).desc(),
                Escalation.id.desc(),
            )
        ):
            escalations.setdefault(customer_id, (status.value, reason))
        for row in customers:
            booking = bookings.get(row.id, ("", ""))
            escalation = escalations.get(row.id, ("", ""))
            customer_cells = [
                when(row.notified_at),
                when(row.delivered_at),
                when(row.replied_at),
                when(row.verified_at),
                when(row.completed_at),
                row.verification.value if row.verification else "",
                row.remedy.value if row.remedy else "",
                booking[0],
                booking[1],
                requests.get(row.id, ""),
                escalation[0],
                escalation[1],
                "yes" if row.opt_out_id is not None else "no",
                row.last_channel.value if row.last_channel else "",
            ]
            for unit in units.get(row.id) or [None]:
                unit_cells = _unit_cells(
                    unit,
                    unit_bookings.get(unit.id, "") if unit else "",
                    unit_requests.get(unit.id, "") if unit else "",
                    when,
                )
                yield [safe_cell(v) for v in (row.id, row.name, row.phone, *unit_cells, *customer_cells)]
        if len(customers) < batch:
            break
    # the registry's units no customer holds (none in an import, which links every unit)
    after = 0
    while True:
        orphans = list(
            session.execute(
                select(*UNIT_COLUMNS)
                .where(Unit.campaign_id == campaign.id, Unit.customer_id.is_(None), Unit.id > after)
                .order_by(Unit.id)
                .limit(batch)
            )
        )
        if not orphans:
            return
        after = orphans[-1].id
        empty = [""] * (len(CSV_HEADER) - 13)
        for unit in orphans:
            yield [safe_cell(v) for v in ("", "", "", *_unit_cells(unit, "", "", when), *empty)]
        if len(orphans) < batch:
            return


__all__ = [
    "CSV_HEADER",
    "DASHBOARD_KEYS",
    "FUNNEL_STAGES",
    "QUERIES",
    "customers_csv_rows",
    "dashboard_data",
    "escalations_by_reason",
    "feedback_comments",
    "feedback_scores",
    "funnel_notice_channels",
    "funnel_reply_channels",
    "funnel_unit_channels",
    "safe_cell",
    "timeline_bookings",
    "timeline_completions",
    "timeline_notices",
    "timeline_replies",
]
