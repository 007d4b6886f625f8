"""Two gateway workers on one PostgreSQL database (GATEWAY_WORKERS=2): each customer's
messages are handled by one worker at a time, in the order they arrived, once each —
while the workers share the customers between them."""

from __future__ import annotations

import asyncio
import itertools
import random
import threading
import time
from dataclasses import dataclass, field
from itertools import pairwise

import pytest
from sqlalchemy import func, select

from bot.db import make_engine, make_session_factory
from bot.gateway.inbound import store_inbound
from bot.gateway.processing import processing
from bot.models import Direction, Message
from bot.settings import Settings
from bot.worker import worker_wakeups
from tests import factories
from tests.gateway.support import StubSender
from tests.support.databases import truncate_all

CUSTOMERS = 50
MESSAGES = 5
pytestmark = pytest.mark.postgres


@dataclass
class Turn:
    worker: str
    sender_id: str
    text: str
    started: float
    ended: float = 0.0


@dataclass
class RecordingRasa:
    """A Rasa stand-in for one worker that takes a few milliseconds per turn and
    records when each turn started and ended (all workers share `turns`)."""

    worker: str
    turns: list[Turn]
    open_turns: dict[str, str] = field(default_factory=dict)  # sender -> worker, shared too
    overlaps: list[str] = field(default_factory=list)

    async def turn(self, sender_id: str, text: str, metadata: dict) -> list[str]:
        if sender_id in self.open_turns:
            self.overlaps.append(f"{sender_id}: {text} while {self.open_turns[sender_id]} is in a turn")
        self.open_turns[sender_id] = self.worker
        turn = Turn(self.worker, sender_id, text, time.monotonic())
        await asyncio.sleep(random.uniform(0.001, 0.01))
        turn.ended = time.monotonic()
        self.turns.append(turn)
        del self.open_turns[sender_id]
        return [f"ok {text}"]

    async def replies_already_given(self, sender_id: str, message_id: int) -> list[str] | None:
        return None

    async def is_waiting_for(self, sender_id: str, slot: str) -> bool:
        return False

    async def close(self) -> None:
        pass


@pytest.fixture
def pg_factory(postgres_database):
    engine = make_engine(postgres_database)
    truncate_all(engine)
    yield make_session_factory(engine)
    engine.dispose()


def _phone(i: int) -> str:
    return f"+9198123{i:05d}"


def _store_all(factory) -> None:
    """The customers' messages as Twilio would send them: interleaved, each customer's
    in order, while the workers run."""
    for round_ in range(MESSAGES):
        for i in range(CUSTOMERS):
            store_inbound(
                factory,
                {
                    "MessageSid": f"SM{i:016x}{round_:016x}",
                    "AccountSid": "AC" + "0" * 32,
                    "From": _phone(i),
                    "To": "+15005550006",
                    "Body": f"m{round_}",
                    "NumMedia": "0",
                },
            )
        time.sleep(0.01)


def test_two_workers_never_handle_one_customer_at_once_and_keep_order(pg_factory, postgres_database):
    with pg_factory.begin() as s:
        campaign = factories.demo_campaign(s)
        for i in range(CUSTOMERS):
            factories.customer(s, campaign, _phone(i), serial=None)
    settings = Settings(database_url=postgres_database, gateway_workers=2)
    turns: list[Turn] = []
    open_turns: dict[str, str] = {}
    rasas = [RecordingRasa(name, turns, open_turns) for name in ("worker-1", "worker-2")]

    async def scenario() -> None:
        loop = asyncio.get_running_loop()
        async with (
            processing(settings, pg_factory, sender=StubSender(counter=itertools.count(1)), rasa=rasas[0]) as first,
            processing(
                settings, pg_factory, sender=StubSender(counter=itertools.count(100_000)), rasa=rasas[1]
            ) as second,
        ):
            assert not first.notify_attached and first.locks.shared  # they share the customers
            wakeups = [worker_wakeups(postgres_database, p, loop) for p in (first, second)]
            for w in wakeups:
                w.start()
            try:
                storing = threading.Thread(target=_store_all, args=(pg_factory,))
                storing.start()
                await asyncio.to_thread(storing.join)
                deadline = time.monotonic() + 30
                while len(turns) < CUSTOMERS * MESSAGES and time.monotonic() < deadline:
                    await asyncio.sleep(0.05)
                await asyncio.gather(first.idle(), second.idle())
            finally:
                await asyncio.gather(*(asyncio.to_thread(w.stop) for w in wakeups))

    asyncio.run(scenario())

    assert rasas[0].overlaps + rasas[1].overlaps == []
    by_sender: dict[str, list[Turn]] = {}
    for turn in sorted(turns, key=lambda t: t.started):
        by_sender.setdefault(turn.sender_id, []).append(turn)
    assert len(by_sender) == CUSTOMERS
    for sender, its_turns in by_sender.items():
        assert [t.text for t in its_turns] == [f"m{r}" for r in range(MESSAGES)], sender  # in order, once each
        for before, after in pairwise(its_turns):
            assert after.started >= before.ended, sender  # never two at once
    workers = {t.worker for t in turns}
    assert workers == {"worker-1", "worker-2"}  # both took customers
    with pg_factory() as s:
        assert (
            s.scalar(select(func.count()).where(Message.direction == Direction.INBOUND, Message.processed_at.is_(None)))
            == 0
        )
        assert s.scalar(select(func.count()).where(Message.direction == Direction.OUTBOUND)) == CUSTOMERS * MESSAGES
