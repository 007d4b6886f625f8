"""Sending the outreach: settle what an earlier run left unknown, pick the eligible
customers outside quiet hours, claim them in the outbox, send at the global rate with
enough concurrency to hide Twilio's latency, record every answer.

Stopping at any moment (Ctrl-C, a crash, SIGKILL) loses nothing and doubles nothing: a
rerun skips every customer whose attempt exists and settles the ones still pending."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.campaigns.definition import CampaignDefinition, parse_definition
from bot.db import run_in_write_transaction
from bot.domain.channels import address_of
from bot.domain.phones import timezone_of
from bot.domain.quiet_hours import quiet_now
from bot.models import Campaign, Channel, Customer, Message, OutreachAttempt, utcnow
from bot.outreach.channels import Requested, choose_channel
from bot.outreach.eligibility import Candidate, count_notice_candidates, notice_candidates, reminder_candidates
from bot.outreach.notice import (
    lint_sms,
    template_variables,
    text_for,
    whatsapp_template,
)
from bot.outreach.outbox import Claimed, Planned, StillPending, claim, record, stale_pending, still_pending
from bot.outreach.pacing import SendRate
from bot.outreach.recorder import Answer, Recorder
from bot.services.conversations import first_name_of
from bot.settings import Settings
from bot.twilio.errors import SendOutcome
from bot.twilio.sender import SendResult, TwilioSender

Steps = Literal["notice", "reminders"]


@dataclass
class Progress:
    considered: int = 0
    sent: int = 0
    failed: int = 0
    unknown: int = 0  # outcome unknown: left pending, settled by the next run
    settled: int = 0  # pending attempts of an earlier run found at Twilio
    quiet_hours: int = 0
    unreachable: int = 0
    planned: int = 0  # dry run: would be sent
    total: int | None = None  # customers awaiting the notice when the run started (None: reminders)
    still_pending: StillPending | None = None  # another run's attempts within their lease: neither sent nor settled
    by_channel: dict[str, int] = field(default_factory=dict)
    warnings: dict[str, int] = field(default_factory=dict)

    @property
    def done(self) -> int:
        return self.sent + self.failed + self.unknown

    @property
    def handled(self) -> int:
        """Customers this run is finished with: sent to, failed, or skipped for now."""
        return self.done + self.planned + self.quiet_hours + self.unreachable

    def summary(self, dry_run: bool = False) -> str:
        channels = ", ".join(f"{k} {v}" for k, v in sorted(self.by_channel.items())) or "none"
        verb, count = ("would send", self.planned) if dry_run else ("sent", self.sent)
        return (
            f"{verb} {count} ({channels}); failed {self.failed}; outcome unknown {self.unknown}; "
            f"settled from Twilio {self.settled}; in quiet hours {self.quiet_hours}; "
            f"no usable channel {self.unreachable}"
        )


def _wait_all(futures: list[Future[None]], pool: ThreadPoolExecutor) -> None:
    """Wait for a batch. On a failure in a sending thread, or Ctrl-C, the sends not yet
    started are dropped (their claims stay pending: the next run settles them)."""
    try:
        for future in futures:
            future.result()
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise


def _claimed_language(d: CampaignDefinition, step: str, first_name: str, body: str, current: str | None) -> str:
    """The language a pending attempt was claimed in: the one whose text is its message's
    body (the customer's language may have changed since; the WhatsApp template and
    variables looked up at Twilio must be the ones sent), else the customer's."""
    for language in d.languages:
        if text_for(step, d, first_name, language) == body:
            return language
    return d.language_for(current)


