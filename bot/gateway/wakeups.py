"""Waking the gateway worker when the web process has stored a message.

The web process and the worker are separate processes (so that acknowledging a webhook
never shares an interpreter lock or an event loop with the dialogue work). On
PostgreSQL the statement that stores a message also calls `pg_notify('recall_inbound')`
(`inbound._store_postgres`), delivered when it commits, and the worker LISTENs; a slow
poll covers notifications lost while the worker's connection was down. SQLite has no
notifications: the worker polls often.

With several workers, each also LISTENs to `recall_attached` (the intake's
`pg_notify` with the customer's id when it attached a message) and is told which
customers have new work (`attached`); whenever listening (re)starts or fails, `resync`
lets it look for every customer's backlog, since notifications sent meanwhile are lost.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy.engine import make_url

from bot.background import BackgroundLoop

log = logging.getLogger(__name__)

CHANNEL = "recall_inbound"
ATTACHED_CHANNEL = "recall_attached"
POLL_SECONDS_POSTGRES = 2.0  # safety net only: notifications do the work
POLL_SECONDS_SQLITE = 0.05


def _libpq_url(database_url: str) -> str:
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


class InboundWakeups(BackgroundLoop):
    """Calls `wake()` (from its own thread) on every notification and every poll interval."""

    def __init__(
        self,
        database_url: str,
        wake: Callable[[], None],
        *,
        attached: Callable[[int], None] | None = None,
        resync: Callable[[], None] | None = None,
    ) -> None:
        super().__init__("inbound-wakeups")
        self.database_url = database_url
        self.wake = wake
        self.attached = attached
        self.resync = resync or (lambda: None)
        self.postgres = make_url(database_url).get_backend_name() == "postgresql"

    def _run(self) -> None:
        if not self.postgres:
            while not self._stop.wait(POLL_SECONDS_SQLITE):
                self.wake()
            return
        while not self._stop.is_set():
            try:
                self._listen()
            except Exception as exc:  # noqa: BLE001 - the server went away: poll, then listen again
                log.warning("LISTEN %s failed (%s); polling until it is back", CHANNEL, exc)
                self.wake()
                self.resync()
                self._stop.wait(POLL_SECONDS_POSTGRES)

    def _listen(self) -> None:
        import psycopg

        with psycopg.connect(_libpq_url(self.database_url), autocommit=True) as connection:
            connection.execute(f"LISTEN {CHANNEL}")
            if self.attached is not None:
                connection.execute(f"LISTEN {ATTACHED_CHANNEL}")
            self.wake()  # anything stored before we listened
            self.resync()
            while not self._stop.is_set():
                stored = True  # a message stored, or the poll interval passed
                for notice in connection.notifies(timeout=POLL_SECONDS_POSTGRES, stop_after=1):
                    if notice.channel == ATTACHED_CHANNEL and self.attached is not None:
                        self.attached(int(notice.payload))
                        stored = False
                if stored:
                    self.wake()
