"""Nothing irreversible on a guess (issue 16): the count of irreversible outcomes a
conversation reached without a confirmation turn just before, over every conversation test
(the e2e `dialogue` fixture and the gateway `stack`; tests/e2e/conftest.py fails the test
when its count is above 0 and prints the total in the session summary).

Irreversible outcomes, read from the database (written in the outcome's own transaction):
- a wrong person: audit event `customer.wrong_person` (customers.wrong_person_at set: the
  number is dropped from the campaign);
- a booking cancelled in the conversation: audit event `booking.cancelled` by actor "bot" (the
  action's) or "customer" (an agent's, from the console, is not a reading of the customer's words);
- an opt-out that contact stops on: the opt_outs row of the customer's phone, unless the
  carrier reported it (source "twilio_<code>": a fact, not a reading of words);
- a unit recorded as sold, given away or thrown away: audit event `unit.disposition` (the
  unit's `disposition` set; the question: texts.confirm_disposition / confirm_disposition_which).

The transcript: the gateway's messages table when the customer has messages there (it also
holds the keywords that never reach Rasa), else the user and bot events of the Rasa tracker
of the customer's conversation. The customer's message that led to an outcome is the last
one at or before the outcome's time; the confirmation turn is the bot's turn just before that
message, when it asked for this very outcome (CONFIRMATIONS: texts.confirm_wrong_person,
texts.confirm_cancel or texts.confirm_switch, or an opt-out question). An opt-out is also confirmed by certain words:
the whole message is a Twilio opt-out keyword (bot.domain.keywords) or an explicit request to
stop (bot.domain.opt_out_phrases, when present).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from bot.db import make_engine, make_session_factory
from bot.domain.keywords import Keyword, classify_keyword
from bot.models import AuditEvent, Conversation, Customer, Direction, Message, OptOut

try:
    from bot.domain.opt_out_phrases import is_opt_out_phrase
except ImportError:  # pragma: no cover - the phrase list is issue 16's item 2

    def is_opt_out_phrase(body: str) -> bool:
        return False


WRONG_PERSON, CANCELLED, OPTED_OUT = "wrong person", "booking cancelled", "opted out"
UNIT_GONE = "unit recorded as gone"
AUDITED = {"customer.wrong_person": WRONG_PERSON, "booking.cancelled": CANCELLED, "unit.disposition": UNIT_GONE}
CONVERSATION_ACTORS = ("bot", "customer")  # the dialogue's own writes; an agent's are named by email
# The question that must come just before the customer's message, per outcome.
CONFIRMATIONS = {
    WRONG_PERSON: re.compile(r"Reply YES to stop messages"),
    # texts.confirm_cancel; texts.confirm_switch (another remedy after booking releases the visit)
    CANCELLED: re.compile(r"Reply YES to cancel|will be cancelled and .+ Reply YES to confirm"),
    OPTED_OUT: re.compile(r"Reply YES to (stop|unsubscribe|opt out)", re.IGNORECASE),
    UNIT_GONE: re.compile(r"Just to check: you no longer have"),
}


def certain_words(kind: str, text: str) -> bool:
    if kind != OPTED_OUT:
        return False
    return classify_keyword(text) is Keyword.OPT_OUT or is_opt_out_phrase(text)


@dataclass(frozen=True)
class Outcome:
    kind: str
    customer_id: int | None
    at: float  # unix time
    key: tuple  # identifies the outcome across checks

    def __str__(self) -> str:
        return f"{self.kind} (customer {self.customer_id})"


@dataclass(frozen=True)
class Turn:
    at: float
    by_customer: bool
    text: str


def _unix(at: dt.datetime) -> float:
    return (at if at.tzinfo else at.replace(tzinfo=dt.UTC)).timestamp()


def outcomes(session: Session) -> list[Outcome]:
    found = [
        Outcome(AUDITED[e.action], e.customer_id, _unix(e.at), ("a", e.id))
        for e in session.scalars(
            select(AuditEvent).where(
                (AuditEvent.action == "customer.wrong_person")
                | ((AuditEvent.action == "booking.cancelled") & AuditEvent.actor.in_(CONVERSATION_ACTORS))
                | (AuditEvent.action == "unit.disposition")
            )
        )
    ]
    for row in session.scalars(select(OptOut).where(OptOut.opted_in_at.is_(None))):
        if row.source.startswith("twilio_"):
            continue
        customer_id = session.scalar(select(Customer.id).where(Customer.phone == row.phone).limit(1))
        found.append(Outcome(OPTED_OUT, customer_id, _unix(row.opted_out_at), ("o", row.id, row.opted_out_at)))
    return found


def _gateway_transcript(session: Session, customer_id: int) -> list[Turn]:
    rows = session.scalars(select(Message).where(Message.customer_id == customer_id).order_by(Message.id))
    return [Turn(_unix(m.created_at), m.direction == Direction.INBOUND, m.body or "") for m in rows]


def _rasa_transcript(rasa_url: str, token: str, sender_id: str) -> list[Turn]:
    events = httpx.get(f"{rasa_url}/conversations/{sender_id}/tracker", params={"token": token}, timeout=30)
    return [
        Turn(float(e["timestamp"]), e["event"] == "user", e.get("text") or "")
        for e in events.json().get("events", [])
        if e.get("event") in ("user", "bot")
    ]


def confirmed(outcome: Outcome, transcript: list[Turn]) -> bool:
    """The customer's message behind the outcome had certain words, or the bot turn just
    before it asked to confirm this outcome."""
    said = [i for i, t in enumerate(transcript) if t.by_customer and t.at <= outcome.at + 0.001]
    if not said:
        return False
    last = said[-1]
    if certain_words(outcome.kind, transcript[last].text):
        return True
    before = said[-2] if len(said) > 1 else -1
    bot_turn = " ".join(t.text for t in transcript[before + 1 : last] if not t.by_customer)
    return CONFIRMATIONS[outcome.kind].search(bot_turn) is not None


@dataclass
class IrreversibleWatch:
    """One conversation stack's database (and Rasa server, for transcripts)."""

    database_url: str
    rasa_url: str
    rasa_token: str

    def session(self) -> Session:
        return make_session_factory(make_engine(self.database_url, poolclass=NullPool))()

    def outcome_keys(self) -> set[tuple]:
        with self.session() as session:
            return {o.key for o in outcomes(session)}

    def unconfirmed(self, seen: set[tuple]) -> list[Outcome]:
        """The outcomes reached since `seen` (outcome_keys) without a confirmation."""
        with self.session() as session:
            new = [o for o in outcomes(session) if o.key not in seen]
            return [o for o in new if not confirmed(o, self._transcript(session, o.customer_id))]

    def _transcript(self, session: Session, customer_id: int | None) -> list[Turn]:
        if customer_id is None:
            return []
        turns = _gateway_transcript(session, customer_id)
        if any(t.by_customer for t in turns):
            return turns
        sender_id = session.scalar(select(Conversation.sender_id).where(Conversation.customer_id == customer_id))
        return _rasa_transcript(self.rasa_url, self.rasa_token, sender_id) if sender_id else []


def watch_of(stack: object) -> IrreversibleWatch | None:
    """The watch for an e2e `dialogue` (tests/e2e/conftest.Dialogue) or a gateway `stack`
    (tests/e2e/stack.Stack); None for anything else."""
    database_url = getattr(stack, "database_url", None)
    rasa: object = getattr(stack, "dialogue", None) or getattr(stack, "stack", None)
    if not isinstance(database_url, str) or not hasattr(rasa, "rasa_url"):
        return None
    return IrreversibleWatch(database_url, rasa.rasa_url, rasa.rasa_token)


CONVERSATION_FIXTURES = ("dialogue", "stack")


def conversation_watch(fixturenames: list[str], value: Callable[[str], object]) -> IrreversibleWatch | None:
    for name in CONVERSATION_FIXTURES:
        if name in fixturenames:
            watch = watch_of(value(name))
            if watch is not None:
                return watch
    return None
