"""Handling one stored inbound message: keywords and media here, everything else by
Rasa; then the reply, on the channel the customer wrote on; then marked processed.
A turn Rasa answered with nothing while the action server is down gets the apology and
goes to a person (`system_failures`).

A reply Twilio refused with 429/5xx (or never received) even after the sender's bounded
retries — a Twilio outage — raises `ReplyNotSent`: the message stays unprocessed and the
processor tries it again with its backoff (the customer's later messages wait, in
order), sending only the parts not yet accepted. After `REPLY_RETRY_WINDOW` the reply is
given up: its parts stay `failed` in the outbox (with Twilio's error), and the message
is marked processed.

Every answer of the gateway's own is in the customer's language (`speaking`), with the
campaign's texts in it. Each message tells about that language (bot/services/languages.py):
the language it is written in, and a request ("Hindi", "english please"), noted when
the message is claimed. A request reaches Rasa as the intent `/switch_language` (the
stored message keeps its text): `action_switch_language` confirms in the new language."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.campaigns.definition import CampaignDefinition, parse_definition
from bot.conversation import texts
from bot.conversation.catalog import speaking
from bot.db import run_in_write_transaction
from bot.domain.languages import detect_language, requested_language
from bot.domain.nlu_text import text_for_nlu
from bot.gateway.label_photos import LabelPhotoReader, PhotoTurn, rasa_message, reads_as_label_photo
from bot.gateway.system_failures import HealthProbe, escalate_system_failure, needs_action_server_check
from bot.gateway.turns import TurnKind, answered_by_twilio, opt_out_source, plan_turn
from bot.messaging.rasa import RasaClient
from bot.messaging.replies import ReplySender
from bot.models import Campaign, Channel, Conversation, Customer, Message, utcnow
from bot.services.goodwill import attach_receipt
from bot.services.languages import note_language
from bot.services.opt_outs import is_opted_out, record_opt_in, record_opt_out

log = logging.getLogger(__name__)
REPLY_RETRY_WINDOW = dt.timedelta(hours=1)  # how long a reply Twilio refused is tried again
SWITCH_LANGUAGE = "/switch_language"  # what Rasa is sent for "Hindi", "english please" ...


class ReplyNotSent(RuntimeError):
    """Twilio refused (429/5xx) or never received a part of the reply: try again later."""


@dataclass(frozen=True)
class InboundWork:
    message_id: int
    customer_id: int | None
    sender_id: str | None
    channel: Channel
    body: str
    num_media: int
    phone: str | None
    opted_out: bool
    with_person: bool  # escalated: a person answers from the console, the bot is silent
    recovering: bool  # processing had started before: the process may have died mid-way
    definition: CampaignDefinition | None
    done: bool
    received_at: dt.datetime | None = None
    language: str | None = None  # the customer's, as the campaign writes to them
    switch_language: bool = False  # the message asks for a language: Rasa gets SWITCH_LANGUAGE
    campaign_id: int | None = None


def claim(factory: sessionmaker[Session], message_id: int) -> InboundWork:
    with factory.begin() as session:
        # The message with its customer, campaign and conversation in one round trip.
        row = session.execute(
            select(Message, Customer, Campaign, Conversation.sender_id, Conversation.bot_paused)
            .outerjoin(Customer, Customer.id == Message.customer_id)
            .outerjoin(Campaign, Campaign.id == Customer.campaign_id)
            .outerjoin(Conversation, Conversation.customer_id == Customer.id)
            .where(Message.id == message_id)
        ).first()
        assert row is not None
        message, customer, campaign, sender_id, paused = row
        assert customer is None or sender_id is not None
        recovering = message.processing_started_at is not None
        if message.processed_at is None and message.processing_started_at is None:
            message.processing_started_at = utcnow()
        definition = language = None
        requested = requested_language(message.body or "")
        switch = False
        if customer is not None and campaign is not None:
            definition = parse_definition(campaign.definition, campaign.slug)
            switch = requested in definition.languages  # one it does not ship: an ordinary message
            if message.processed_at is None:
                note_language(
                    session,
                    customer,
                    detected=detect_language(message.body or ""),
                    requested=requested,
                    languages=definition.languages,
                )
            language = definition.language_for(customer.language)
            definition = definition.localized(language)
        return InboundWork(
            message_id=message.id,
            customer_id=message.customer_id,
            sender_id=sender_id if customer else None,
            channel=message.channel,
            body=message.body or "",
            num_media=message.num_media,
            phone=customer.phone if customer else None,
            opted_out=is_opted_out(session, customer.phone) if customer else False,
            with_person=bool(paused) if customer else False,
            recovering=recovering,
            definition=definition,
            done=message.processed_at is not None,
            received_at=message.created_at,
            language=language,
            switch_language=switch,
            campaign_id=campaign.id if campaign is not None else None,
        )


def attach_receipt_photo(factory: sessionmaker[Session], customer_id: int, message_id: int) -> str | None:
    """A photo sent while a goodwill claim waits for its receipt becomes that receipt (the
    claim's reference; None when no claim waits)."""
    claim = run_in_write_transaction(
        factory, lambda s: attach_receipt(s, customer_id=customer_id, message_id=message_id, now=utcnow())
    )
    return claim.reference if claim else None


def mark_processed(factory: sessionmaker[Session], message_id: int) -> None:
    with factory.begin() as session:
        session.execute(
            update(Message)
            .where(Message.id == message_id, Message.processed_at.is_(None))
            .values(processed_at=utcnow())
        )


def apply_keyword(factory: sessionmaker[Session], phone: str, kind: TurnKind, body: str) -> None:
    """Record the opt-out or opt-in; a phrase opt-out ("stop texting me") as source "phrase"."""
    source = opt_out_source(body)
    keyword = body.strip().rstrip(".!?").upper()[:20] if source == "keyword" else None
    with factory.begin() as session:
        if kind is TurnKind.OPT_OUT:
            record_opt_out(session, phone, source=source, keyword=keyword)
        elif kind is TurnKind.OPT_IN:
            record_opt_in(session, phone, keyword=keyword)


def _too_old(received_at: dt.datetime | None) -> bool:
    if received_at is None:
        return False
    if received_at.tzinfo is None:
        received_at = received_at.replace(tzinfo=dt.UTC)
    return utcnow() - received_at > REPLY_RETRY_WINDOW


class InboundHandler:
    def __init__(
        self,
        factory: sessionmaker[Session],
        rasa: RasaClient,
        replies: ReplySender,
        *,
        action_server_up: HealthProbe | None = None,
        photos: LabelPhotoReader | None = None,
    ) -> None:
        self.factory = factory
        self.rasa = rasa
        self.replies = replies
        self.action_server_up = action_server_up  # None: never checked
        self.photos = photos  # None: photos are not read (the customer is asked to type the serial)

    async def __call__(self, message_id: int) -> None:
        work = await asyncio.to_thread(claim, self.factory, message_id)
        if work.done:
            return
        if work.customer_id is None or work.definition is None or work.phone is None:
            await asyncio.to_thread(mark_processed, self.factory, message_id)  # stored for the record
            return
        with speaking(work.language):  # the threads below run in a copy of this context
            await self._handle(work)

    async def _handle(self, work: InboundWork) -> None:
        message_id = work.message_id
        assert work.customer_id is not None and work.definition is not None and work.phone is not None
        kind = plan_turn(work.body, work.num_media, opted_out=work.opted_out, with_person=work.with_person)
        if kind in (TurnKind.OPT_OUT, TurnKind.OPT_IN):
            await asyncio.to_thread(apply_keyword, self.factory, work.phone, kind, work.body)
        receipt = None
        if work.num_media and kind in (TurnKind.MEDIA_ONLY, TurnKind.FOR_AGENT, TurnKind.DIALOGUE):
            receipt = await asyncio.to_thread(attach_receipt_photo, self.factory, work.customer_id, work.message_id)
        if receipt and kind is TurnKind.MEDIA_ONLY:
            answer = [texts.receipt_attached(receipt)]
        else:
            answer = await self._answer(work, kind)
        if needs_action_server_check(kind, answer) and await self._action_server_down():
            log.error("message %s: no reply and the action server is down; escalating", message_id)
            answer = await asyncio.to_thread(
                escalate_system_failure,
                self.factory,
                customer_id=work.customer_id,
                message_id=work.message_id,
                body=work.body,
                definition=work.definition,
                now=utcnow(),
            )
        if answer:
            delivery = await asyncio.to_thread(
                self.replies.deliver,
                customer_id=work.customer_id,
                channel=work.channel,
                texts=answer,
                reply_to_id=work.message_id,
                confirm_opt_out=kind is TurnKind.OPT_OUT,
            )
            if delivery.retry_later:
                if not _too_old(work.received_at):
                    raise ReplyNotSent(f"{delivery.retry_later} part(s) of the reply refused by Twilio")
                log.error(
                    "message %s: reply not sent for %s; given up (failed in the outbox)", message_id, REPLY_RETRY_WINDOW
                )
        await asyncio.to_thread(mark_processed, self.factory, message_id)

    async def _action_server_down(self) -> bool:
        return self.action_server_up is not None and not await self.action_server_up()

    async def _answer(self, work: InboundWork, kind: TurnKind) -> list[str]:
        d = work.definition
        assert d is not None and work.sender_id is not None
        keyword_turn = kind in (TurnKind.OPT_OUT, TurnKind.OPT_IN)
        if keyword_turn and work.channel is Channel.SMS and answered_by_twilio(work.body):
            # Twilio itself answers STOP/START on SMS (its default or Advanced Opt-Out texts)
            # and blocks our messages after STOP: one confirmation, Twilio's. A phrase
            # ("stop texting me") Twilio does not act on: the app confirms it.
            return []
        if kind is TurnKind.OPT_OUT:
            return [texts.opted_out(d)]
        if kind is TurnKind.OPT_IN:
            return [texts.opted_in(d)]
        if kind is TurnKind.HELP:
            return [texts.help_text(d)]
        photo = kind in (TurnKind.MEDIA_ONLY, TurnKind.DIALOGUE) and reads_as_label_photo(work.body, work.num_media)
        waiting = photo and await self.rasa.is_waiting_for(work.sender_id, "serial")
        if kind is TurnKind.MEDIA_ONLY and not (waiting and self.photos is not None):
            return [texts.photo_while_waiting_for_serial(d) if waiting else texts.photo_received()]
        if kind not in (TurnKind.DIALOGUE, TurnKind.MEDIA_ONLY):
            return []
        if work.recovering:
            given = await self.rasa.replies_already_given(work.sender_id, work.message_id)
            if given is not None:
                return given
        metadata = {"gateway_message_id": work.message_id, "channel": work.channel.value, "num_media": work.num_media}
        if waiting and self.photos is not None:  # the serial read from the photo, for the customer's YES
            text = rasa_message(await asyncio.to_thread(self.photos, self._photo_turn(work)))
        else:
            text = SWITCH_LANGUAGE if work.switch_language else text_for_nlu(work.body)
        return await self.rasa.turn(work.sender_id, text, metadata)

    @staticmethod
    def _photo_turn(work: InboundWork) -> PhotoTurn:
        assert work.customer_id is not None and work.campaign_id is not None and work.definition is not None
        return PhotoTurn(work.message_id, work.customer_id, work.campaign_id, work.definition)