class Dispatcher:
    def __init__(
        self,
        factory: sessionmaker[Session],
        settings: Settings,
        *,
        sender_factory: Callable[[], TwilioSender],
        rate: int = 10,
        concurrency: int = 16,
        lease_seconds: float = 60,
        batch: int = 200,
        quiet_hours: bool = True,
        now: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self.factory = factory
        self.settings = settings
        self._sender_factory = sender_factory
        self._local = threading.local()
        self._rates = {
            channel: SendRate(rate, redis_url=settings.redis_url, key=self._sender_address(channel))
            for channel in Channel
        }
        self.concurrency = concurrency
        self.lease = dt.timedelta(seconds=lease_seconds)
        self.batch = batch
        self.now = now
        self.quiet_hours = quiet_hours  # False: send at any hour (an urgent safety recall, the demo)
        self._lock = threading.Lock()

    def _sender_address(self, channel: Channel) -> str:
        if channel is Channel.WHATSAPP:
            return self.settings.twilio_whatsapp_from
        return self.settings.twilio_messaging_service_sid or self.settings.twilio_sms_from

    def _sender(self) -> TwilioSender:
        sender = getattr(self._local, "sender", None)
        if sender is None:
            sender = self._local.sender = self._sender_factory()
        return sender

    # --- the run -------------------------------------------------------------------

    def run(
        self,
        slug: str,
        *,
        steps: Steps = "notice",
        channel: Requested = "auto",
        limit: int | None = None,
        dry_run: bool = False,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> Progress:
        progress, started = Progress(), self.now()
        with self.factory() as session:
            campaign = session.scalar(select(Campaign).where(Campaign.slug == slug))
            if campaign is None:
                raise LookupError(f"no campaign {slug!r}: load it with `recall campaign load FILE.yml`")
            campaign_id, definition = campaign.id, parse_definition(campaign.definition, campaign.slug)
            if steps == "notice":
                awaiting = count_notice_candidates(session, campaign_id)
                progress.total = awaiting if limit is None else min(awaiting, limit)
        report = on_progress or (lambda p: None)
        recorder = Recorder(self.factory, now=self.now, on_recorded=lambda a: self._recorded(a, progress, report))
        with recorder, ThreadPoolExecutor(self.concurrency, thread_name_prefix="outreach") as pool:  # pool ends first
            if not dry_run:
                self._settle_stale(campaign_id, definition, progress, pool, recorder)
            after_id, taken = 0, 0
            sending: list[Future[None]] = []  # the previous batch, still going out
            while limit is None or taken < limit:
                candidates = self._candidates(campaign_id, definition, steps, after_id)
                if not candidates:
                    break
                after_id = candidates[-1].customer_id
                plans = self._plan(candidates, definition, channel, progress)
                if limit is not None:
                    plans = plans[: limit - taken]
                taken += len(plans)
                if dry_run:
                    progress.planned += len(plans)
                    report(progress)
                    continue
                claimed = run_in_write_transaction(
                    self.factory, lambda s, p=plans: claim(s, campaign_id, p, self.now())
                )
                # Queue this batch behind the previous one, then wait for the previous one:
                # the threads keep sending while the next batch is selected and claimed,
                # and at most two batches are in memory.
                queued = [pool.submit(self._send_and_record, c, progress, recorder) for c in claimed]
                _wait_all(sending, pool)
                sending = queued
            _wait_all(sending, pool)
        with self.factory() as session:
            progress.still_pending = still_pending(session, campaign_id, started, self.lease)
        report(progress)
        return progress

    def _candidates(self, campaign_id: int, d: CampaignDefinition, steps: Steps, after_id: int) -> list[Candidate]:
        with self.factory() as session:
            if steps == "notice":
                return notice_candidates(session, campaign_id, after_id=after_id, limit=self.batch)
            return reminder_candidates(
                session,
                campaign_id,
                self.now(),
                after_id=after_id,
                limit=self.batch,
                reminder_after_days=d.outreach.reminder_after_days,
                max_reminders=d.outreach.max_reminders,
            )

    def _plan(
        self, candidates: list[Candidate], d: CampaignDefinition, requested: Requested, progress: Progress
    ) -> list[Planned]:
        start, end = d.outreach.quiet_hours.start, d.outreach.quiet_hours.end
        now = self.now()
        plans = []
        for c in candidates:
            progress.considered += 1
            timezone = c.timezone or timezone_of(c.phone) or d.service.timezone
            if self.quiet_hours and quiet_now(now, timezone, start, end):
                progress.quiet_hours += 1
                continue
            language = d.language_for(c.language)  # theirs when the campaign ships it
            template = whatsapp_template(c.step, d, language)
            chosen = choose_channel(
                requested,
                whatsapp_opt_in=c.whatsapp_opt_in,
                has_template=template is not None,
                sms_unreachable=c.sms_unreachable,
                whatsapp_unreachable=c.whatsapp_unreachable,
            )
            if chosen is None:
                progress.unreachable += 1
                continue
            body = text_for(c.step, d, c.first_name, language)
            for warning in lint_sms(body) if chosen is Channel.SMS else ():
                if len(d.languages) > 1:
                    warning = f"in {language} {warning}"
                progress.warnings[warning] = progress.warnings.get(warning, 0) + 1
            progress.by_channel[chosen.value] = progress.by_channel.get(chosen.value, 0) + 1
            whatsapp = chosen is Channel.WHATSAPP
            plans.append(
                Planned(
                    customer_id=c.customer_id,
                    phone=c.phone,
                    channel=chosen,
                    step=c.step,
                    body=body,
                    content_sid=template if whatsapp else None,
                    content_variables=template_variables(d, c.first_name, language) if whatsapp else None,
                    from_address=self._sender_address(chosen),
                    to_address=address_of(chosen, c.phone),
                )
            )
        return plans

    # --- sending one -----------------------------------------------------------------

    def _send_and_record(self, claimed: Claimed, progress: Progress, recorder: Recorder) -> None:
        result, sent_channel, whatsapp_failed = self._send(claimed)
        if result.outcome is SendOutcome.UNKNOWN_OUTCOME:
            with self._lock:
                progress.unknown += 1  # stays pending: the next run settles it from Twilio's side
            return
        recorder.put(Answer(claimed, result, sent_channel, whatsapp_failed))

    def _recorded(self, answers: list[Answer], progress: Progress, report: Callable[[Progress], None]) -> None:
        with self._lock:
            ok = sum(1 for a in answers if a.result.ok)
            progress.sent += ok
            progress.failed += len(answers) - ok
            report(progress)

    def _send(self, claimed: Claimed) -> tuple[SendResult, Channel, SendResult | None]:
        sender = self._sender()
        if claimed.channel is Channel.WHATSAPP:
            self._rates[Channel.WHATSAPP].acquire()
            result = sender.send(
                claimed.phone,
                channel=Channel.WHATSAPP,
                content_sid=claimed.content_sid,
                content_variables=claimed.content_variables,
            )
            if result.ok or not result.outcome.falls_back_to_sms:
                return result, Channel.WHATSAPP, None
            self._rates[Channel.SMS].acquire()
            return sender.send(claimed.phone, channel=Channel.SMS, body=claimed.body), Channel.SMS, result
        self._rates[Channel.SMS].acquire()
        return sender.send(claimed.phone, channel=Channel.SMS, body=claimed.body), Channel.SMS, None

    # --- settling an earlier run's unknown outcomes ---------------------------------------

    def _settle_stale(
        self, campaign_id: int, d: CampaignDefinition, progress: Progress, pool: ThreadPoolExecutor, recorder: Recorder
    ) -> None:
        while True:
            resend = run_in_write_transaction(self.factory, lambda s: self._settle_batch(s, campaign_id, d, progress))
            if resend is None:
                return
            for _ in pool.map(lambda c: self._send_and_record(c, progress, recorder), resend):
                pass

    def _settle_batch(
        self, session: Session, campaign_id: int, d: CampaignDefinition, progress: Progress
    ) -> list[Claimed] | None:
        now = self.now()
        ids = stale_pending(session, campaign_id, now - self.lease)
        if not ids:
            return None
        resend = []
        for attempt_id in ids:
            attempt = session.get(OutreachAttempt, attempt_id)
            message = session.get(Message, attempt.message_id) if attempt and attempt.message_id else None
            customer = session.get(Customer, attempt.customer_id) if attempt else None
            assert attempt is not None and message is not None and customer is not None
            first_name = first_name_of(customer.name)
            language = _claimed_language(d, attempt.step, first_name, message.body, customer.language)
            whatsapp = attempt.channel is Channel.WHATSAPP
            claimed = Claimed(
                customer_id=customer.id,
                phone=customer.phone,
                channel=attempt.channel,
                step=attempt.step,
                body=message.body,
                content_sid=whatsapp_template(attempt.step, d, language) if whatsapp else None,
                content_variables=template_variables(d, first_name, language) if whatsapp else None,
                attempt_id=attempt.id,
                message_id=message.id,
            )
            found = self._sender().find_sent(
                customer.phone,
                channel=attempt.channel,
                since=attempt.attempted_at,
                body=None if whatsapp else message.body,
                content_sid=claimed.content_sid,
                content_variables=claimed.content_variables,
            )
            if found is not None:
                record(session, claimed, found, sent_channel=attempt.channel, now=now)
                progress.settled += 1
                continue
            # Twilio has no such message: it was never created. Send it now (renewing the lease).
            session.execute(update(OutreachAttempt).where(OutreachAttempt.id == attempt.id).values(attempted_at=now))
            progress.by_channel[attempt.channel.value] = progress.by_channel.get(attempt.channel.value, 0) + 1
            resend.append(claimed)
        return resend
