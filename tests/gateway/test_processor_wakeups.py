"""The processor never leaves a message waiting because it arrived while a drain or the
intake was finishing (releasing its lock, taking its last look for work)."""

from __future__ import annotations

import asyncio
import itertools

from sqlalchemy import select

from bot.gateway import processor as processor_module
from bot.gateway.handling import mark_processed
from bot.gateway.inbound import attach_inbound, store_inbound
from bot.gateway.processor import Processor
from bot.models import Message
from tests import factories

PHONE = "+919812300001"


class SharedLocks:
    """Locks as other worker processes could hold them (so the processor takes its last
    look for work after releasing); always free here."""

    shared = True

    async def try_acquire(self, key: tuple[int, int]) -> bool:
        return True

    async def release(self, key: tuple[int, int]) -> None:
        await asyncio.sleep(0)

    async def close(self) -> None:
        pass


def test_a_message_attached_during_the_drains_last_look_is_processed(session_factory, monkeypatch):
    with session_factory.begin() as s:
        factories.customer(s, factories.demo_campaign(s), PHONE)
    sids = itertools.count(1)

    def store(text: str) -> tuple[int, int]:
        stored = store_inbound(
            session_factory,
            {"MessageSid": f"SM{next(sids):032x}", "From": PHONE, "To": "+15005550006", "Body": text, "NumMedia": "0"},
        )
        return stored.message_id, attach_inbound(session_factory, stored.message_id)

    async def handler(message_id: int) -> None:
        await asyncio.to_thread(mark_processed, session_factory, message_id)

    async def scenario() -> None:
        loop = asyncio.get_running_loop()
        proc = Processor(session_factory, handler, locks=SharedLocks())
        original = processor_module.unprocessed
        injected = []

        def last_look(factory, customer_id, limit=100):
            found = original(factory, customer_id, limit)
            if limit == 1 and not injected:  # the look after releasing: a message arrives right then
                injected.append(store("arrived during the last look"))
                loop.call_soon_threadsafe(proc.notify, customer_id)
            return found

        monkeypatch.setattr(processor_module, "unprocessed", last_look)
        _, customer_id = store("first")
        proc.notify(customer_id)
        await proc.idle(10)
        await proc.stop()

    asyncio.run(scenario())
    with session_factory() as s:
        assert list(s.scalars(select(Message.body).where(Message.processed_at.is_(None)))) == []
        assert s.scalar(select(Message.processed_at).where(Message.body == "arrived during the last look"))
