"""The follow-up job: after a visit the bot writes first. A completed remedy → it asks
how it went (feedback); a failed or missed visit → it apologises and offers new times.

Through Rasa, so the dialogue knows what it is waiting for: the job triggers an external
intent for the customer's conversation (`POST /conversations/{id}/trigger_intent`,
`EXTERNAL_remedy_completed` / `EXTERNAL_visit_failed`); Rasa's rules start feedback_form
or recall_form, and the bot's messages in Rasa's answer go out through the
`ReplySender` (`bot.messaging.replies`) on the customer's channel, like any reply.

Exactly once: each prompt is claimed first — a `feedback` row, or a
`booking.rebook_offered` audit event — in a write transaction that locks the customer
(or booking) row, committed before Rasa is called. Of two runs at once (the worker's
loop and `recall feedback tick`), one claims. A claim whose Rasa call failed is released
and the next pass tries again. Quiet hours are outreach's (campaign `outreach.quiet_hours`,
the customer's local time)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.background import BackgroundLoop
from bot.campaigns.definition import parse_definition
from bot.db import run_in_write_transaction
from bot.domain.phones import timezone_of
from bot.domain.quiet_hours import quiet_now
from bot.domain.reply_route import reply_route
from bot.followup.due import FEEDBACK, REBOOK, Due, feedback_due, rebook_due
from bot.messaging.rasa import RasaUnavailable
from bot.messaging.replies import ReplySender
from bot.models import AuditEvent, Campaign, Channel, Customer, utcnow
from bot.services.conversations import conversation_of
from bot.services.feedback import claim_feedback, release_feedback
from bot.services.rebooking import claim_rebook_offer, release_rebook_offer
from bot.settings import Settings
from bot.twilio.http import make_twilio_client
from bot.twilio.sender import TwilioSender

log = logging.getLogger(__name__)
INTENTS = {FEEDBACK: "EXTERNAL_remedy_completed", REBOOK: "EXTERNAL_visit_failed"}
TICK_SECONDS = 60


class RasaTrigger:
    """The two calls of Rasa's HTTP API the job needs, synchronously."""

    def __init__(self, base_url: str, token: str, *, timeout: float = 60.0, client: httpx.Client | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.params = {"token": token} if token else {}
        self._client = client or httpx.Client(timeout=timeout)

    def close(self) -> None:
        self._client.close()

    def _call(self, method: str, path: str, json: Any = None) -> Any:
        try:
            response = self._client.request(method, f"{self.base_url}{path}", params=self.params, json=json)
        except httpx.HTTPError as exc:
            raise RasaUnavailable(f"Rasa unreachable: {exc.__class__.__name__}") from exc
        if response.status_code != 200:
            raise RasaUnavailable(f"Rasa answered {response.status_code}: {response.text[:200]}")
        return response.json()

    def trigger(self, sender_id: str, intent: str) -> list[str]:
        """Run the bot on an external intent; the texts it answered with. A form left
        open in the conversation is closed first: the bot's new question replaces it."""
        tracker = self._call("GET", f"/conversations/{sender_id}/tracker")
        if (tracker.get("active_loop") or {}).get("name"):
            self._call(
                "POST",
                f"/conversations/{sender_id}/tracker/events",
                [{"event": "active_loop", "name": None}, {"event": "slot", "name": "requested_slot", "value": None}],
            )
        body = self._call("POST", f"/conversations/{sender_id}/trigger_intent", {"name": intent})
        return [m["text"] for m in body.get("messages", []) if m.get("text")]


@dataclass
class TickResult:
    feedback_asked: int = 0
    rebooking_offered: int = 0
    quiet_hours: int = 0
    failed: int = 0

    def summary(self) -> str:
        return (
            f"feedback asked {self.feedback_asked}; new times offered after a failed or missed visit "
            f"{self.rebooking_offered}; in quiet hours {self.quiet_hours}; failed {self.failed}"
        )


@dataclass(frozen=True)
class Claimed:
    due: Due
    sender_id: str
    channel: Channel
    feedback_id: int | None


def _claim(session: Session, due: Due, now: dt.datetime) -> Claimed | None:
    feedback_id = None
    if due.kind == FEEDBACK:
        feedback_id = claim_feedback(session, due.customer_id, now)
        if feedback_id is None:
            return None
    elif due.booking_id is None or not claim_rebook_offer(session, due.booking_id, now):
        return None
    conversation = conversation_of(session, due.customer_id)
    customer = session.get(Customer, due.customer_id)
    assert customer is not None
    route = reply_route(
        conversation.last_channel.value if conversation.last_channel else None,
        conversation.whatsapp_last_inbound_at,
        now,
        whatsapp_unreachable=customer.whatsapp_unreachable,
        sms_unreachable=customer.sms_unreachable,
    )
    return Claimed(due, conversation.sender_id, Channel(route.channel), feedback_id)


def _release(session: Session, claimed: Claimed) -> None:
    if claimed.feedback_id is not None:
        release_feedback(session, claimed.feedback_id)
    elif claimed.due.booking_id is not None:
        release_rebook_offer(session, claimed.due.booking_id, claimed.due.customer_id)


class FollowUps:
    def __init__(
        self,
        factory: sessionmaker[Session],
        rasa: RasaTrigger,
        replies: ReplySender,
        *,
        quiet_hours: bool = True,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self.factory, self.rasa, self.replies = factory, rasa, replies
        self.quiet_hours = quiet_hours  # False: write at any local hour (tests, the demo)
        self.clock = clock

    def tick(self) -> TickResult:
        """One pass: everyone due now, outside their quiet hours."""
        now, result = self.clock(), TickResult()
        with self.factory() as session:
            due = feedback_due(session, now) + rebook_due(session, now)
            quiet = self._quiet_checker(session, now)
        for item in due:
            if self.quiet_hours and quiet(item):
                result.quiet_hours += 1
                continue
            sent = self.prompt(item, now)
            if sent is None:
                result.failed += 1
            elif sent and item.kind == FEEDBACK:
                result.feedback_asked += 1
            elif sent:
                result.rebooking_offered += 1
        return result

    def prompt(self, due: Due, now: dt.datetime) -> bool | None:
        """Claim, run the bot, send its words: True when this call prompted the customer,
        False when another run had (or the customer was not due), None on failure."""
        claimed = run_in_write_transaction(self.factory, lambda s: _claim(s, due, now))
        if claimed is None:
            return False
        try:
            texts = self.rasa.trigger(claimed.sender_id, INTENTS[due.kind])
        except RasaUnavailable as exc:
            log.warning("customer %s not prompted (%s): %s; released for the next pass", due.customer_id, due.kind, exc)
            run_in_write_transaction(self.factory, lambda s: _release(s, claimed))
            return None
        delivery = self.replies.deliver(customer_id=due.customer_id, channel=claimed.channel, texts=texts)
        with self.factory.begin() as session:
            session.add(
                AuditEvent(
                    actor="bot",
                    action=f"followup.{due.kind}",
                    customer_id=due.customer_id,
                    detail={
                        "channel": claimed.channel.value,
                        "parts_sent": delivery.sent,
                        "parts_failed": delivery.failed,
                        "booking_id": due.booking_id,
                        "feedback_id": claimed.feedback_id,
                    },
                )
            )
        if not texts:
            log.error("customer %s: the bot said nothing on %s", due.customer_id, INTENTS[due.kind])
        return delivery.sent > 0

    def _quiet_checker(self, session: Session, now: dt.datetime) -> Callable[[Due], bool]:
        hours = {}
        for campaign in session.scalars(select(Campaign)):
            d = parse_definition(campaign.definition, campaign.slug)
            hours[campaign.id] = (d.outreach.quiet_hours.start, d.outreach.quiet_hours.end, d.service.timezone)

        def quiet(item: Due) -> bool:
            start, end, campaign_zone = hours[item.campaign_id]
            return quiet_now(now, item.timezone or timezone_of(item.phone) or campaign_zone, start, end)

        return quiet


def follow_ups(factory: sessionmaker[Session], settings: Settings, *, quiet_hours: bool = True) -> FollowUps:
    """The job wired to the configured Rasa server and Twilio."""
    sender = TwilioSender(make_twilio_client(settings), settings)
    return FollowUps(
        factory,
        RasaTrigger(settings.rasa_url, settings.rasa_token),
        ReplySender(factory, sender, settings),
        quiet_hours=quiet_hours,
    )


class PeriodicFollowUps(BackgroundLoop):
    """`FollowUps.tick` every `interval` seconds in a thread (the gateway worker), until stopped."""

    def __init__(self, factory: sessionmaker[Session], settings: Settings, interval: float = TICK_SECONDS) -> None:
        super().__init__("follow-ups")
        self.factory, self.settings, self.interval = factory, settings, interval

    def _run(self) -> None:
        job = follow_ups(self.factory, self.settings)
        try:
            while not self._stop.wait(self.interval):
                try:
                    result = job.tick()
                except Exception:
                    log.exception("follow-up pass failed")
                    continue
                if result.feedback_asked or result.rebooking_offered or result.failed:
                    log.info("follow-ups: %s", result.summary())
        finally:
            job.rasa.close()
