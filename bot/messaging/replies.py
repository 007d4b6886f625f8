"""Sending the bot's (or an agent's) reply to a customer: joined, split at 1,600
characters, one outbox row per part written before Twilio is called, and Twilio's
answer recorded on it — sid, status, segments, or the error and what it means.

A part Twilio refused with 429/5xx (or never received) after the sender's own bounded
retries is counted in `Delivery.retry_later`: the gateway keeps the inbound message
unprocessed and delivers the reply again later (a Twilio outage), and that delivery
reuses the part's failed row instead of adding one. Twilio's answer is written to the
row even when the database is restarting at that moment (retried for up to a minute),
so a restart does not make the reply go out twice."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.db import retry_until_reachable
from bot.domain.channels import Channel, address_of
from bot.domain.sms import segment_count, split_body
from bot.messaging.reply import pictures_of_parts
from bot.models import Author, Customer, Direction, Message, MessageStatus, utcnow
from bot.services.opt_outs import is_opted_out, record_opt_out
from bot.settings import Settings
from bot.twilio.errors import SendOutcome
from bot.twilio.sender import SendResult, TwilioSender

PART_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class Delivery:
    sent: int
    failed: int
    skipped_opted_out: bool = False
    retry_later: int = 0  # failed parts Twilio may accept later (429, 5xx, not reached)


def _addresses(settings: Settings, channel: Channel, phone: str) -> tuple[str, str]:
    """(from, to) of a reply on `channel`."""
    if channel is Channel.WHATSAPP:
        return settings.twilio_whatsapp_from, address_of(channel, phone)
    return settings.twilio_messaging_service_sid or settings.twilio_sms_from, address_of(channel, phone)


class ReplySender:
    def __init__(self, factory: sessionmaker[Session], sender: TwilioSender, settings: Settings) -> None:
        self.factory = factory
        self.sender = sender
        self.settings = settings

    def deliver(
        self,
        *,
        customer_id: int,
        channel: Channel,
        texts: list[str],
        reply_to_id: int | None = None,
        author: Author = Author.BOT,
        agent_id: int | None = None,
        confirm_opt_out: bool = False,
    ) -> Delivery:
        """Send `texts` as one reply. Parts already sent for `reply_to_id` (a retry after a
        crash) are not sent again. Nothing goes to an opted-out number, except the one
        confirmation of its opt-out (`confirm_opt_out`). On WhatsApp a text's picture (a
        `bot.messaging.reply.Reply`) goes with the part holding that text; SMS sends none."""
        body = PART_SEPARATOR.join(t.strip() for t in texts if t and t.strip())
        if not body:
            return Delivery(0, 0)
        with self.factory() as session:
            customer = session.get(Customer, customer_id)
            assert customer is not None
            phone = customer.phone
            if is_opted_out(session, phone) and not confirm_opt_out:
                return Delivery(0, 0, skipped_opted_out=True)
            done: set[str] = set()
            unsent: dict[str, int] = {}  # a part an earlier attempt failed to send: its row
            if reply_to_id is not None:
                for row in session.scalars(
                    select(Message)
                    .where(Message.reply_to_id == reply_to_id, Message.direction == Direction.OUTBOUND)
                    .order_by(Message.id)
                ):
                    if row.twilio_sid is not None:
                        done.add(row.body)
                    elif row.status is MessageStatus.FAILED:
                        unsent.setdefault(row.body, row.id)
        sent = failed = retry_later = 0
        parts = split_body(body)
        pictures = pictures_of_parts(parts, texts) if channel is Channel.WHATSAPP else [None] * len(parts)
        for part, picture in zip(parts, pictures, strict=True):
            if part in done:
                continue
            result = self._send_part(
                customer_id, phone, channel, part, reply_to_id, author, agent_id, unsent.get(part), picture
            )
            if result.ok:
                sent += 1
            else:
                failed += 1
                if result.outcome is SendOutcome.RETRYABLE:
                    retry_later += 1
                if result.outcome is SendOutcome.OPTED_OUT:
                    break
        return Delivery(sent, failed, retry_later=retry_later)

    def _send_part(
        self,
        customer_id: int,
        phone: str,
        channel: Channel,
        part: str,
        reply_to_id: int | None,
        author: Author,
        agent_id: int | None,
        row_id: int | None = None,
        picture: str | None = None,
    ) -> SendResult:
        info = segment_count(part)
        sender_address, to_address = _addresses(self.settings, channel, phone)
        kind = mimetypes.guess_type(urlsplit(picture).path)[0] if picture else None
        media = [{"url": picture, "content_type": kind or ""}] if picture else []
        with self.factory.begin() as session:
            row = session.get(Message, row_id) if row_id is not None else None
            if row is None:
                row = Message(
                    customer_id=customer_id,
                    direction=Direction.OUTBOUND,
                    channel=channel,
                    author=author,
                    agent_id=agent_id,
                    from_address=sender_address,
                    to_address=to_address,
                    body=part,
                    status=MessageStatus.QUEUED,
                    segments=info.segments,
                    encoding=info.encoding,
                    reply_to_id=reply_to_id,
                    media=media,
                    num_media=len(media),
                )
                session.add(row)
            else:  # sent again after a failure Twilio may not repeat (its outage)
                row.channel, row.from_address, row.to_address = channel, sender_address, to_address
                row.status, row.error_code, row.error_message = MessageStatus.QUEUED, None, None
                row.media, row.num_media = media, len(media)
            session.flush()
            row_id = row.id
        result = self.sender.send(phone, channel=channel, body=part, media_urls=[picture] if picture else ())
        fallback = None
        if not result.ok and channel is Channel.WHATSAPP and result.outcome.falls_back_to_sms:
            fallback = self.sender.send(phone, channel=Channel.SMS, body=part)  # the text alone
        # Twilio has the message now and only this process knows its sid: a database that
        # is restarting must not make the gateway send the reply a second time.
        retry_until_reachable(lambda: self._record(row_id, customer_id, phone, channel, result, fallback))
        return fallback if fallback is not None else result

    def _record(
        self,
        row_id: int,
        customer_id: int,
        phone: str,
        channel: Channel,
        result: SendResult,
        fallback: SendResult | None,
    ) -> None:
        with self.factory.begin() as session:
            row = session.get(Message, row_id)
            assert row is not None
            final = fallback if fallback is not None else result
            if fallback is not None:
                row.channel = Channel.SMS
                row.from_address, row.to_address = _addresses(self.settings, Channel.SMS, phone)
                row.error_message = f"WhatsApp failed ({result.error_code}); sent by SMS"
                row.media, row.num_media = [], 0  # SMS sends no picture
            row.status_updated_at = utcnow()
            if final.ok:
                row.twilio_sid = final.sid
                row.status = MessageStatus(final.status or "queued")
                return
            customer = session.get(Customer, customer_id)  # only a failure says something about them
            assert customer is not None
            row.status = MessageStatus.FAILED
            row.error_code = final.error_code
            row.error_message = final.error_message
            if final.outcome is SendOutcome.OPTED_OUT:
                record_opt_out(session, phone, source=f"twilio_{final.error_code}")
            elif final.outcome is SendOutcome.UNREACHABLE:
                if (fallback is not None and final is fallback) or channel is Channel.SMS:
                    customer.sms_unreachable = True
                else:
                    customer.whatsapp_unreachable = True
            if fallback is not None and result.outcome is SendOutcome.WHATSAPP_FAILED:
                customer.whatsapp_unreachable = True
