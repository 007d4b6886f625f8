"""Writing Twilio's answers to the outbox in batches, from one thread.

The sending threads hand each answer over and go on to the next customer; this thread
writes whatever has arrived — up to `batch` answers — in one transaction, on one
database connection. At a hundred messages a second that is a few commits a second
instead of a hundred, and the sending threads never queue for a connection.

Nothing is lost by the delay: until its answer is written an attempt stays `pending`,
and a run that dies first leaves it to the next run, which settles it from Twilio's side
(`outbox.stale_pending`)."""

from __future__ import annotations

import datetime as dt
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from bot.db import run_in_write_transaction
from bot.models import Channel
from bot.outreach.outbox import Claimed, record
from bot.twilio.sender import SendResult

BATCH = 200


@dataclass(frozen=True)
class Answer:
    claimed: Claimed
    result: SendResult
    sent_channel: Channel
    whatsapp_failed: SendResult | None = None


class Recorder:
    """`put` answers; `close` writes what is left and stops. A failed write stops the
    recorder: the next `put` or `close` raises it."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        *,
        now: Callable[[], dt.datetime],
        on_recorded: Callable[[list[Answer]], None] = lambda answers: None,
        batch: int = BATCH,
    ) -> None:
        self._factory = factory
        self._now = now
        self._on_recorded = on_recorded
        self._batch = batch
        self._queue: queue.Queue[Answer | None] = queue.Queue()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="outreach-recorder", daemon=True)
        self._thread.start()

    def put(self, answer: Answer) -> None:
        self._raise_if_failed()
        self._queue.put(answer)

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join()
        self._raise_if_failed()

    def __enter__(self) -> Recorder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _raise_if_failed(self) -> None:
        if self._error is not None:
            raise RuntimeError("writing Twilio's answers to the outbox failed") from self._error

    def _run(self) -> None:
        stopping = False
        while not stopping:
            first = self._queue.get()
            answers, stopping = ([], True) if first is None else ([first], False)
            while not stopping and len(answers) < self._batch:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    stopping = True
                else:
                    answers.append(item)
            if not answers or self._error is not None:
                continue
            try:
                run_in_write_transaction(self._factory, lambda s, a=answers: self._write(s, a))
            except BaseException as exc:  # noqa: BLE001 - handed to the run's thread by put/close
                self._error = exc
                continue
            self._on_recorded(answers)

    def _write(self, session: Session, answers: list[Answer]) -> None:
        now = self._now()
        for a in answers:
            record(
                session, a.claimed, a.result, sent_channel=a.sent_channel, now=now, whatsapp_failed=a.whatsapp_failed
            )
