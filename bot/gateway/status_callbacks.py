"""Twilio's status callbacks: each message's delivery status, and what it tells us about
the customer (delivered, opted out at the carrier, unreachable on that channel)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.channels import Channel, split_address
from bot.gateway.driver_sql import autocommit_rows
from bot.models import Customer, Message, MessageStatus, utcnow
from bot.services.opt_outs import record_opt_out

# Statuses only move forward; a late 'sent' never overwrites 'delivered'.
RANK = {
    MessageStatus.ACCEPTED: 0,
    MessageStatus.SCHEDULED: 0,
    MessageStatus.QUEUED: 1,
    MessageStatus.SENDING: 2,
    MessageStatus.SENT: 3,
    MessageStatus.DELIVERED: 4,
    MessageStatus.READ: 5,
    MessageStatus.UNDELIVERED: 6,
    MessageStatus.FAILED: 6,
    MessageStatus.CANCELED: 6,
}
# Each answers one row: how many messages moved (0: not ours, or a stale status).
_PG_ADVANCE = (
    "WITH moved AS (UPDATE messages SET status = %s, status_updated_at = %s, error_code = COALESCE(%s, error_code) "
    "WHERE twilio_sid = %s AND status = ANY(%s) RETURNING id) SELECT count(*) FROM moved"
)
# Delivered (or read): the message's status, and the customer's first delivery, in one statement.
_PG_DELIVERED = (
    "WITH moved AS (UPDATE messages SET status = %s, status_updated_at = %s "
    "WHERE twilio_sid = %s AND status = ANY(%s) RETURNING customer_id), "
    "first AS (UPDATE customers SET delivered_at = %s WHERE delivered_at IS NULL "
    "AND id IN (SELECT customer_id FROM moved) RETURNING id) "
    "SELECT count(*) FROM moved"
)
OPTED_OUT_CODES = {21610}
UNREACHABLE_CODES = {21211, 21614, 21612, 30003, 30005, 30006, 63024}


@dataclass(frozen=True)
class StatusCallback:
    sid: str
    status: MessageStatus
    error_code: int | None
    at: dt.datetime

    @property
    def earlier(self) -> list[MessageStatus]:
        """The statuses this one may replace (statuses only move forward)."""
        return [s for s, rank in RANK.items() if rank < RANK.get(self.status, -1)]

    @property
    def delivered(self) -> bool:
        return self.status in (MessageStatus.DELIVERED, MessageStatus.READ)

    @property
    def about_customer(self) -> bool:
        """It tells something about the customer too (delivered, opted out, unreachable)."""
        return self.delivered or self.error_code in OPTED_OUT_CODES | UNREACHABLE_CODES


def parse_callback(form: Mapping[str, str]) -> StatusCallback | None:
    sid = form.get("MessageSid") or form.get("SmsSid")
    try:
        status = MessageStatus(form.get("MessageStatus") or form.get("SmsStatus") or "")
    except ValueError:
        return None
    if not sid:
        return None
    code_text = form.get("ErrorCode") or ""
    return StatusCallback(sid, status, int(code_text) if code_text.isdigit() else None, utcnow())


def _driver_statement(callback: StatusCallback) -> tuple[str, list[object]] | None:
    """PostgreSQL's one-statement form of the common callbacks (queued, sending, sent;
    delivered and read without an error); None for the rest."""
    earlier = [s.value for s in callback.earlier]
    if not callback.about_customer:
        return _PG_ADVANCE, [callback.status.value, callback.at, callback.error_code or None, callback.sid, earlier]
    if callback.delivered and callback.error_code is None:
        return _PG_DELIVERED, [callback.status.value, callback.at, callback.sid, earlier, callback.at]
    return None


def apply_status(factory: sessionmaker[Session], form: Mapping[str, str]) -> bool:
    """Record one callback; False when the message is not ours (or the status is stale)."""
    callback = parse_callback(form)
    if callback is None:
        return False
    engine = factory.kw["bind"]
    statement = _driver_statement(callback) if engine.dialect.name == "postgresql" else None
    if statement is not None:
        return bool(autocommit_rows(engine, *statement)[0][0])
    return _apply(factory, callback)


def _apply(factory: sessionmaker[Session], callback: StatusCallback) -> bool:
    sid, status, error_code, delivered = callback.sid, callback.status, callback.error_code, callback.delivered
    changes: dict[str, object] = {"status": status, "status_updated_at": callback.at}
    if error_code:
        changes["error_code"] = error_code
    earlier, about_customer = callback.earlier, callback.about_customer
    with factory.begin() as session:
        # One statement: moves the status forward only, and says whose message it was.
        row = session.execute(
            update(Message)
            .where(Message.twilio_sid == sid, Message.status.in_(earlier))
            .values(**changes)
            .returning(Message.customer_id, Message.to_address)
        ).first()
        if row is None:
            return False  # not ours, or a late callback (a 'sent' after 'delivered')
        customer_id, to_address = row
        if customer_id is None or not about_customer:
            return True  # queued, sending, sent...: nothing about the customer (saves a query)
        customer = session.get(Customer, customer_id)
        if customer is None:
            return True
        if delivered and customer.delivered_at is None:
            customer.delivered_at = callback.at
        if error_code in OPTED_OUT_CODES:
            record_opt_out(session, customer.phone, source=f"twilio_{error_code}")
        elif error_code in UNREACHABLE_CODES:
            channel, _ = split_address(to_address)
            if channel is Channel.WHATSAPP:
                customer.whatsapp_unreachable = True
            else:
                customer.sms_unreachable = True
    return True
