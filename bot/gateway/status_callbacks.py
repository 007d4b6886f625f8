"""Twilio's status callbacks: each message's delivery status, and what it tells us about
the customer (delivered, opted out at the carrier, unreachable on that channel)."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.phones import split_address
from bot.gateway.driver_sql import autocommit_rows
from bot.models import Channel, Customer, Message, MessageStatus, utcnow
from bot.services.opt_outs import record_opt_out

# Statuses only move forward; a late 'sent' never overwrites 'delivered'.
RANK = {
    MessageStatus.ACCEPTED: 0, MessageStatus.SCHEDULED: 0, MessageStatus.QUEUED: 1, MessageStatus.SENDING: 2,
    MessageStatus.SENT: 3, MessageStatus.DELIVERED: 4, MessageStatus.READ: 5,
    MessageStatus.UNDELIVERED: 6, MessageStatus.FAILED: 6, MessageStatus.CANCELED: 6,
}
_PG_ADVANCE = ("UPDATE messages SET status = %s, status_updated_at = %s, error_code = COALESCE(%s, error_code) "
               "WHERE twilio_sid = %s AND status = ANY(%s) RETURNING id")
OPTED_OUT_CODES = {21610}
UNREACHABLE_CODES = {21211, 21614, 21612, 30003, 30005, 30006, 63024}


def apply_status(factory: sessionmaker[Session], form: Mapping[str, str]) -> bool:
    """Record one callback; False when the message is not ours (or the status is stale)."""
    sid = form.get("MessageSid") or form.get("SmsSid")
    try:
        status = MessageStatus(form.get("MessageStatus") or form.get("SmsStatus") or "")
    except ValueError:
        return False
    code_text = form.get("ErrorCode") or ""
    error_code = int(code_text) if code_text.isdigit() else None
    changes: dict[str, object] = {"status": status, "status_updated_at": utcnow()}
    if error_code:
        changes["error_code"] = error_code
    earlier = [s for s, rank in RANK.items() if rank < RANK.get(status, -1)]
    delivered = status in (MessageStatus.DELIVERED, MessageStatus.READ)
    about_customer = delivered or error_code in OPTED_OUT_CODES | UNREACHABLE_CODES
    engine = factory.kw["bind"]
    if engine.dialect.name == "postgresql" and not about_customer:
        # The common case (queued, sending, sent): one prepared statement on the driver.
        rows = autocommit_rows(engine, _PG_ADVANCE, [status.value, changes["status_updated_at"], error_code or None, sid,
                                                     [s.value for s in earlier]])
        return bool(rows)
    with factory.begin() as session:
        # One statement: moves the status forward only, and says whose message it was.
        row = session.execute(
            update(Message).where(Message.twilio_sid == sid, Message.status.in_(earlier))
            .values(**changes).returning(Message.customer_id, Message.to_address)
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
            customer.delivered_at = utcnow()
        if error_code in OPTED_OUT_CODES:
            record_opt_out(session, customer.phone, source=f"twilio_{error_code}")
        elif error_code in UNREACHABLE_CODES:
            channel, _ = split_address(to_address)
            if channel == Channel.WHATSAPP.value:
                customer.whatsapp_unreachable = True
            else:
                customer.sms_unreachable = True
    return True
