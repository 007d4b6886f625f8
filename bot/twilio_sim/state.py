"""One simulator's live state: config, store, faults, clock, webhook poster, background tasks."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from bot.twilio_sim.clock import SimClock
from bot.twilio_sim.config import SimConfig
from bot.twilio_sim.faults import Faults
from bot.twilio_sim.store import Store
from bot.twilio_sim.webhooks import WebhookPoster

log = logging.getLogger("bot.twilio_sim")


class BackgroundTasks:
    """Tasks started by requests (status progressions, webhooks), kept until they finish."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, coroutine: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(coroutine, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("simulator task %s failed", task.get_name(), exc_info=task.exception())

    @property
    def pending(self) -> int:
        return len(self._tasks)

    async def cancel_all(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


class SimState:
    def __init__(self, config: SimConfig) -> None:
        self.config = config
        self.clock = SimClock()
        self.store = Store()
        self.faults = Faults()
        self.tasks = BackgroundTasks()
        self.poster = WebhookPoster(config.auth_token, config.webhook_timeout, self.store, self.clock)
        self.templates: dict[str, str] = dict(config.templates)

    def public_url(self, request_base_url: str) -> str:
        return (self.config.public_url or request_base_url).rstrip("/")

    async def reset(self) -> None:
        """Back to a fresh simulator: no messages, phones, faults, clock offset or tasks."""
        await self.tasks.cancel_all()
        self.store.reset()
        self.faults.clear()
        self.clock.reset()
        self.templates = dict(self.config.templates)

    async def aclose(self) -> None:
        await self.tasks.cancel_all()
        await self.poster.aclose()
